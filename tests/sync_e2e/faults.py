"""A faulty network between a client and the server: ``FaultyTransport`` wraps the real
``HttpTransport`` and can be offline, lose a request (nothing reaches the server) or lose a
response (the server did the work; the client hears nothing). Either way the client gets
``almanac.errors.Offline``, as it would from a real network. It also records what the
server really received and what the client really heard, for the checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal
from uuid import UUID

import httpx

from almanac.client.transport import Session
from almanac.errors import Offline
from almanac.model.preferences import Preferences
from almanac.remote import HttpTransport
from almanac.sync.protocol import Mutation, PullResponse, PushRequest, PushResponse

Fault = Literal["request", "response"] | None


@dataclass
class FaultyTransport:
    """``HttpTransport`` with faults: ``offline``, or one ``fault`` on the ``at``-th call."""

    inner: HttpTransport
    http: httpx.Client | None = None
    """The connection pool given to ``inner`` (closed with it)."""
    offline: bool = False
    fault: Fault = None
    at: int = 0
    calls: int = 0
    received: dict[UUID, Mutation] = field(default_factory=dict)
    """Every mutation the server received (first arrival), by id."""
    answered: set[UUID] = field(default_factory=set)
    """Mutation ids whose result the client heard."""
    lost: int = 0

    @classmethod
    def to(cls, server_url: str) -> FaultyTransport:
        """A transport to ``server_url`` (loopback HTTP: no certificates to load)."""
        http = httpx.Client(base_url=server_url, timeout=10.0, verify=False)
        return cls(HttpTransport(server_url, client=http), http)

    @property
    def server_url(self) -> str:
        return self.inner.server_url

    def arm(self, fault: Fault, at: int) -> None:
        """Lose the request or the response of the ``at``-th call from now (0: the next)."""
        self.fault, self.at, self.calls = fault, at, 0

    def login(self, user: str, password: str, device: str) -> Session:
        self._gate()
        return self.inner.login(user, password, device)

    def logout(self, token: str) -> None:
        self._gate()
        self.inner.logout(token)

    def pull(self, token: str, cursor: int, limit: int) -> PullResponse:
        faulty = self._faulty()
        self._lose_request(faulty)
        response = self.inner.pull(token, cursor, limit)
        self._lose_response(faulty)
        return response

    def push_encoded(self, token: str, body: bytes) -> bytes:
        faulty = self._faulty()
        self._lose_request(faulty)
        for mutation in PushRequest.model_validate_json(body).mutations:
            self.received.setdefault(mutation.mutation_id, mutation)
        answer = self.inner.push_encoded(token, body)
        self._lose_response(faulty)
        results = PushResponse.model_validate_json(answer).results
        self.answered.update(r.mutation_id for r in results)
        return answer

    def get_preferences(self, token: str) -> Preferences:
        self._gate()
        return self.inner.get_preferences(token)

    def patch_preferences(self, token: str, patch: dict[str, Any]) -> Preferences:
        self._gate()
        return self.inner.patch_preferences(token, patch)

    def close(self) -> None:
        self.inner.close()
        if self.http is not None:
            self.http.close()

    # -- faults --------------------------------------------------------------------------
    def _gate(self) -> None:
        if self.offline:
            raise Offline(self.server_url, "offline (test)")

    def _faulty(self) -> Fault:
        self._gate()
        this, self.calls = self.calls, self.calls + 1
        if self.fault is not None and this == self.at:
            fault, self.fault = self.fault, None
            return fault
        return None

    def _lose_request(self, fault: Fault) -> None:
        if fault == "request":
            self.lost += 1
            raise Offline(self.server_url, "request lost (test)")

    def _lose_response(self, fault: Fault) -> None:
        if fault == "response":
            self.lost += 1
            raise Offline(self.server_url, "response lost (test)")
