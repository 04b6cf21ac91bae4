"""API bearer tokens and browser sessions (R1): the secret is shown once, only its SHA-256
is stored. Functions here take a connection; the service owns the transactions."""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from almanac.server.accounts.entities import TokenInfo, as_utc, as_utc_or_none, inserted_id
from almanac.server.db.tables import tokens

TOUCH_EVERY = timedelta(minutes=1)
"""``last_used_at`` is written at most this often per token."""


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_store_secret() -> str:
    """A person's store secret: 32 random bytes, base64url without padding (43 characters)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode("ascii")


def secret_hash(secret: str) -> str:
    """The stored form of a token secret: SHA-256, lower-case hex."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def insert(
    conn: sa.Connection,
    *,
    user_id: int,
    kind: str,
    device: str,
    secret: str,
    now: datetime,
    expires_at: datetime | None,
) -> int:
    result = conn.execute(
        sa.insert(tokens).values(
            user_id=user_id,
            kind=kind,
            device=device,
            token_hash=secret_hash(secret),
            created_at=now,
            last_used_at=None,
            expires_at=expires_at,
        )
    )
    return inserted_id(result)


def info_from_row(row: sa.Row[tuple[object, ...]]) -> TokenInfo:
    return TokenInfo(
        id=int(row.id),
        kind=str(row.kind),
        device=str(row.device),
        created_at=as_utc(row.created_at),
        last_used_at=as_utc_or_none(row.last_used_at),
        expires_at=as_utc_or_none(row.expires_at),
    )


def is_live(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is None or expires_at > now


def needs_touch(last_used_at: datetime | None, now: datetime) -> bool:
    return last_used_at is None or now - last_used_at >= TOUCH_EVERY


def touch(conn: sa.Connection, token_id: int, now: datetime) -> None:
    conn.execute(sa.update(tokens).where(tokens.c.id == token_id).values(last_used_at=now))


def list_live(conn: sa.Connection, user_id: int, now: datetime) -> list[TokenInfo]:
    rows = conn.execute(
        sa.select(tokens).where(tokens.c.user_id == user_id).order_by(tokens.c.id)
    ).all()
    infos = [info_from_row(row) for row in rows]
    return [info for info in infos if is_live(info.expires_at, now)]


def delete_one(conn: sa.Connection, user_id: int, token_id: int) -> bool:
    result = conn.execute(
        sa.delete(tokens).where(tokens.c.id == token_id, tokens.c.user_id == user_id)
    )
    return result.rowcount > 0


def delete_all_but(conn: sa.Connection, user_id: int, keep_token_id: int | None) -> int:
    query = sa.delete(tokens).where(tokens.c.user_id == user_id)
    if keep_token_id is not None:
        query = query.where(tokens.c.id != keep_token_id)
    return conn.execute(query).rowcount


def delete_expired(conn: sa.Connection, now: datetime) -> int:
    query = sa.delete(tokens).where(tokens.c.expires_at.is_not(None), tokens.c.expires_at <= now)
    return conn.execute(query).rowcount
