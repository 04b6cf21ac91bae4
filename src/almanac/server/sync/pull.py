"""``pull``: one page of the owner's changes and conflicts after a cursor (see the package
docstring), read in one transaction.

``pull_json`` is what the route sends: the page as JSON bytes, built straight from the rows.
Each record's ``data`` column is already the JSON of its content (written through the model),
so it goes into the answer as it is stored — no parse, no model, no second serialisation (a
page of 1,000 records costs a few milliseconds instead of ~50). The envelope fields are
numbers, booleans, a UUID, a kind and a UTC time: nothing that needs escaping. ``pull`` is
the same page as a ``PullResponse`` (parsed from those bytes: one code path).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa

from almanac.server.db.tables import records, users
from almanac.server.records.stored import utc
from almanac.server.sync import conflicts as stored_conflicts
from almanac.sync.protocol import DEFAULT_PULL_LIMIT, ConflictRecord, PullResponse

RESYNC = b'{"changes":[],"conflicts":[],"next_cursor":0,"more":false,"resync_required":true}'

_COLUMNS = (
    records.c.id,
    records.c.kind,
    records.c.version,
    records.c.change_no,
    records.c.deleted,
    records.c.data,
    records.c.updated_at,
)


def pull(
    engine: sa.Engine, owner_id: int, cursor: int = 0, limit: int = DEFAULT_PULL_LIMIT
) -> PullResponse:
    return PullResponse.model_validate_json(pull_json(engine, owner_id, cursor, limit))


def pull_json(
    engine: sa.Engine, owner_id: int, cursor: int = 0, limit: int = DEFAULT_PULL_LIMIT
) -> bytes:
    """The page as the JSON of a ``PullResponse`` (what ``GET /sync/pull`` answers)."""
    with engine.connect() as conn:
        marks = conn.execute(
            sa.select(users.c.last_change_no, users.c.purged_change_no).where(
                users.c.id == owner_id
            )
        ).one_or_none()
        last, purged = (int(marks[0]), int(marks[1])) if marks is not None else (0, 0)
        if cursor > last or 0 < cursor < purged:
            return RESYNC
        query = (
            sa.select(*_COLUMNS)
            .where(
                records.c.owner_id == owner_id,
                records.c.change_no > cursor,
                records.c.change_no <= last,
            )
            .order_by(records.c.change_no)
            .limit(limit + 1)
        )
        rows = conn.execute(query).all()
        page, more = rows[:limit], len(rows) > limit
        next_cursor = int(page[-1][3]) if more else last
        conflicts = stored_conflicts.between(conn, owner_id, cursor, next_cursor)
    changes = ",".join([change_json(*row) for row in page])
    return (
        f'{{"changes":[{changes}],"conflicts":{_conflicts(conflicts)},'
        f'"next_cursor":{next_cursor},"more":{_bool(more)},"resync_required":false}}'
    ).encode()


def change_json(
    record_id: str,
    kind: str,
    version: int,
    change_no: int,
    deleted: object,
    data: str,
    updated_at: datetime,
) -> str:
    """One ``RecordChange`` as JSON; ``data`` is the stored content JSON, put in as it is."""
    return (
        f'{{"id":"{record_id}","kind":"{kind}","version":{int(version)},'
        f'"change_no":{int(change_no)},"deleted":{_bool(deleted)},"content":{data},'
        f'"updated_at":"{_time(updated_at)}"}}'
    )


def _bool(value: object) -> str:
    return "true" if value else "false"


@lru_cache(maxsize=4096)
def _time(value: datetime) -> str:
    """As pydantic writes an aware UTC time (``…Z``; the fraction only when there is one).
    Cached: times are to the second, and records written together share theirs."""
    return utc(value).isoformat().replace("+00:00", "Z")


def _conflicts(found: list[ConflictRecord]) -> str:
    return "[" + ",".join(c.model_dump_json() for c in found) + "]"
