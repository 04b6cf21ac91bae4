"""Security headers on every HTTP response (pages, API, /docs, static files, error pages).

The Content-Security-Policy allows only our own scripts, styles and images — no inline code
anywhere, not even on ``/docs`` (its Swagger UI starts from a static ``/docs/init.js``).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
_NAMES = frozenset(name for name, _ in HEADERS)


def with_security_headers(message: Message) -> Message:
    """The ``http.response.start`` message with our headers (replacing any earlier values)."""
    kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _NAMES]
    return {**message, "headers": [*kept, *HEADERS]}


class SecurityHeaders:
    """Pure ASGI middleware: adds the headers without touching (or buffering) the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = with_security_headers(message)
            await send(message)

        await self.app(scope, receive, send_with_headers)
