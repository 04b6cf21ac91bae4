"""SQL building blocks of the listing plans in ``query`` (SQLAlchemy Core on ``records`` and
``record_terms``); each is valid on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from almanac.model.listing import Condition
from almanac.server.db.tables import record_terms, records


def term_range(
    cond: Condition, term: sa.ColumnElement[str] = record_terms.c.term
) -> sa.ColumnElement[bool]:
    if cond.high is None:
        return sa.and_(term == cond.low)
    return sa.and_(term >= cond.low, term < cond.high)


def holders(owner_id: int, kind: str, cond: Condition) -> sa.Select[tuple[str]]:
    """The ids of the owner's records of ``kind`` that have the condition's term (a range scan
    on the ``record_terms`` primary key)."""
    return sa.select(record_terms.c.record_id).where(
        record_terms.c.owner_id == owner_id, record_terms.c.kind == kind, term_range(cond)
    )


def count_capped(
    conn: sa.Connection, rows: sa.Select[Any] | sa.CompoundSelect[Any], cap: int
) -> int:
    """How many rows a query gives, counted up to ``cap`` (stops early; no row leaves the
    database)."""
    capped = rows.limit(cap).subquery()
    return int(conn.execute(sa.select(sa.func.count()).select_from(capped)).scalar_one())


def member_of(
    owner_id: int, kind: str, cond: Condition, record_id: sa.ColumnElement[str]
) -> sa.ColumnElement[bool]:
    """The condition as a test on the record whose id is ``record_id``, for many records: an
    exact term is a point lookup on the primary key; a prefix is ``IN (its holders)``, which
    the database evaluates once (SQLite materialises it as a temporary index)."""
    if cond.high is not None:
        return sa.and_(record_id.in_(holders(owner_id, kind, cond)))
    found = sa.exists().where(
        record_terms.c.owner_id == owner_id,
        record_terms.c.kind == kind,
        record_terms.c.term == cond.low,
        record_terms.c.record_id == record_id,
    )
    return found if cond.must_have else ~found


def probe(
    owner_id: int, kind: str, cond: Condition, record_id: sa.ColumnElement[str]
) -> sa.ColumnElement[bool]:
    """A prefix condition tested on each of a few records through its own terms
    (``ix_record_terms_record``; ``owner_id + 0`` keeps the planner off the primary key, whose
    term range cannot seek to one record): ~35 index rows per record, but nothing is
    materialised, so it wins when the other side is huge and the candidates are few."""
    found = sa.exists().where(
        record_terms.c.record_id == record_id,
        (record_terms.c.owner_id + 0) == owner_id,
        record_terms.c.kind == kind,
        term_range(cond),
    )
    return found if cond.must_have else ~found


def after(
    cursor: tuple[str, str] | None,
    sort_key: sa.ColumnElement[str],
    record_id: sa.ColumnElement[str],
) -> list[sa.ColumnElement[bool]]:
    """Keyset condition: strictly after ``cursor`` in ``(sort_key, id)`` order (the first
    part is a plain range, so every database seeks to it)."""
    if cursor is None:
        return []
    after_key, after_id = cursor
    return [sort_key >= after_key, sa.or_(sort_key > after_key, record_id > after_id)]


def rows_in_order(conn: sa.Connection, ids: list[str]) -> list[sa.Row[Any]]:
    """The ``records`` rows of ``ids``, in that order."""
    if not ids:
        return []
    by_id = sa.select(records).where(records.c.id.in_(sa.bindparam("ids", expanding=True)))
    rows = {row.id: row for row in conn.execute(by_id, {"ids": ids})}
    return [rows[record_id] for record_id in ids]
