"""CSRF protection for every page form that changes anything (login, register and logout
included; issue 2 §4, R1).

Double-submit with a keyed token: the browser holds a random ``almanac_csrf`` cookie
(HttpOnly, SameSite=Strict) and each form carries ``csrf_token`` =
HMAC-SHA256(server secret, cookie value). A POST is accepted only when both are present and
match (``hmac.compare_digest``); otherwise ``Forbidden`` is raised before anything changes.
Another site can neither read the cookie nor compute the token without the server's secret.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from starlette.requests import Request
from starlette.responses import Response

from almanac.errors import Forbidden
from almanac.server.web.session import is_https

CSRF_COOKIE = "almanac_csrf"
CSRF_FIELD = "csrf_token"
_COOKIE_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,128}$")
_NEW_VALUE = "almanac_new_csrf_cookie"


def token_for(secret_key: str, cookie_value: str) -> str:
    """The form token that belongs to ``cookie_value``: hex HMAC-SHA256 under the secret."""
    mac = hmac.new(secret_key.encode(), cookie_value.encode(), hashlib.sha256)
    return mac.hexdigest()


def _secret(request: Request) -> str:
    return str(request.app.state.ctx.secret_key)


def _cookie_value(request: Request) -> str | None:
    value = request.cookies.get(CSRF_COOKIE)
    return value if value is not None and _COOKIE_SHAPE.match(value) else None


def form_token(request: Request) -> str:
    """The ``csrf_token`` value for a form on this page. Makes a new cookie value when the
    browser has none yet; ``set_cookie`` then sends it with the response."""
    value = _cookie_value(request) or getattr(request.state, _NEW_VALUE, None)
    if value is None:
        value = secrets.token_urlsafe(32)
        setattr(request.state, _NEW_VALUE, value)
    return token_for(_secret(request), value)


def set_cookie(request: Request, response: Response) -> None:
    """Send the cookie made by ``form_token`` for this request, if one was made."""
    value = getattr(request.state, _NEW_VALUE, None)
    if value is None:
        return
    response.set_cookie(
        CSRF_COOKIE,
        value,
        path="/",
        httponly=True,
        samesite="strict",
        secure=is_https(request),
    )


def verify(request: Request, submitted: str | None) -> None:
    """Raise ``Forbidden`` unless ``submitted`` is the token for this browser's cookie."""
    value = _cookie_value(request)
    if value is None or not submitted:
        raise Forbidden("CSRF check failed: missing token or cookie", code="csrf")
    expected = token_for(_secret(request), value)
    if not hmac.compare_digest(expected.encode(), submitted.encode("utf-8", "replace")):
        raise Forbidden("CSRF check failed: the token does not match", code="csrf")
