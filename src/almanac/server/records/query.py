"""Listing and search: which rows make one page of ``RecordStore.list``.

A listing is the owner's live records of one kind in ``(sort_key, id)`` order, optionally
narrowed by conditions on ``record_terms``: each ``q`` word is a text-term prefix the record
must have; each filter is an exact facet term it must have or must lack.

The plan is chosen per request, because the best one depends on how many records match
(measured on SQLite with 100,000 contacts; see ``bench/server.py``):

- **Drive from the terms** when some condition a record must meet matches few records: read
  at most ``SMALL_SET`` + 1 ids for each such condition from the term index (a range scan on
  the primary key), intersect the complete sets, and fetch, check and sort only those records
  by primary key. Cost grows with the number of matches.
- **Walk the listing index** (``ix_records_listing``) from the cursor otherwise, testing each
  record's conditions with one probe each, until the page is full. Cost grows with the number
  of records skipped, which is small exactly when many records match.

Probes: an exact term is a point lookup on the ``record_terms`` primary key; a prefix looks at
the record's own terms through ``ix_record_terms_record``. ``owner_id + 0`` keeps the planner
off an index where the other one is the right one (SQLite has no statistics to decide).
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

SMALL_SET = 1000
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


def _term_range(cond: Condition) -> sa.ColumnElement[bool]:
    if cond.high is None:
        return record_terms.c.term == cond.low
    return sa.and_(record_terms.c.term >= cond.low, record_terms.c.term < cond.high)


def _probe(owner_id: int, kind: str, cond: Condition) -> sa.ColumnElement[bool]:
    if cond.high is None:  # exact: a point lookup on the primary key
        owner = record_terms.c.owner_id == owner_id
    else:  # prefix: through the record's own terms (ix_record_terms_record)
        owner = (record_terms.c.owner_id + 0) == owner_id
    found = sa.exists().where(
        owner,
        record_terms.c.kind == kind,
        record_terms.c.record_id == records.c.id,
        _term_range(cond),
    )
    return found if cond.must_have else ~found


def _matching_ids(
    conn: sa.Connection, owner_id: int, kind: str, cond: Condition
) -> set[str] | None:
    """The ids of the records with the condition's term, or None when there are too many."""
    query = (
        sa.select(record_terms.c.record_id)
        .where(record_terms.c.owner_id == owner_id, record_terms.c.kind == kind)
        .where(_term_range(cond))
        .limit(SMALL_SET + 1)
    )
    ids = list(conn.execute(query).scalars())
    return None if len(ids) > SMALL_SET else set(ids)


def _after(cursor: tuple[str, str] | None) -> list[sa.ColumnElement[bool]]:
    if cursor is None:
        return []
    sort_key, record_id = cursor
    return [
        records.c.sort_key >= sort_key,
        sa.or_(records.c.sort_key > sort_key, records.c.id > record_id),
    ]


def page_rows(
    conn: sa.Connection,
    owner_id: int,
    kind: str,
    conds: list[Condition],
    limit: int,
    cursor: tuple[str, str] | None,
) -> list[sa.Row[Any]]:
    """Up to ``limit`` rows of the listing after ``cursor`` (all ``records`` columns)."""
    candidates: set[str] | None = None
    probes: list[Condition] = []
    for cond in conds:
        ids = _matching_ids(conn, owner_id, kind, cond) if cond.must_have else None
        if ids is None:
            probes.append(cond)
        else:
            candidates = ids if candidates is None else candidates & ids
        if candidates is not None and not candidates:
            return []
    query = sa.select(records).where(
        records.c.kind == kind, records.c.deleted == sa.false(), *_after(cursor)
    )
    if candidates is None:  # walk ix_records_listing
        query = query.where(records.c.owner_id == owner_id)
    else:  # look the few candidates up by primary key
        query = query.where(
            (records.c.owner_id + 0) == owner_id, records.c.id.in_(sorted(candidates))
        )
    query = query.where(*(_probe(owner_id, kind, c) for c in probes))
    query = query.order_by(records.c.sort_key, records.c.id).limit(limit)
    return list(conn.execute(query))
