"""Search while the index is incomplete: the items no chunk has indexed yet, scanned.

A bulk pull stores its items unindexed (``index``: no sort key, no terms), and the index is
built later in chunks (``builder``). Meanwhile a listing must still be right, so it is the
union of two parts under the same conditions and the same order (``search``):

- the indexed items, found through ``terms`` (``search.page_keys(..., partial=True)``, which
  leaves the waiting items out);
- the waiting items of the kind, each one's sort key and terms computed here (``index``'s
  ``readable`` and ``terms_of``, the model's ``sort_key`` — what ``index`` would store) and
  tested.

The scan costs what computing the terms costs (~0.1 ms a contact), so a search right after
a bootstrap is as fast as the index is far along; it reads, never writes.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable
from typing import Any

from almanac.model import sort_key
from almanac.model.listing import Condition
from almanac.store import index


def meets(terms: Iterable[str], conds: list[Condition]) -> bool:
    """Whether a record with ``terms`` meets every condition (``search``'s semantics: a
    prefix range, or an exact facet term, to have or to lack)."""
    have = terms if isinstance(terms, (set, frozenset)) else set(terms)
    for cond in conds:
        if cond.high is None:
            found = cond.low in have
        else:
            low, high = cond.low, cond.high
            found = any(low <= term < high for term in have)
        if found != cond.must_have:
            return False
    return True


def scan(
    conn: Any, kind: str, conds: list[Condition], limit: int, after: tuple[str, str] | None
) -> list[tuple[str, str]]:
    """Up to ``limit`` ``(sort_key, id)`` of the waiting live items of ``kind`` that meet
    ``conds``, after ``after``, in order."""
    rows = conn.execute(
        "SELECT id, content FROM items WHERE kind = ? AND indexed = 0 AND deleted = 0", (kind,)
    )
    found: list[tuple[str, str]] = []
    for record_id, text in rows:
        model = index.readable(kind, json.loads(text))
        if model is None:  # as ``index.compute``: sorts first, has no terms
            key, terms = "", set()
        else:
            terms = index.terms_of(kind, model) if conds else set()
        if conds and not meets(terms, conds):
            continue  # the sort key (pinyin) only for what matches
        if model is not None:
            key = sort_key(kind, model)
        if after is None or (key, record_id) > after:
            found.append((key, record_id))
    return heapq.nsmallest(limit, found)


def merge(
    indexed: list[tuple[str, str]], waiting: list[tuple[str, str]], limit: int
) -> list[tuple[str, str]]:
    """The first ``limit`` of two sorted, disjoint key lists."""
    return list(heapq.merge(indexed, waiting))[:limit]
