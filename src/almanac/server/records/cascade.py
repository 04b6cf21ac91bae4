"""Deleting a record unlinks the records that point at it (R4, R6).

Deleting a group removes it from every contact's ``groups``; deleting a contact sets the
``contact_id`` of its birthdays to None. Generally: every live record with a reference to the
deleted one (found by its ``~r:<id>`` term) gets that reference removed — taken out of a
list, or set to None — and is written as a new version with its own change number, in the
deleting transaction, so no live record ever points at a tombstone.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel

from almanac.model import KINDS, dump_content, load_content, references, validate_content
from almanac.server.db.tables import record_terms, records
from almanac.server.records import backlog
from almanac.server.records.terms import ref_term


def referrers(conn: sa.Connection, owner_id: int, record_id: str) -> list[sa.Row[Any]]:
    """The owner's live records that reference ``record_id`` (all columns, by id); the
    owner's term backlog caught up first (the caller holds the owner's lock)."""
    backlog.catch_up(conn, owner_id)
    ids = (
        sa.select(record_terms.c.record_id)
        .where(
            record_terms.c.owner_id == owner_id,
            record_terms.c.kind.in_(sorted(KINDS)),
            record_terms.c.term == ref_term(record_id),
        )
        .scalar_subquery()
    )
    query = (
        sa.select(records)
        .where(records.c.id.in_(ids), records.c.deleted == sa.false())
        .order_by(records.c.id)
    )
    return list(conn.execute(query))


def without_reference(kind: str, content: BaseModel, target: str) -> BaseModel:
    """``content`` with every reference to ``target`` removed (list item) or cleared (None)."""
    data: Any = dump_content(content)
    paths = [ref.field.split(".") for ref in references(kind, content) if str(ref.id) == target]
    # Remove list items from the highest index down so earlier indexes stay right.
    paths.sort(key=lambda p: [int(x) if x.isdigit() else -1 for x in p], reverse=True)
    for path in paths:
        parent = data
        for part in path[:-1]:
            parent = parent[int(part)] if isinstance(parent, list) else parent[part]
        last = path[-1]
        if isinstance(parent, list):
            del parent[int(last)]
        else:
            parent[last] = None
    return validate_content(kind, data)


def unlinked_content(row: sa.Row[Any], target: str) -> BaseModel:
    """The content of a referrer row once ``target`` is unlinked."""
    current = load_content(row.kind, json.loads(row.data))
    return without_reference(row.kind, current, target)
