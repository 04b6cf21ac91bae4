"""What the person sees (``Item``, ``ItemPage``) and the guard that turns a damaged page met
in use into ``StoreDamaged``."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar
from uuid import UUID

from almanac.errors import StoreDamaged
from almanac.store.db import DatabaseError

ITEM_COLUMNS = "id, kind, content, deleted, version, pending"


@dataclass(frozen=True)
class Item:
    """A record as the person sees it here."""

    id: UUID
    kind: str
    content: dict[str, Any]
    deleted: bool
    version: int | None
    pending: bool


@dataclass(frozen=True)
class ItemPage:
    items: list[Item]
    next_after: str | None


def item_of(row: Sequence[Any]) -> Item:
    """An ``Item`` from an items row (``ITEM_COLUMNS``)."""
    return Item(
        UUID(row[0]),
        row[1],
        json.loads(row[2]),
        bool(row[3]),
        None if row[4] is None else int(row[4]),
        bool(row[5]),
    )


class _HasPath(Protocol):
    path: Path


S = TypeVar("S", bound=_HasPath)
P = ParamSpec("P")
R = TypeVar("R")


def guard(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """A page that fails its HMAC while the store is in use is ``StoreDamaged``, as on open."""

    def guarded(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except (DatabaseError, MemoryError) as exc:
            if type(exc) is not DatabaseError and not isinstance(exc, MemoryError):
                raise  # a constraint or a lock, not damage
            raise StoreDamaged(self.path, f"unreadable: {exc}") from exc

    guarded.__name__, guarded.__doc__ = method.__name__, method.__doc__
    return guarded
