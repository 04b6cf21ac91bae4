"""Listing and search: which rows make one page of ``RecordStore.list``.

A listing is the owner's live records of one kind in ``(sort_key, id)`` order, optionally
narrowed by conditions on ``record_terms``: each ``q`` word is a text-term prefix the record
must have; each filter is an exact facet term it must have or must lack.

The plan is chosen per request, because the best one depends on how many records match
(measured on SQLite with 100,000 contacts; see ``bench/server.py``):

- **Drive from the terms** when some condition a record must meet matches few records: count
  each such condition's term rows up to ``SMALL_SET`` + 1 (an index-only range scan on the
  ``record_terms`` primary key), take the rarest, and look only its holders up by primary key,
  check the other conditions, sort their keys and read the page. Cost grows with the number
  of matches.
- **Walk the listing index** (``ix_records_listing``) from the cursor otherwise, testing each
  record's conditions with one probe each, until the page is full. Cost grows with the number
  of records skipped, which is small exactly when many records match.

A condition that does not drive is checked per record: an exact term (a filter) with a point
lookup on the ``record_terms`` primary key, a prefix with ``id IN (its holders)``, which every
database evaluates once (SQLite materialises it as a temporary index). A per-record prefix
probe through ``ix_record_terms_record`` would read all ~35 terms of each record: measured ~40 µs
per record, far too slow. ``owner_id + 0`` keeps the planner off the listing index when the
candidates are few (SQLite has no statistics to decide).

Known limit: a very common one-character query (a frequent surname, ``张``: ~7% of contacts)
has too many holders to drive cheaply and its matches sit together late in the list order, so
both plans read thousands of rows (tens of ms at 100,000 contacts). Putting ``sort_key`` into
``record_terms`` (a covering ``(owner_id, kind, term, sort_key, record_id)`` index) would make
every search an index-only range scan plus a small sort.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from almanac.errors import InvalidInput
from almanac.model import KINDS, query_terms
from almanac.server.db.tables import record_terms, records
from almanac.server.records.cursor import prefix_end
from almanac.server.records.terms import SORTED_TERMS

SMALL_SET = 50_000 if SORTED_TERMS else 4000
"""A condition matching at most this many term rows drives the query from the term index."""


@dataclass(frozen=True)
class Condition:
    """Records must have (``must_have``) or lack a term in ``[low, high)``, or equal to
    ``low`` when ``high`` is None."""

    low: str
    high: str | None
    must_have: bool = True


def conditions(kind: str, q: str | None, filters: Mapping[str, str] | None) -> list[Condition]:
    """The conditions of a ``q`` text and list filters (``InvalidInput`` on a bad filter)."""
    found = [Condition(p, prefix_end(p)) for p in query_terms(q or "")]
    spec = KINDS[kind]
    for name, raw in (filters or {}).items():
        flt = spec.filters.get(name)
        if flt is None:
            known = ", ".join(sorted(spec.filters)) or "none"
            raise InvalidInput.one(
                name,
                f"{name} is not a filter of {spec.plural} (filters: {known}).",
                "unknown_filter",
            )
        term, must_have = flt.terms(raw)
        found.append(Condition(term, None, must_have))
    return found


def _term_range(
    cond: Condition, term: sa.ColumnElement[str] = record_terms.c.term
) -> sa.ColumnElement[bool]:
    if cond.high is None:
        return sa.and_(term == cond.low)
    return sa.and_(term >= cond.low, term < cond.high)


def _holders(owner_id: int, kind: str, cond: Condition) -> sa.Select[tuple[str]]:
    """The ids of the owner's records of ``kind`` that have the condition's term."""
    return sa.select(record_terms.c.record_id).where(
        record_terms.c.owner_id == owner_id, record_terms.c.kind == kind, _term_range(cond)
    )


def _check(
    owner_id: int, kind: str, cond: Condition, record_id: sa.ColumnElement[str]
) -> sa.ColumnElement[bool]:
    """The condition as a test on the record whose id is the column ``record_id``."""
    if cond.high is not None:  # a prefix: membership in its (materialised) set of holders
        return sa.and_(record_id.in_(_holders(owner_id, kind, cond)))
    found = sa.exists().where(  # an exact term: one point lookup on the primary key
        record_terms.c.owner_id == owner_id,
        record_terms.c.kind == kind,
        record_terms.c.term == cond.low,
        record_terms.c.record_id == record_id,
    )
    return found if cond.must_have else ~found


def _holder_count(conn: sa.Connection, owner_id: int, kind: str, cond: Condition, cap: int) -> int:
    """How many term rows the condition matches, counted up to ``cap`` (an index-only range
    scan that stops early; no row leaves the database)."""
    capped = _holders(owner_id, kind, cond).limit(cap).subquery()
    return int(conn.execute(sa.select(sa.func.count()).select_from(capped)).scalar_one())


def _after(
    cursor: tuple[str, str] | None,
    sort_key: sa.ColumnElement[str],
    record_id: sa.ColumnElement[str],
) -> list[sa.ColumnElement[bool]]:
    if cursor is None:
        return []
    after_key, after_id = cursor
    return [sort_key >= after_key, sa.or_(sort_key > after_key, record_id > after_id)]


def _driver(
    conn: sa.Connection, owner_id: int, kind: str, conds: list[Condition], cap: int
) -> Condition | None:
    """The required condition with the fewest term rows if that is under ``cap``, else None;
    ``EMPTY`` when one matches nothing."""
    driver: Condition | None = None
    smallest = cap
    required = [cond for cond in conds if cond.must_have]
    if SORTED_TERMS and len(required) == 1:
        return required[0]  # nothing to compare: no need to count
    for cond in required:
        count = _holder_count(conn, owner_id, kind, cond, cap)
        if count == 0:
            return EMPTY
        if count < smallest:
            driver, smallest = cond, count
    return driver


EMPTY = Condition("", "", True)
"""``_driver``'s answer when some required condition matches no record at all."""


def _rows_in_order(conn: sa.Connection, ids: list[str]) -> list[sa.Row[Any]]:
    if not ids:
        return []
    by_id = sa.select(records).where(records.c.id.in_(sa.bindparam("ids", expanding=True)))
    rows = {row.id: row for row in conn.execute(by_id, {"ids": ids})}
    return [rows[record_id] for record_id in ids]


def page_rows(
    conn: sa.Connection,
    owner_id: int,
    kind: str,
    conds: list[Condition],
    limit: int,
    cursor: tuple[str, str] | None,
) -> list[sa.Row[Any]]:
    """Up to ``limit`` rows of the listing after ``cursor`` (all ``records`` columns)."""
    driver = _driver(conn, owner_id, kind, conds, SMALL_SET + 1)
    if driver is EMPTY:
        return []
    if driver is not None and SORTED_TERMS:
        return _rows_in_order(conn, _sorted_ids(conn, owner_id, kind, conds, driver, limit, cursor))
    checks = [_check(owner_id, kind, c, records.c.id) for c in conds if c is not driver]
    where = [
        records.c.kind == kind,
        records.c.deleted == sa.false(),
        *_after(cursor, records.c.sort_key, records.c.id),
        *checks,
    ]
    order = (records.c.sort_key, records.c.id)
    if driver is None:  # walk ix_records_listing, which gives the order
        query = sa.select(records).where(records.c.owner_id == owner_id, *where)
        return list(conn.execute(query.order_by(*order).limit(limit)))
    # Look the driver's few holders up by primary key (owner_id + 0: not through the listing
    # index), sort their keys, then read the rows of the page only.
    keys = (
        sa.select(records.c.id)
        .where(
            (records.c.owner_id + 0) == owner_id,
            records.c.id.in_(_holders(owner_id, kind, driver)),
            *where,
        )
        .order_by(*order)
        .limit(limit)
    )
    return _rows_in_order(conn, list(conn.execute(keys).scalars()))


def _sorted_ids(
    conn: sa.Connection,
    owner_id: int,
    kind: str,
    conds: list[Condition],
    driver: Condition,
    limit: int,
    cursor: tuple[str, str] | None,
) -> list[str]:
    """The page's ids when ``record_terms`` carries sort keys: an index-only range scan of the
    driver's terms, the other conditions checked on each, sorted; no ``records`` row is read.
    (Only live records have terms, so tombstones never show up.)"""
    hit = record_terms.alias("hit")
    checks = [_check(owner_id, kind, c, hit.c.record_id) for c in conds if c is not driver]
    query = (
        sa.select(hit.c.sort_key, hit.c.record_id)
        .distinct()
        .where(
            hit.c.owner_id == owner_id,
            hit.c.kind == kind,
            _term_range(driver, hit.c.term),
            *_after(cursor, hit.c.sort_key, hit.c.record_id),
            *checks,
        )
        .order_by(hit.c.sort_key, hit.c.record_id)
        .limit(limit)
    )
    return [row.record_id for row in conn.execute(query)]
