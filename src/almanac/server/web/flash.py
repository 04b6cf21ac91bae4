"""The one-line message after a save or a delete (“已保存。”, “已删除。”; R4–R7).

A form that worked answers with a redirect to the list or the record; ``after`` puts a
short-lived cookie on that redirect naming the message, signed with the server's secret so
only the server's own keys are ever shown. ``render`` shows it on the next page (in the
person's language, ``role="status"`` for screen readers) and clears it there. Nothing runs
in the page for it (the Content-Security-Policy allows no inline script).

A page fetched by ``offline.js`` is not a navigation (``Sec-Fetch-Mode`` is not
``navigate``): it shows the message but leaves the cookie, so the page the script then opens
(``location.assign`` after a redirect, a resend too) shows it as well and clears it.
"""

from __future__ import annotations

import hashlib
import hmac

from starlette.requests import Request
from starlette.responses import Response

from almanac.server.web.session import is_https

FLASH_COOKIE = "almanac_flash"
MESSAGES = frozenset({"saved", "deleted", "group_deleted"})  # keys of words.py
MAX_AGE = 60  # seconds: the redirect is followed at once; a lost one must not show later


def _signature(request: Request, key: str) -> str:
    secret = str(request.app.state.ctx.secret_key).encode()
    return hmac.new(secret, f"flash:{key}".encode(), hashlib.sha256).hexdigest()[:32]


def after(request: Request, response: Response, key: str) -> Response:
    """``response`` (a redirect) with the message ``key`` for the next page."""
    assert key in MESSAGES, key
    response.set_cookie(
        FLASH_COOKIE,
        f"{key}.{_signature(request, key)}",
        max_age=MAX_AGE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )
    return response


def message_key(request: Request) -> str | None:
    """The message this request's cookie names, when it is one of ours and signed."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw or "." not in raw:
        return None
    key, signature = raw.split(".", 1)
    if key not in MESSAGES:
        return None
    if not hmac.compare_digest(signature.encode(), _signature(request, key).encode()):
        return None
    return key


def clear(request: Request, response: Response) -> None:
    """Clear the cookie once a page a person navigated to has shown it (or it was bad)."""
    if FLASH_COOKIE not in request.cookies:
        return
    if request.headers.get("sec-fetch-mode", "navigate") != "navigate":
        return  # offline.js's fetch: the page it opens next shows and clears it
    response.delete_cookie(
        FLASH_COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request)
    )
