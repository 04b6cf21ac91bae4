"""Listing and search in the local store: the server's conditions, the server's order.

A listing is the live items of one kind in ``(sort_key, id)`` order (code-point order, as
on the server), narrowed by conditions on ``terms``: each word of ``q``
(``almanac.model.query_terms``) is a term prefix the item must have; each list filter
(``almanac.model.KINDS[kind].filters``) an exact facet term it must have or lack. So a search
finds here exactly what the server finds for the same records.

Plans (SQLite has one connection and no statistics to choose for us):

- no required condition: walk ``ix_items_listing`` from the cursor, testing each item;
- else count each required condition's term rows up to ``DRIVE_CAP``; the rarest under the
  cap **drives**: a range scan of its terms (which carry the sort key), the other conditions
  probed per candidate through ``ix_terms_record`` (a seek to the record, a range on the
  term), sorted, the page cut;
- every condition is common (more than ``DRIVE_CAP`` rows, half the store or more): walk the
  listing as above — the page fills after a few items.

The conditions, cursors and prefix ranges are ``almanac.model.listing``'s, shared with the
server's record store; cursors are refused here on the field ``after``.
"""

from __future__ import annotations

from typing import Any

from almanac.model.listing import (
    Condition,
    conditions,
    encode_cursor,
    prefix_end,
    storable,
)
from almanac.model.listing import decode_cursor as _decode

DRIVE_CAP = 50_000
"""A condition with at most this many term rows drives the search (the server's
``SMALL_SET``). Walking the listing instead is cheap only when matches are spread over the
pinyin order — but a surname or its initials match one stretch of it (张 is near the end),
and the walk would test most of the store first (measured: seconds at 100,000 contacts)."""
MAX_LIMIT = 1000

__all__ = [
    "Condition",
    "conditions",
    "decode_cursor",
    "encode_cursor",
    "page_keys",
    "prefix_end",
    "storable",
]


def decode_cursor(cursor: str) -> tuple[str, str]:
    """``(sort_key, id)`` of a cursor from ``encode_cursor``; ``InvalidInput("after")``."""
    return _decode(cursor, "after", "after is not a cursor this store gave out.")


def _test(cond: Condition, id_column: str) -> tuple[str, list[Any]]:
    """SQL that is true when the record ``id_column`` meets ``cond``."""
    if cond.high is None:
        sql = f"EXISTS (SELECT 1 FROM terms x WHERE x.record_id = {id_column} AND x.term = ?)"
        args: list[Any] = [cond.low]
    else:
        sql = (
            f"EXISTS (SELECT 1 FROM terms x WHERE x.record_id = {id_column}"
            " AND x.term >= ? AND x.term < ?)"
        )
        args = [cond.low, cond.high]
    return (sql if cond.must_have else f"NOT {sql}"), args


def _range(cond: Condition, column: str = "term") -> tuple[str, list[Any]]:
    if cond.high is None:
        return f"{column} = ?", [cond.low]
    return f"{column} >= ? AND {column} < ?", [cond.low, cond.high]


def _count(conn: Any, kind: str, cond: Condition, cap: int) -> int:
    where, args = _range(cond)
    sql = f"SELECT count(*) FROM (SELECT 1 FROM terms WHERE kind = ? AND {where} LIMIT ?)"
    return int(conn.execute(sql, [kind, *args, cap]).fetchone()[0])


def _driver(conn: Any, kind: str, conds: list[Condition]) -> Condition | bool | None:
    """The driving condition; None: walk the listing; False: nothing can match."""
    required = [c for c in conds if c.must_have]
    if not required:
        return None
    counts = [_count(conn, kind, c, DRIVE_CAP + 1) for c in required]
    if 0 in counts:
        return False
    best = min(range(len(required)), key=counts.__getitem__)
    return required[best] if counts[best] <= DRIVE_CAP else None


def page_keys(
    conn: Any,
    kind: str,
    conds: list[Condition],
    limit: int,
    after: tuple[str, str] | None,
    *,
    partial: bool = False,
) -> list[tuple[str, str]]:
    """Up to ``limit`` ``(sort_key, id)`` of matching live items after ``after``.
    ``partial``: some items of ``kind`` wait for their index — leave them out (``fallback``
    scans them); their terms, if a store written before they were kept away has any, too."""
    driver = _driver(conn, kind, conds)
    if driver is False:
        return []  # no indexed item has a required term (waiting ones are scanned apart)
    if isinstance(driver, Condition):
        where, args = _range(driver, "h.term")
        sql = f"SELECT DISTINCT h.sort_key, h.record_id FROM terms h WHERE h.kind = ? AND {where}"
        args = [kind, *args]
        id_column, key_column = "h.record_id", "h.sort_key"
        rest = [c for c in conds if c is not driver]
    else:
        sql = "SELECT i.sort_key, i.id FROM items i WHERE i.kind = ? AND i.deleted = 0"
        args = [kind]
        id_column, key_column = "i.id", "i.sort_key"
        rest = conds
        if partial:
            sql += " AND i.indexed = 1"
    if partial and isinstance(driver, Condition):
        sql += " AND h.record_id NOT IN (SELECT id FROM items WHERE kind = ? AND indexed = 0)"
        args.append(kind)
    for cond in rest:
        test, more = _test(cond, id_column)
        sql += f" AND {test}"
        args += more
    if after is not None:
        sql += f" AND ({key_column}, {id_column}) > (?, ?)"
        args += list(after)
    sql += " ORDER BY 1, 2 LIMIT ?"
    args.append(limit)
    return [(row[0], row[1]) for row in conn.execute(sql, args)]
