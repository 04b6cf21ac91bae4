"""The API's request and response bodies: one schema per use (R1, R13).

The record kinds' bodies are built per kind from ``almanac.model.KINDS`` in
``almanac.server.api.records``; the ones here are the fixed ones.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RegisterIn(_In):
    """A new account (R1). The rules: ``almanac.server.accounts.rules``."""

    username: str = Field(
        max_length=64,
        description="3–32 letters (Chinese included), digits, `_ . -`; case does not matter",
        examples=["zhangsan"],
    )
    password: str = Field(max_length=4096, description="8–1024 characters")


class TokenIn(_In):
    """Log in from a device: the token that comes back names it in the person's list."""

    username: str = Field(max_length=256, examples=["zhangsan"])
    password: str = Field(max_length=4096)
    device: str = Field(max_length=256, description="1–100 characters", examples=["办公室电脑"])


class TokenOut(BaseModel):
    """A new API token. ``token`` is shown only this once; send it as
    ``Authorization: Bearer <token>``."""

    token: str
    token_id: int
    device: str
    store_secret: str = Field(
        description=(
            "the person's 32 random bytes, base64url without padding: wraps the local "
            "store's data key (docs/api.md); only a password login gets it"
        )
    )


class UserPublic(BaseModel):
    id: int
    username: str
    created_at: datetime


class TokenPublic(BaseModel):
    """One of the person's tokens or browser sessions, never its secret."""

    id: int
    kind: Literal["api", "session"]
    device: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    current: bool = Field(description="true for the token this request was made with")


class PasswordChangeIn(_In):
    old_password: str = Field(max_length=4096)
    new_password: str = Field(max_length=4096, description="8–1024 characters")


class AccountDeleteIn(_In):
    password: str = Field(max_length=4096)


class ErrorDetail(BaseModel):
    field: str
    message: str
    code: str


class ErrorBody(BaseModel):
    code: str = Field(description="stable, machine-readable: `invalid`, `not_found`, …")
    message: str = Field(description="for people, in English")
    field: str | None = Field(
        default=None, description="the dotted path of the field at fault (`emails.0.value`)"
    )
    details: list[ErrorDetail] | None = Field(
        default=None, description="every field at fault (validation errors)"
    )


class ErrorEnvelope(BaseModel):
    """Every failure of the API has this shape."""

    error: ErrorBody


class HealthOut(BaseModel):
    status: Literal["ok"]


def error_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """``responses=`` for a route: each error status it can return, with the envelope, plus
    500 (which any route can return). 401 and 429 document their headers."""
    described = {
        400: "The body could not be read (not UTF-8 JSON)",
        401: "Not logged in: no, unknown or revoked token (or wrong password)",
        403: "Not allowed",
        404: "No such record for this person",
        409: "Conflict: a unique value is taken, or the record changed (If-Match)",
        422: "Invalid input; `field` names the field at fault",
        429: "Too many failed tries; wait `Retry-After` seconds",
        500: "Internal error (logged)",
    }
    headers = {
        401: {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "`Bearer`"}},
        429: {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}},
    }
    out: dict[int | str, dict[str, object]] = {}
    for status in (*statuses, 500):
        entry: dict[str, object] = {"model": ErrorEnvelope, "description": described[status]}
        if status in headers:
            entry["headers"] = headers[status]
        out[status] = entry
    return out
