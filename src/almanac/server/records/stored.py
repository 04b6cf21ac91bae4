"""What the store hands out: ``StoredRecord`` (one record with its envelope) and ``Page``; and
``execute_rows``, a bulk statement's rows handed to the driver as SQLAlchemy would bind them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from pydantic import BaseModel

from almanac.model import dump_content, load_content


@dataclass(frozen=True)
class StoredRecord:
    """A record as stored: the envelope plus ``data``, its content in JSON-ready form
    (``dump_content``'s output). Tombstones keep their last content.

    ``content`` (the kind's pydantic model) is built from ``data`` on first use only: a list
    page that is sent out as JSON never pays for validating a hundred models."""

    id: UUID
    kind: str
    version: int
    change_no: int
    created_at: datetime
    updated_at: datetime
    deleted: bool
    data: dict[str, Any] = field(repr=False)

    @cached_property
    def content(self) -> BaseModel:
        """The content model (validated again from ``data``, without the costly checks)."""
        return load_content(self.kind, self.data)

    @classmethod
    def of(
        cls,
        content: BaseModel,
        *,
        id: UUID,
        kind: str,
        version: int,
        change_no: int,
        created_at: datetime,
        updated_at: datetime,
        deleted: bool = False,
    ) -> StoredRecord:
        """A record whose content model is already at hand (after a write)."""
        record = cls(
            id, kind, version, change_no, created_at, updated_at, deleted, dump_content(content)
        )
        record.__dict__["content"] = content  # prime the cache: no second validation
        return record

    def public(self) -> dict[str, Any]:
        """The JSON-ready form the API and the pages show (no change number)."""
        return {
            "id": str(self.id),
            "kind": self.kind,
            "version": self.version,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "deleted": self.deleted,
            **self.data,
        }


@dataclass(frozen=True)
class Page:
    """One page of a listing; ``next_cursor`` is None on the last page."""

    items: list[StoredRecord]
    next_cursor: str | None


def utc(value: datetime) -> datetime:
    """An aware UTC datetime from a database value (SQLite and MariaDB give naive UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def now_utc() -> datetime:
    """Now, in UTC, to the whole second (MariaDB's DATETIME keeps no fraction)."""
    return datetime.now(UTC).replace(microsecond=0)


def to_json(content: BaseModel) -> str:
    """The stored JSON text of a content model."""
    return json.dumps(dump_content(content), ensure_ascii=False, separators=(",", ":"))


_ENVELOPE = ("id", "kind", "version", "change_no", "created_at", "updated_at", "deleted", "data")


@lru_cache(maxsize=64)
def _positions(fields: tuple[str, ...]) -> tuple[int, ...]:
    """Where each of ``_ENVELOPE``'s columns sits in a row with these ``fields``."""
    return tuple(fields.index(name) for name in _ENVELOPE)


def from_row(row: sa.Row[Any]) -> StoredRecord:
    """A ``StoredRecord`` from a ``records`` row (all columns selected). The row is read as
    a plain tuple by position (found once per column layout): a lookup by name through
    ``row._mapping`` costs ~1.3 µs, eight a record, 50 records a list page."""
    i = _positions(row._fields)
    v = tuple(row)
    return StoredRecord(
        UUID(v[i[0]]),
        v[i[1]],
        int(v[i[2]]),
        int(v[i[3]]),
        utc(v[i[4]]),
        utc(v[i[5]]),
        bool(v[i[6]]),
        json.loads(v[i[7]]),
    )


def execute_rows(conn: sa.Connection, stmt: Any, rows: list[dict[str, Any]]) -> None:
    """``conn.execute(stmt, rows)`` for many rows with the same keys, at the driver: the
    statement compiled once and each value passed through its column type's bind processor
    (so a time is stored exactly as SQLAlchemy stores it), without SQLAlchemy building the
    parameters row by row — most of the cost of a push's bulk writes otherwise. The values
    are taken with one ``itemgetter`` a row (C), and only the columns that have a processor
    are touched again, each distinct value processed once (``_once``: a push's rows share a
    handful of times and flags)."""
    if not rows:
        return
    dialect = conn.dialect
    compiled = stmt.compile(dialect=dialect, column_keys=list(rows[0]))
    names = list(compiled.positiontup or []) if compiled.positional else list(compiled.params)
    processors = [
        (i, _once(process))
        for i, name in enumerate(names)
        if (process := compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
        is not None
    ]
    values = _values(names, rows, compiled.binds)
    if processors:
        values = [_processed(row, processors) for row in values]
    params = values if compiled.positional else [dict(zip(names, v, strict=True)) for v in values]
    conn.exec_driver_sql(compiled.string, params)


def _values(
    names: list[str], rows: list[dict[str, Any]], binds: dict[str, Any]
) -> list[tuple[Any, ...]]:
    """Each row's values in the statement's parameter order; a parameter no row names takes
    the statement's own value (``.where(c == "x")``), and one that has none (``bindparam``
    without a value: the rows must give it) is a ``KeyError``, never a silent NULL."""
    keys = rows[0]
    if not all(name in keys for name in names):
        fixed = {n: _own_value(binds[n]) for n in names if n not in keys}
        return [tuple(r[n] if n in keys else fixed[n] for n in names) for r in rows]
    if not names:
        return [()] * len(rows)
    get = itemgetter(*names)
    return list(map(get, rows)) if len(names) > 1 else [(get(r),) for r in rows]


def _own_value(bind: Any) -> Any:
    if bind.required:
        raise KeyError(bind.key)
    return bind.effective_value


def _processed(row: tuple[Any, ...], processors: list[tuple[int, Any]]) -> tuple[Any, ...]:
    out = list(row)
    for i, process in processors:
        out[i] = process(out[i])
    return tuple(out)


def _once(process: Any) -> Any:
    """``process`` that keeps its answers: a value met again (the same type, value, time zone
    and fold: so equal times in other zones, or ``True`` and ``1``, are never mixed up) is
    not processed again."""
    seen: dict[Any, Any] = {}

    def processed(value: Any) -> Any:
        try:
            key = (type(value), value, getattr(value, "tzinfo", None), getattr(value, "fold", 0))
            if key in seen:
                return seen[key]
        except TypeError:  # not hashable
            return process(value)
        seen[key] = out = process(value)
        return out

    return processed
