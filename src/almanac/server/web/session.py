"""The browser session (R1): the ``almanac_session`` cookie that carries a ``session`` token.

On login a session token is issued and sent as an HttpOnly, SameSite=Lax cookie for
``settings.session_days``, marked ``Secure`` when the request came over https (the
``X-Forwarded-Proto`` of a trusted proxy counts when ``trust_proxy_headers`` is on). Logout
revokes the token on the server and clears the cookie.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from almanac.errors import NotAuthenticated

SESSION_COOKIE = "almanac_session"
DEVICE_MAX = 100
_CURRENT = "almanac_session_current"
_UNSET = object()


def _ctx(request: Request) -> Any:
    return request.app.state.ctx


def _forwarded(request: Request, header: str) -> str | None:
    """The value the nearest (trusted) proxy put in ``header``: the last one in the list."""
    if not _ctx(request).settings.trust_proxy_headers:
        return None
    raw = request.headers.get(header)
    if not raw:
        return None
    return raw.split(",")[-1].strip() or None


def is_https(request: Request) -> bool:
    """True when the browser talked https to us (directly or through a trusted proxy)."""
    proto = _forwarded(request, "x-forwarded-proto")
    if proto is not None:
        return proto.lower() == "https"
    return request.url.scheme == "https"


def client_addr(request: Request) -> str:
    """The client's address, for throttling: the trusted proxy's X-Forwarded-For entry, else
    the socket peer."""
    forwarded = _forwarded(request, "x-forwarded-for")
    if forwarded is not None:
        return forwarded
    return request.client.host if request.client else "unknown"


def device_name(request: Request) -> str:
    """A readable name for the session in the person's list of devices."""
    agent = request.headers.get("user-agent", "")
    agent = "".join(ch for ch in agent if unicodedata.category(ch)[0] != "C").strip()
    return ("web: " + (agent or "browser"))[:DEVICE_MAX]


def current(request: Request) -> tuple[Any, int] | None:
    """``(User, token_id)`` for a valid session cookie, else ``None``. Looked up once per
    request (the page, its language and its settings all ask); ``start`` and ``end`` forget
    the answer."""
    found = getattr(request.state, _CURRENT, _UNSET)
    if found is _UNSET:
        found = _lookup(request)
        setattr(request.state, _CURRENT, found)
    return found if isinstance(found, tuple) else None


def _lookup(request: Request) -> tuple[Any, int] | None:
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        return None
    try:
        user, token_id = _ctx(request).accounts.user_for_token(secret, kind="session")
    except NotAuthenticated:
        return None
    return user, token_id


def _forget(request: Request) -> None:
    if hasattr(request.state, _CURRENT):
        delattr(request.state, _CURRENT)


def start(request: Request, response: Response, user_id: int) -> None:
    """Issue a session token for ``user_id`` and set it as the session cookie. A session this
    browser held before is revoked (no session fixation)."""
    ctx = _ctx(request)
    _forget(request)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        ctx.accounts.revoke_secret(old)
    secret = ctx.accounts.issue_token(user_id, device_name(request), kind="session")
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(ctx.settings.session_days) * 86400,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )


def end(request: Request, response: Response) -> None:
    """Revoke this browser's session token (if any) and clear the cookie."""
    _forget(request)
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        _ctx(request).accounts.revoke_secret(secret)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request)
    )
