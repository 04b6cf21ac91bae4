"""How the client reaches the server: the ``Transport`` protocol (R8, R14; issue 3 §3).

The core never speaks HTTP itself; ``almanac.remote.HttpTransport`` implements this over
httpx, and tests may wrap it (e.g. to lose a response). Every method raises the typed errors
of ``almanac.errors``: ``Offline`` when the server cannot be reached, ``NotAuthenticated``
for a token it no longer knows, ``BadCredentials``/``Throttled`` at login.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from almanac.model.preferences import Preferences
from almanac.sync.protocol import PullResponse, PushRequest, PushResponse

__all__ = ["Session", "Transport", "TransportFactory"]


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

    def push(self, token: str, request: PushRequest) -> PushResponse:
        """Send a batch of mutations; one result each, in order."""
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
