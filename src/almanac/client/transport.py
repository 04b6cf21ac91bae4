"""How the client reaches the server: the ``Transport`` protocol (R8, R14; issue 3 §3).

The core never speaks HTTP itself; ``almanac.remote.HttpTransport`` implements this over
httpx, and tests may wrap it (e.g. to lose a response). Every method raises the typed errors
of ``almanac.errors``: ``Offline`` when the server cannot be reached, ``NotAuthenticated``
for a token it no longer knows, ``BadCredentials``/``Throttled`` at login.

A push goes over the transport as bytes (``push_encoded``): the core writes the request's
JSON (``encode_push``) and parses the answer (``decode_push``) itself, so the engine can have
the next wave's body ready before the answer to the one before arrives, and hand the answer's
parsing to its own thread (``almanac.client.engine``). ``send_push`` is the object-level push
made of those three.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import ValidationError

from almanac.errors import Offline
from almanac.model.preferences import Preferences
from almanac.sync.protocol import Mutation, PullResponse, PushRequest, PushResponse

__all__ = [
    "Session",
    "Transport",
    "TransportFactory",
    "decode_push",
    "encode_push",
    "send_push",
]


@dataclass(frozen=True)
class Session:
    """What a login gives the device: the API ``token`` (secret), the person's
    ``store_secret`` (32 bytes that, with the password, unlock the local store) and the
    device name the server recorded."""

    token: str = field(repr=False)
    store_secret: bytes = field(repr=False)
    device: str


class Transport(Protocol):
    """One server's sync web service."""

    server_url: str

    def login(self, user: str, password: str, device: str) -> Session:
        """A new device token (``BadCredentials``, ``Throttled``, ``Offline``)."""
        ...

    def logout(self, token: str) -> None:
        """Revoke ``token`` on the server."""
        ...

    def pull(self, token: str, cursor: int, limit: int) -> PullResponse:
        """One page of changes after ``cursor`` (``NotAuthenticated``, ``Offline``)."""
        ...

    def push_encoded(self, token: str, body: bytes) -> bytes:
        """Post a push request's JSON (``encode_push``); the answer's JSON as it came, for
        ``decode_push`` (one result per mutation, in order). Failures raise as the other
        methods' do — an answer that is not a success never comes back as bytes; a success
        with no body comes back as ``b""``, which ``decode_push`` refuses like any answer
        that is not the protocol's."""
        ...

    def get_preferences(self, token: str) -> Preferences:
        """The person's settings as the server holds them (R3)."""
        ...

    def patch_preferences(self, token: str, patch: dict[str, Any]) -> Preferences:
        """Change the fields given (``None`` resets one); the whole result
        (``InvalidInput`` naming a field the server refuses)."""
        ...


TransportFactory = Callable[[str], Transport]
"""Server URL → a transport to it (``almanac.remote.http_transport`` is the default)."""


def encode_push(mutations: Sequence[Mutation]) -> bytes:
    """A push request's body: ``PushRequest`` written by pydantic-core (``json.dumps`` of
    ``model_dump`` costs ~3 times more)."""
    return PushRequest(mutations=list(mutations)).model_dump_json().encode()


def decode_push(server_url: str, data: bytes) -> PushResponse:
    """A push answer's JSON parsed straight into ``PushResponse`` (pydantic-core parses and
    checks in one pass); one that is not what the protocol says → ``Offline``, as a lost
    answer (the mutations stay sent; their replay is answered ``duplicate``)."""
    try:
        return PushResponse.model_validate_json(data)
    except ValidationError:
        raise Offline(server_url, "the answer is not what the protocol says") from None


def send_push(transport: Transport, token: str, request: PushRequest) -> PushResponse:
    """The object-level push: ``request`` written, posted, its answer parsed."""
    answer = transport.push_encoded(token, encode_push(request.mutations))
    return decode_push(transport.server_url, answer)
