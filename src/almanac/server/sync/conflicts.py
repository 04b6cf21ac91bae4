"""Stored conflicts (``record_conflicts``; docs/sync.md "Stored conflicts"): written when a
push's merge overrides a value, settled by a later mutation's ``resolves``, delivered by
pull and listed by ``GET /api/v1/conflicts``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa

from almanac.server.db.tables import record_conflicts
from almanac.server.records.stored import utc
from almanac.sync.protocol import ConflictRecord, FieldConflict, RecordChange


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def store(
    conn: sa.Connection,
    owner_id: int,
    record: RecordChange,
    conflicts: Sequence[FieldConflict],
    other_version: int | None,
    now: datetime,
) -> list[FieldConflict]:
    """One ``record_conflicts`` row per conflict, made at ``record.change_no``; returns the
    conflicts with their ``id``, ``kept_version`` (the record's version now) and
    ``other_version`` (the version before the mutation, unless the merge named one)."""
    done, rows = made(owner_id, record, conflicts, other_version, now)
    if rows:
        conn.execute(sa.insert(record_conflicts), rows)
    return done


def made(
    owner_id: int,
    record: RecordChange,
    conflicts: Sequence[FieldConflict],
    other_version: int | None,
    now: datetime,
) -> tuple[list[FieldConflict], list[dict[str, Any]]]:
    """What ``store`` writes: the conflicts as answered and their ``record_conflicts`` rows
    (a push's bulk path inserts the rows of the whole push at once)."""
    done = [
        c.model_copy(
            update={
                "id": uuid4(),
                "kept_version": record.version,
                "other_version": c.other_version or other_version,
            }
        )
        for c in conflicts
    ]
    rows = [
        {
            "id": str(c.id),
            "owner_id": owner_id,
            "record_id": str(record.id),
            "kind": record.kind,
            "field": c.field,
            "kept_value": _json(c.kept_value),
            "other_value": _json(c.other_value),
            "base_value": _json(c.base_value),
            "reason": c.reason,
            "kept_version": record.version,
            "other_version": c.other_version,
            "change_no": record.change_no,
            "resolved": False,
            "created_at": now,
        }
        for c in done
    ]
    return done, rows


def open_ids(conn: sa.Connection, owner_id: int, record_id: UUID, ids: Sequence[UUID]) -> list[str]:
    """Of ``ids``, the unresolved conflicts of this owner and this record (others ignored)."""
    if not ids:
        return []
    query = sa.select(record_conflicts.c.id).where(
        record_conflicts.c.owner_id == owner_id,
        record_conflicts.c.record_id == str(record_id),
        record_conflicts.c.resolved == sa.false(),
        record_conflicts.c.id.in_(sorted({str(i) for i in ids})),
    )
    return sorted(str(i) for i in conn.execute(query).scalars())


def settle(conn: sa.Connection, ids: Sequence[str], change_no: int) -> None:
    """Mark these conflicts resolved at ``change_no`` (so other devices pull the settlement)."""
    conn.execute(
        sa.update(record_conflicts)
        .where(record_conflicts.c.id.in_(list(ids)))
        .values(resolved=True, change_no=change_no)
    )


def of_row(row: Any) -> ConflictRecord:
    return ConflictRecord(
        id=UUID(row.id),
        record_id=UUID(row.record_id),
        kind=row.kind,
        field=row.field,
        kept_value=json.loads(row.kept_value),
        other_value=json.loads(row.other_value),
        base_value=json.loads(row.base_value),
        reason=row.reason,
        kept_version=int(row.kept_version),
        other_version=None if row.other_version is None else int(row.other_version),
        change_no=int(row.change_no),
        resolved=bool(row.resolved),
        created_at=utc(row.created_at),
    )


def between(conn: sa.Connection, owner_id: int, after: int, upto: int) -> list[ConflictRecord]:
    """The owner's conflicts made or settled with a change number in ``(after, upto]``."""
    query = (
        sa.select(record_conflicts)
        .where(
            record_conflicts.c.owner_id == owner_id,
            record_conflicts.c.change_no > after,
            record_conflicts.c.change_no <= upto,
        )
        .order_by(record_conflicts.c.change_no, record_conflicts.c.id)
    )
    return [of_row(row) for row in conn.execute(query)]


def listed(engine: sa.Engine, owner_id: int, resolved: bool = False) -> list[ConflictRecord]:
    """The owner's open (or settled) conflicts, oldest change first."""
    query = (
        sa.select(record_conflicts)
        .where(
            record_conflicts.c.owner_id == owner_id,
            record_conflicts.c.resolved == (sa.true() if resolved else sa.false()),
        )
        .order_by(record_conflicts.c.change_no, record_conflicts.c.id)
    )
    with engine.connect() as conn:
        return [of_row(row) for row in conn.execute(query)]
