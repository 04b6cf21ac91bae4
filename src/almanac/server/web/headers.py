"""Security headers on every HTTP response (pages, API, static files, errors).

The Content-Security-Policy allows only our own scripts, styles and images — no inline code
anywhere. The one exception is the OpenAPI page (``/docs``): Swagger UI starts from an inline
script that FastAPI writes, so that page alone also allows exactly that script by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect"})
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)

STATIC_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


def csp_with_script_hashes(body: bytes) -> str:
    """The policy, widened to allow exactly the inline scripts found in ``body``."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode() + "'"
        for m in _INLINE_SCRIPT.finditer(body)
    ]
    if not hashes:
        return CSP
    return CSP.replace("script-src 'self'", "script-src 'self' " + " ".join(hashes), 1)


def _with_headers(message: Message, csp: str) -> Message:
    headers = [
        (k, v)
        for k, v in message.get("headers", [])
        if k.lower() not in {b"content-security-policy", *(name for name, _ in STATIC_HEADERS)}
    ]
    headers.append((b"content-security-policy", csp.encode()))
    headers.extend(STATIC_HEADERS)
    return {**message, "headers": headers}


class SecurityHeaders:
    """Pure ASGI middleware (streaming responses pass through untouched, except on /docs,
    whose small HTML body is read first to hash its inline script)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("path") in DOCS_PATHS:
            await self._docs(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = _with_headers(message, CSP)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffer(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            assert start is not None
            await send(_with_headers(start, csp_with_script_hashes(body)))
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffer)
