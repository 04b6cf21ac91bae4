"""The web pages' GET requests read the database through one connection
(``almanac.server.db.shared``): the session, the person's settings, the conflicts badge and
the page's own reads are one read transaction instead of about five (bench/web.py)."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from almanac.server.db.shared import one_connection

API_PATH = "/api/"
READ_METHODS = frozenset({"GET", "HEAD"})


class SharedReadsMiddleware:
    """Pure ASGI middleware: a GET or HEAD outside ``/api/`` runs in ``one_connection()``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in READ_METHODS
            or scope["path"].startswith(API_PATH)
        ):
            await self.app(scope, receive, send)
            return
        with one_connection():
            await self.app(scope, receive, send)
