"""What the accounts service hands out: a person (``User``) and one token's public facts
(``TokenInfo``). Neither carries a password, a hash or a token secret."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy.engine import CursorResult

TokenKind = Literal["api", "session"]
TOKEN_KINDS: tuple[TokenKind, ...] = ("api", "session")


@dataclass(frozen=True)
class User:
    """One person's account. ``username`` is the stored, folded form (NFKC + casefold)."""

    id: int
    username: str
    created_at: datetime


@dataclass(frozen=True)
class TokenInfo:
    """One API token or browser session, as listed to its owner (never its secret)."""

    id: int
    kind: str
    device: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime: SQLite and MariaDB return naive values that are UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def as_utc_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


def inserted_id(result: CursorResult[Any]) -> int:
    """The integer primary key of the row an INSERT just made."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the INSERT returned no primary key")
    return int(key[0])
