"""Error pages for every path outside ``/api`` (R10): friendly HTML in the person's language,
never a stack trace. ``create_app`` routes errors raised on page paths here.

401 (not logged in) sends the browser to the login page instead of showing an error. A
logged-in person keeps their top bar and navigation on a 4xx page (not on a 500: whatever
failed may be what looking them up needs).
"""

from __future__ import annotations

import logging

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from almanac.errors import (
    AuthError,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    Throttled,
)
from almanac.server.web import i18n, session
from almanac.server.web.render import render

logger = logging.getLogger(__name__)

KNOWN_STATUSES = {400, 403, 404, 405, 409, 429, 500}
FALLBACK_HTML = (
    "<!doctype html><meta charset=utf-8><title>Almanac</title>"
    "<h1>出错了 / Something went wrong</h1><p><a href=/>Almanac</a></p>"
)


def status_for(exc: BaseException) -> int:
    """The HTTP status a page shows for ``exc`` (401 means: go and log in)."""
    if isinstance(exc, HTTPException):
        return exc.status_code
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, AuthError):  # NotAuthenticated, BadCredentials
        return 401
    checks: list[tuple[type[BaseException], int]] = [
        (NotFound, 404),
        (Throttled, 429),
        (InvalidInput, 400),
        (RequestValidationError, 400),
        (Conflict, 409),
    ]
    return next((status for kind, status in checks if isinstance(exc, kind)), 500)


def error_page(request: Request, exc: BaseException) -> Response:
    """The page for an error raised while serving ``request`` (a non-/api path). Logging is
    the caller's (``almanac.server.api.errors`` logs 500s without personal data)."""
    status = status_for(exc)
    if status == 401:
        return RedirectResponse("/login", status_code=303)
    headers = dict(getattr(exc, "headers", None) or {})
    seconds = getattr(exc, "retry_after", None)
    if seconds is not None:
        headers["retry-after"] = str(seconds)
    shown = status if status in KNOWN_STATUSES else (500 if status >= 500 else 400)
    context: dict[str, object] = {"status": status, "shown": shown, "seconds": seconds or 1}
    if request.method not in ("GET", "HEAD"):  # the language link must not re-send a form
        other = "en" if i18n.lang_of(request) == "zh" else "zh"
        context["other_lang_url"] = "/?lang=" + other
        context["return_to"] = "/"  # the logged-in switch's way back, likewise
    person = _person(request, status)
    for user in (person, None) if person is not None else (None,):
        try:
            return render(
                request, "error.html", context, status_code=status, headers=headers, user=user
            )
        except Exception as render_failure:  # the error page itself must never fail
            logger.error("error page failed: %s", type(render_failure).__qualname__)
    return HTMLResponse(FALLBACK_HTML, status_code=status)


def _person(request: Request, status: int) -> object | None:
    """The logged-in person for the page's top bar, or ``None`` (a 500, or no session)."""
    if status >= 500:
        return None
    try:
        found = session.current(request)
    except Exception:  # a broken lookup only costs the navigation
        return None
    return found[0] if found else None
