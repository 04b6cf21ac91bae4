"""``HttpTransport``: ``almanac.client.Transport`` over one ``httpx.Client`` (keep-alive)
talking to an Almanac server's ``/api/v1`` (R8, R14; issue 3 §3).

Failures become the typed errors of ``almanac.errors``: no connection, a timeout or an answer
that is not Almanac's → ``Offline``; 401 → ``NotAuthenticated`` (``BadCredentials`` at login);
429 → ``Throttled(retry_after)``; any other error envelope → the matching error. Nothing here
logs or repeats a password, token or store secret.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from almanac.client.transport import Session
from almanac.errors import (
    AlmanacError,
    BadCredentials,
    Conflict,
    Duplicate,
    FieldProblem,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    Offline,
    Throttled,
)
from almanac.model.preferences import Preferences, load_stored
from almanac.sync.protocol import PullResponse

__all__ = ["HttpTransport", "http_transport"]

API = "/api/v1"

PUSH_READ_FACTOR = 6
"""A push may wait this many times the timeout for its answer."""

M = TypeVar("M", bound=BaseModel)


class HttpTransport:
    """One server. ``client``: an ``httpx.Client`` to use instead of a new one (tests may pass
    one with their own transport)."""

    def __init__(
        self, server_url: str, *, timeout: float = 10.0, client: httpx.Client | None = None
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self._own = client is None
        self._timeout = timeout
        self._http = client or httpx.Client(base_url=self.server_url, timeout=timeout)

    def close(self) -> None:
        if self._own:
            self._http.close()

    def __enter__(self) -> HttpTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the Transport protocol ---------------------------------------------------------------

    def login(self, user: str, password: str, device: str) -> Session:
        body = {"username": user, "password": password, "device": device}
        data = self._call("POST", "/auth/token", json=body, login=True)
        secret = data.get("store_secret")
        if not isinstance(secret, str) or not secret:
            raise Offline(
                self.server_url, "the server gave no store secret (it is older than this client)"
            )
        return Session(
            token=str(data["token"]),
            store_secret=_unb64(secret, self.server_url),
            device=str(data.get("device", device)),
        )

    def logout(self, token: str) -> None:
        self._call("DELETE", "/auth/token", token=token)

    def pull(self, token: str, cursor: int, limit: int) -> PullResponse:
        data = self._call(
            "GET", "/sync/pull", token=token, params={"cursor": cursor, "limit": limit}, raw=True
        )
        return self._parse(PullResponse, data)

    def push_encoded(self, token: str, body: bytes) -> bytes:
        # A batch is up to 500 writes: give the answer longer than a connection attempt (a
        # timeout is safe — the retry is a replay — but should not be the rule).
        wait = httpx.Timeout(self._timeout, read=self._timeout * PUSH_READ_FACTOR)
        answer = self._call("POST", "/sync/push", token=token, content=body, timeout=wait, raw=True)
        return answer if isinstance(answer, bytes) else b""  # a 204: not an answer to parse

    def get_preferences(self, token: str) -> Preferences:
        return self._settings(self._call("GET", "/settings", token=token))

    def patch_preferences(self, token: str, patch: dict[str, Any]) -> Preferences:
        return self._settings(self._call("PATCH", "/settings", token=token, json=patch))

    def _settings(self, data: Any) -> Preferences:
        """``{"settings": {...}}``, read leniently (a field this client does not know yet, or
        a festival id it lacks, takes its default rather than failing the sync)."""
        settings = data.get("settings") if isinstance(data, dict) else None
        if not isinstance(settings, dict):
            raise Offline(self.server_url, "the answer is not what the protocol says")
        known = {k: v for k, v in settings.items() if k in Preferences.model_fields}
        return load_stored(known)

    # -- plumbing -----------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        login: bool = False,
        raw: bool = False,
        **kwargs: Any,
    ) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        if "content" in kwargs:  # JSON written already
            headers["Content-Type"] = "application/json"
        try:
            response = self._http.request(method, API + path, headers=headers, **kwargs)
        except httpx.TimeoutException:
            raise Offline(self.server_url, "timed out") from None
        except httpx.TransportError as exc:
            raise Offline(self.server_url, type(exc).__name__) from None
        if response.status_code == 204:
            return None
        if response.is_success:
            if raw:
                return response.content
            try:
                return response.json()
            except ValueError:
                raise Offline(self.server_url, "the answer is not JSON") from None
        raise _error(response, self.server_url, login=login)

    def _parse(self, model: type[M], data: bytes) -> M:
        """The answer's JSON parsed straight into ``model`` (pydantic-core parses and checks in
        one pass: half the cost of ``json.loads`` and then ``model_validate``)."""
        try:
            return model.model_validate_json(data)
        except ValidationError:
            raise Offline(self.server_url, "the answer is not what the protocol says") from None


def http_transport(server_url: str) -> HttpTransport:
    """The default ``TransportFactory``."""
    return HttpTransport(server_url)


def _unb64(text: str, server: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise Offline(server, "the store secret is not base64url") from None


def _envelope(response: httpx.Response) -> dict[str, Any] | None:
    try:
        data = response.json()
    except ValueError:
        return None
    error = data.get("error") if isinstance(data, dict) else None
    return error if isinstance(error, dict) else None


def _error(response: httpx.Response, server: str, *, login: bool) -> AlmanacError:
    """The typed error for a failed answer (the envelope of ``almanac.server.api.errors``)."""
    status = response.status_code
    error = _envelope(response)
    if error is None:
        return Offline(server, f"HTTP {status}")
    code = str(error.get("code", ""))
    message = str(error.get("message", ""))
    field = error.get("field")
    if status == 429:
        return Throttled(_retry_after(response))
    if status == 401:
        if login or code == "bad_credentials":
            return BadCredentials()
        return NotAuthenticated()
    if status == 403:
        return Forbidden(message, code=code or None)
    if status == 404:
        return NotFound("resource", response.request.url.path)
    if status == 422:
        return InvalidInput(_problems(error, message))
    if status == 409:
        if code == "duplicate":
            return Duplicate(str(field or ""), None, message)
        return Conflict(message, code=code or None, field=field)
    if status >= 500:
        return Offline(server, f"HTTP {status}")
    return AlmanacError(message or f"HTTP {status}", code=code or None, field=field)


def _problems(error: dict[str, Any], message: str) -> list[FieldProblem]:
    details = error.get("details")
    if isinstance(details, list) and details:
        return [
            FieldProblem(str(d.get("field", "")), str(d.get("message", "")), str(d.get("code")))
            for d in details
            if isinstance(d, dict)
        ] or [FieldProblem(str(error.get("field") or ""), message)]
    return [FieldProblem(str(error.get("field") or ""), message)]


def _retry_after(response: httpx.Response) -> int:
    try:
        return max(1, int(response.headers.get("Retry-After", "1")))
    except ValueError:
        return 1
