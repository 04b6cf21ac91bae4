"""The API's dependencies, as ``Annotated`` types a route names in its signature:

- ``Ctx``: the app's ``AppContext``;
- ``CurrentAuth``: the person and the token id behind ``Authorization: Bearer <token>``
  (NotAuthenticated → 401 otherwise);
- ``CurrentUser``: just the person;
- ``ClientAddr``: the client's address for throttling (the trusted proxy's
  ``X-Forwarded-For`` entry when ``trust_proxy_headers`` is on, else the socket peer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from almanac.errors import NotAuthenticated
from almanac.server.accounts import User
from almanac.server.context import AppContext

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="An API token from `POST /api/v1/auth/token`.",
)


def get_ctx(request: Request) -> AppContext:
    ctx = request.app.state.ctx
    assert isinstance(ctx, AppContext)
    return ctx


Ctx = Annotated[AppContext, Depends(get_ctx)]


@dataclass(frozen=True)
class Authenticated:
    """Who is calling, and with which token (so they can revoke exactly that one)."""

    user: User
    token_id: int


def get_auth(
    ctx: Ctx,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Authenticated:
    if credentials is None or not credentials.credentials:
        raise NotAuthenticated("send an API token: Authorization: Bearer <token>")
    user, token_id = ctx.accounts.user_for_token(credentials.credentials, kind="api")
    return Authenticated(user=user, token_id=token_id)


CurrentAuth = Annotated[Authenticated, Depends(get_auth)]


def get_user(auth: CurrentAuth) -> User:
    return auth.user


CurrentUser = Annotated[User, Depends(get_user)]


def client_addr(request: Request, ctx: Ctx) -> str:
    if ctx.settings.trust_proxy_headers:
        forwarded = request.headers.get("x-forwarded-for", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.client.host if request.client else "unknown"


ClientAddr = Annotated[str, Depends(client_addr)]
