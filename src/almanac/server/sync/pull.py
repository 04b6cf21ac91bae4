"""``pull``: one page of the owner's changes and conflicts after a cursor (see the package
docstring), read in one transaction."""

from __future__ import annotations

import sqlalchemy as sa

from almanac.server.db.tables import records, users
from almanac.server.records.stored import from_row
from almanac.server.sync import conflicts as stored_conflicts
from almanac.sync.protocol import DEFAULT_PULL_LIMIT, PullResponse, RecordChange


def pull(
    engine: sa.Engine, owner_id: int, cursor: int = 0, limit: int = DEFAULT_PULL_LIMIT
) -> PullResponse:
    with engine.connect() as conn:
        marks = conn.execute(
            sa.select(users.c.last_change_no, users.c.purged_change_no).where(
                users.c.id == owner_id
            )
        ).one_or_none()
        last, purged = (int(marks[0]), int(marks[1])) if marks is not None else (0, 0)
        if cursor > last or 0 < cursor < purged:
            return PullResponse(changes=[], next_cursor=0, more=False, resync_required=True)
        query = (
            sa.select(records)
            .where(
                records.c.owner_id == owner_id,
                records.c.change_no > cursor,
                records.c.change_no <= last,
            )
            .order_by(records.c.change_no)
            .limit(limit + 1)
        )
        found = [from_row(row) for row in conn.execute(query)]
        page, more = found[:limit], len(found) > limit
        next_cursor = page[-1].change_no if more else last
        conflicts = stored_conflicts.between(conn, owner_id, cursor, next_cursor)
    return PullResponse(
        # Rows of our own table, written through the model: constructed, not validated again
        # (validating every content as JsonValue was half the cost of a page).
        changes=[
            RecordChange.model_construct(
                id=r.id,
                kind=r.kind,
                version=r.version,
                change_no=r.change_no,
                deleted=r.deleted,
                content=r.data,
                updated_at=r.updated_at,
            )
            for r in page
        ],
        conflicts=conflicts,
        next_cursor=next_cursor,
        more=more,
    )
