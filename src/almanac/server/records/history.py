"""``record_versions``: the content of every version written, by the record routes and by
sync pushes alike, so a sync merge finds its base (the content at the client's
``base_version``) whichever way the version was made (R8, R14; docs/sync.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from almanac.server.db.tables import record_versions
from almanac.server.records.stored import execute_rows, utc


def version_row(
    owner_id: int,
    kind: str,
    record_id: str,
    version: int,
    deleted: bool,
    data: str,
    change_no: int,
    now: datetime,
) -> dict[str, Any]:
    """One ``record_versions`` row (``data``: the content's JSON text)."""
    return {
        "record_id": record_id,
        "version": version,
        "owner_id": owner_id,
        "kind": kind,
        "deleted": deleted,
        "data": data,
        "change_no": change_no,
        "created_at": now,
    }


def add_versions(conn: sa.Connection, rows: Sequence[dict[str, Any]]) -> None:
    execute_rows(conn, sa.insert(record_versions), list(rows))


def keep_version(conn: sa.Connection, row: sa.Row[Any]) -> None:
    """Put the version a ``records`` row holds into the history unless it is there already
    (a version written before the history was kept for every write)."""
    there = conn.execute(
        sa.select(record_versions.c.version).where(
            record_versions.c.record_id == row.id, record_versions.c.version == row.version
        )
    ).scalar_one_or_none()
    if there is None:
        add_versions(
            conn,
            [
                version_row(
                    int(row.owner_id),
                    str(row.kind),
                    str(row.id),
                    int(row.version),
                    bool(row.deleted),
                    str(row.data),
                    int(row.change_no),
                    utc(row.updated_at),
                )
            ],
        )


def content_at(conn: sa.Connection, record_id: str, version: int) -> str | None:
    """The JSON text of the record's content at ``version``, if the history has it."""
    query = sa.select(record_versions.c.data).where(
        record_versions.c.record_id == record_id, record_versions.c.version == version
    )
    value = conn.execute(query).scalar_one_or_none()
    return None if value is None else str(value)
