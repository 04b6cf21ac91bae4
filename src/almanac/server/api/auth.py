"""Accounts over HTTP (R1): register, API tokens per device, password, the account itself.

Every route calls ``Accounts`` and lets its typed errors through to ``api.errors``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from almanac.server.accounts import TokenInfo, User
from almanac.server.api.deps import ClientAddr, Ctx, CurrentAuth, CurrentUser
from almanac.server.api.schemas import (
    AccountDeleteIn,
    PasswordChangeIn,
    RegisterIn,
    TokenIn,
    TokenOut,
    TokenPublic,
    UserPublic,
    error_responses,
)

router = APIRouter(tags=["accounts"])

TokenId = Annotated[int, Path(ge=1, le=2**31 - 1, description="from `GET /auth/tokens`")]


def user_public(user: User) -> UserPublic:
    return UserPublic(id=user.id, username=user.username, created_at=user.created_at)


def token_public(info: TokenInfo, current_id: int) -> TokenPublic:
    return TokenPublic(
        id=info.id,
        kind="session" if info.kind == "session" else "api",
        device=info.device,
        created_at=info.created_at,
        last_used_at=info.last_used_at,
        expires_at=info.expires_at,
        current=info.id == current_id,
    )


@router.post(
    "/auth/register",
    status_code=201,
    response_model=UserPublic,
    summary="Register an account",
    responses=error_responses(400, 409, 422),
)
def register(body: RegisterIn, ctx: Ctx) -> UserPublic:
    return user_public(ctx.accounts.register(body.username, body.password))


@router.post(
    "/auth/token",
    status_code=201,
    response_model=TokenOut,
    summary="Log in from a device: get an API token",
    responses=error_responses(400, 401, 422, 429),
)
def create_token(body: TokenIn, ctx: Ctx, addr: ClientAddr) -> TokenOut:
    user = ctx.accounts.authenticate(body.username, body.password, addr)
    secret, info = ctx.accounts.issue_token_with_info(user.id, body.device, kind="api")
    return TokenOut(
        token=secret,
        token_id=info.id,
        device=info.device,
        store_secret=ctx.accounts.store_secret(user.id),
    )


@router.delete(
    "/auth/token",
    status_code=204,
    response_class=Response,
    summary="Log out: revoke the token this request is made with",
    responses=error_responses(401),
)
def revoke_current_token(auth: CurrentAuth, ctx: Ctx) -> None:
    ctx.accounts.revoke_token(auth.user.id, auth.token_id)


@router.get(
    "/auth/tokens",
    response_model=list[TokenPublic],
    summary="This person's API tokens and browser sessions (no secrets)",
    responses=error_responses(401),
)
def list_tokens(auth: CurrentAuth, ctx: Ctx) -> list[TokenPublic]:
    return [token_public(t, auth.token_id) for t in ctx.accounts.list_tokens(auth.user.id)]


@router.delete(
    "/auth/tokens/{token_id}",
    status_code=204,
    response_class=Response,
    summary="Revoke one of this person's tokens or sessions",
    responses=error_responses(401, 404, 422),
)
def revoke_token(token_id: TokenId, user: CurrentUser, ctx: Ctx) -> None:
    ctx.accounts.revoke_token(user.id, token_id)


@router.post(
    "/auth/password",
    status_code=204,
    response_class=Response,
    summary="Change the password; every other token and session is revoked",
    responses=error_responses(400, 401, 422, 429),
)
def change_password(body: PasswordChangeIn, auth: CurrentAuth, ctx: Ctx, addr: ClientAddr) -> None:
    ctx.accounts.change_password(
        auth.user.id,
        body.old_password,
        body.new_password,
        keep_token_id=auth.token_id,
        client_addr=addr,
    )


@router.get(
    "/account",
    response_model=UserPublic,
    summary="The account this token belongs to",
    responses=error_responses(401),
)
def get_account(user: CurrentUser) -> UserPublic:
    return user_public(user)


@router.delete(
    "/account",
    status_code=204,
    response_class=Response,
    summary="Delete the account and everything in it",
    responses=error_responses(400, 401, 422, 429),
)
def delete_account(body: AccountDeleteIn, user: CurrentUser, ctx: Ctx, addr: ClientAddr) -> None:
    ctx.accounts.delete_account(user.id, body.password, client_addr=addr)
