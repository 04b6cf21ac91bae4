"""Listing and search: which rows make one page of ``RecordStore.list``.

A listing is the owner's live records of one kind in ``(sort_key, id)`` order, optionally
narrowed by conditions on ``record_terms``: each ``q`` word is a text-term prefix the record
must have; each filter is an exact facet term it must have or must lack.

The plan is chosen per request, because the best one depends on how many records match
(measured on SQLite with 100,000 contacts; see ``bench/server.py`` and its README):

1. Count each required condition's term rows up to ``SMALL_SET`` + 1 (an index-only range
   scan on the ``record_terms`` primary key that stops early).
2. **Drive from the rarest** when it is under the cap: only its holders are looked up by
   primary key (``owner_id + 0`` keeps SQLite, which has no statistics, off the listing
   index), the other conditions are checked on them, their keys sorted and the page read.
   Another broad prefix is probed per candidate (``clauses.probe``) when it has so many
   holders that materialising them would cost more (``PROBE_RATIO``), else matched against
   its materialised holders (``clauses.member_of``).
3. Otherwise **walk the listing index** (``ix_records_listing``) from the cursor, testing each
   record, until the page is full: cheap exactly when many records match.

The two most asked shapes skip the choice and run a statement built once with every value
bound (no SQL building per page; bench/web.py): the plain list (``_WALK``) and one word with
no filter (``_ONE_TERM``: step 2 with nothing else to check).

``record_terms`` carries each record's ``sort_key``, so step 2 reads no ``records`` row at
all: the driver's terms give ``(sort_key, id)`` directly, so even a bare common surname
(``张``, ~7% of contacts) is an index range scan plus a small sort (bench/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from almanac.model.listing import Condition
from almanac.server.db.tables import record_terms, records
from almanac.server.records import clauses

SMALL_SET = 50_000
"""A condition matching at most this many term rows drives the query from the term index."""


@dataclass(frozen=True)
class _Plan:
    """Drive from ``source`` (ids of candidate holders) or, when it is None, walk the listing;
    ``checks`` are the remaining tests on each record."""

    source: sa.Select[tuple[str]] | sa.CompoundSelect[tuple[str]] | None
    checks: list[Condition]
    probes: list[Condition]
    driver: Condition | None = None


def _plan(conn: sa.Connection, owner_id: int, kind: str, conds: list[Condition]) -> _Plan | None:
    """Choose the plan (see the module docstring); None when nothing can match."""
    required = [c for c in conds if c.must_have]
    if not required:
        return _Plan(None, conds, [])
    if len(required) == 1:  # the only choice; no need to count
        only = required[0]
        rest = [c for c in conds if c is not only]
        return _Plan(clauses.holders(owner_id, kind, only), rest, [], only)
    counts = [
        clauses.count_capped(conn, clauses.holders(owner_id, kind, c), SMALL_SET + 1)
        for c in required
    ]
    if 0 in counts:
        return None
    rarest = min(range(len(required)), key=counts.__getitem__)
    driver = required[rarest]
    others = [c for c in conds if c is not driver]
    if counts[rarest] <= SMALL_SET:
        probes = [
            c
            for c, n in zip(required, counts, strict=True)
            if n > SMALL_SET and _worth_probing(conn, owner_id, kind, c, counts[rarest])
        ]
        checks = [c for c in others if all(c is not p for p in probes)]
        return _Plan(clauses.holders(owner_id, kind, driver), checks, probes, driver)
    return _Plan(None, conds, [])


PROBE_RATIO = 40
"""A probe (~35 index rows of one candidate) costs about as much as materialising this many
holders of the probed condition (measured on SQLite)."""

PROBE_CANDIDATES = 10_000
"""Never probe for more candidates than this."""


def _worth_probing(
    conn: sa.Connection, owner_id: int, kind: str, cond: Condition, candidates: int
) -> bool:
    """Whether probing ``cond`` on each candidate beats materialising its holders: counts
    them only as far as the probes would cost."""
    if candidates > PROBE_CANDIDATES:
        return False
    cap = candidates * PROBE_RATIO
    return clauses.count_capped(conn, clauses.holders(owner_id, kind, cond), cap) >= cap


def _walk_statement(with_cursor: bool) -> sa.Select[Any]:
    """A page of the plain list (no conditions) walking ``ix_records_listing``, with every
    value bound at execution: built once, so a page costs no statement building (the most
    asked page: the contact list, the groups menu, the agenda's records)."""
    after = (
        clauses.after(
            (sa.bindparam("after_key"), sa.bindparam("after_id")),  # type: ignore[arg-type]
            records.c.sort_key,
            records.c.id,
        )
        if with_cursor
        else []
    )
    return (
        sa.select(records)
        .where(
            records.c.owner_id == sa.bindparam("owner_id"),
            records.c.kind == sa.bindparam("kind"),
            records.c.deleted == sa.false(),
            *after,
        )
        .order_by(records.c.sort_key, records.c.id)
        .limit(sa.bindparam("limit", type_=sa.Integer))
    )


_WALK = {False: _walk_statement(False), True: _walk_statement(True)}


def page_rows(
    conn: sa.Connection,
    owner_id: int,
    kind: str,
    conds: list[Condition],
    limit: int,
    cursor: tuple[str, str] | None,
) -> list[sa.Row[Any]]:
    """Up to ``limit`` rows of the listing after ``cursor`` (all ``records`` columns)."""
    values: dict[str, Any] = {"owner_id": owner_id, "kind": kind, "limit": limit}
    if cursor is not None:
        values |= {"after_key": cursor[0], "after_id": cursor[1]}
    if not conds:  # the plain list: one prepared statement
        return list(conn.execute(_WALK[cursor is not None], values))
    if len(conds) == 1 and conds[0].must_have:  # one word, no filter: the same for its ids
        only = conds[0]
        prefix = only.high is not None
        values |= {"low": only.low, "high": only.high} if prefix else {"low": only.low}
        return list(conn.execute(_ONE_TERM[prefix, cursor is not None], values))
    plan = _plan(conn, owner_id, kind, conds)
    if plan is None:
        return []
    if plan.source is not None and plan.driver is not None:
        ids = _sorted_ids(conn, owner_id, kind, plan, limit, cursor)
        return clauses.rows_in_order(conn, ids)
    tests = [clauses.member_of(owner_id, kind, c, records.c.id) for c in plan.checks]
    tests += [clauses.probe(owner_id, kind, c, records.c.id) for c in plan.probes]
    where = [
        records.c.kind == kind,
        records.c.deleted == sa.false(),
        *clauses.after(cursor, records.c.sort_key, records.c.id),
        *tests,
    ]
    order = (records.c.sort_key, records.c.id)
    if plan.source is None:  # walk ix_records_listing, which gives the order
        query = sa.select(records).where(records.c.owner_id == owner_id, *where)
        return list(conn.execute(query.order_by(*order).limit(limit)))
    keys = (
        sa.select(records.c.id)
        .where((records.c.owner_id + 0) == owner_id, records.c.id.in_(plan.source), *where)
        .order_by(*order)
        .limit(limit)
    )
    return clauses.rows_in_order(conn, list(conn.execute(keys).scalars()))


_HIT = record_terms.alias("hit")
"""The driver's term rows (made once: an alias sets up its columns when first used)."""


def _one_term_statement(prefix: bool, with_cursor: bool) -> sa.Select[Any]:
    """The page's ``records`` rows for one term condition and nothing else (a search of one
    word, the most asked), every value bound at execution: built once. The ids are
    ``_sorted_ids``'s (a derived table: DISTINCT, ORDER BY, LIMIT on the term index) and the
    rows are joined to them by primary key in the same statement — one round trip, no list
    of ids expanded into SQL per page."""
    hit = _HIT
    if prefix:
        term = sa.and_(hit.c.term >= sa.bindparam("low"), hit.c.term < sa.bindparam("high"))
    else:
        term = sa.and_(hit.c.term == sa.bindparam("low"))
    after = (
        clauses.after(
            (sa.bindparam("after_key"), sa.bindparam("after_id")),  # type: ignore[arg-type]
            hit.c.sort_key,
            hit.c.record_id,
        )
        if with_cursor
        else []
    )
    page = (
        sa.select(hit.c.sort_key, hit.c.record_id)
        .distinct()
        .where(
            hit.c.owner_id == sa.bindparam("owner_id"),
            hit.c.kind == sa.bindparam("kind"),
            term,
            *after,
        )
        .order_by(hit.c.sort_key, hit.c.record_id)
        .limit(sa.bindparam("limit", type_=sa.Integer))
        .subquery("page")
    )
    return (
        sa.select(records)
        .join(page, records.c.id == page.c.record_id)
        .order_by(page.c.sort_key, page.c.record_id)
    )


_ONE_TERM = {(p, c): _one_term_statement(p, c) for p in (False, True) for c in (False, True)}


def _sorted_ids(
    conn: sa.Connection,
    owner_id: int,
    kind: str,
    plan: _Plan,
    limit: int,
    cursor: tuple[str, str] | None,
) -> list[str]:
    """The page's ids when ``record_terms`` carries sort keys: an index-only range scan of the
    driver's terms, the other conditions checked on each, sorted; no ``records`` row is read.
    (Only live records have terms, so tombstones never show up.)"""
    assert plan.driver is not None
    hit = _HIT
    tests = [clauses.member_of(owner_id, kind, c, hit.c.record_id) for c in plan.checks]
    tests += [clauses.probe(owner_id, kind, c, hit.c.record_id) for c in plan.probes]
    query = (
        sa.select(hit.c.sort_key, hit.c.record_id)
        .distinct()
        .where(
            hit.c.owner_id == owner_id,
            hit.c.kind == kind,
            clauses.term_range(plan.driver, hit.c.term),
            *clauses.after(cursor, hit.c.sort_key, hit.c.record_id),
            *tests,
        )
        .order_by(hit.c.sort_key, hit.c.record_id)
        .limit(limit)
    )
    return [row.record_id for row in conn.execute(query)]
