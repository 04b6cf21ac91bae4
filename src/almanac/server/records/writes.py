"""Row-level writes inside one writing transaction: the change counter, record rows, reads.

Every writing transaction starts with ``bump``: ``UPDATE users SET last_change_no =
last_change_no + n`` for the owner, then a read of the new value. Being a write, it takes the
owner's row lock first (PostgreSQL, MariaDB) or the database write lock (SQLite, whose deferred
transaction must begin with a write), so one person's writes run one after another and their
change numbers are unique; nobody else waits on them (except on SQLite, which has one writer
at a time anyway).

Every version written goes to ``record_versions`` too (``insert_new``, ``rewrite``): the
record routes and sync pushes keep the same history, so a sync merge always finds its base.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from pydantic import BaseModel

from almanac.errors import NotFound
from almanac.model import sort_key
from almanac.server.db.tables import records, users
from almanac.server.records.history import add_versions, version_row
from almanac.server.records.stored import to_json
from almanac.server.records.terms import insert_terms, replace_terms, terms_of


def bump(conn: sa.Connection, owner_id: int, count: int = 1) -> int:
    """Take ``count`` change numbers for the owner; returns the last (the others precede it)."""
    result = conn.execute(
        sa.update(users)
        .where(users.c.id == owner_id)
        .values(last_change_no=users.c.last_change_no + count)
    )
    if result.rowcount != 1:
        raise NotFound("person", owner_id)
    query = sa.select(users.c.last_change_no).where(users.c.id == owner_id)
    return int(conn.execute(query).scalar_one())


def live_row(conn: sa.Connection, owner_id: int, kind: str, record_id: UUID) -> sa.Row[Any]:
    """The owner's live record of ``kind`` with this id, else ``NotFound``."""
    query = sa.select(records).where(
        records.c.id == str(record_id),
        records.c.owner_id == owner_id,
        records.c.kind == kind,
        records.c.deleted == sa.false(),
    )
    row = conn.execute(query).one_or_none()
    if row is None:
        raise NotFound(kind, record_id)
    return row


def new_row(
    owner_id: int, kind: str, record_id: str, content: BaseModel, change_no: int, now: datetime
) -> dict[str, Any]:
    """The ``records`` row of a new record (version 1)."""
    return {
        "id": record_id,
        "owner_id": owner_id,
        "kind": kind,
        "version": 1,
        "change_no": change_no,
        "created_at": now,
        "updated_at": now,
        "deleted": False,
        "sort_key": sort_key(kind, content),
        "data": to_json(content),
    }


def insert_new(
    conn: sa.Connection, rows: list[dict[str, Any]], terms: list[dict[str, Any]]
) -> None:
    """Insert new records (``new_row``s with their change numbers), their terms and their
    version 1 in the history."""
    conn.execute(sa.insert(records), rows)
    if terms:
        insert_terms(conn, terms)
    add_versions(
        conn,
        [
            version_row(
                r["owner_id"],
                r["kind"],
                r["id"],
                1,
                False,
                r["data"],
                r["change_no"],
                r["updated_at"],
            )
            for r in rows
        ],
    )


def rewrite(
    conn: sa.Connection,
    row: sa.Row[Any],
    content: BaseModel,
    change_no: int,
    now: datetime,
    *,
    deleted: bool = False,
) -> None:
    """Store a new version of the record in ``row``: new content (or a tombstone), terms and
    the history row."""
    data = to_json(content)
    key = sort_key(row.kind, content)  # pinyin: computed once for the row and its terms
    conn.execute(
        sa.update(records)
        .where(records.c.id == row.id)
        .values(
            version=row.version + 1,
            change_no=change_no,
            updated_at=now,
            deleted=deleted,
            sort_key=key,
            data=data,
        )
    )
    add_versions(
        conn,
        [
            version_row(
                row.owner_id, row.kind, row.id, row.version + 1, deleted, data, change_no, now
            )
        ],
    )
    terms = set() if deleted else terms_of(row.kind, content)
    replace_terms(conn, row.owner_id, row.kind, row.id, terms, key)


def read_row(conn: sa.Connection, record_id: str) -> sa.Row[Any]:
    return conn.execute(sa.select(records).where(records.c.id == record_id)).one()
