"""What the server holds for one person, read straight from its database: the records, every
version of each (``record_versions``) and the stored conflicts (``record_conflicts``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from almanac.server.db.tables import record_conflicts, record_versions, records


@dataclass(frozen=True)
class Row:
    id: str
    kind: str
    version: int
    deleted: bool
    content: dict[str, Any]


@dataclass(frozen=True)
class ServerView:
    records: dict[str, Row]
    versions: dict[str, list[tuple[int, dict[str, Any]]]]
    """Per record, ``(version, content)`` in version order."""
    conflict_values: dict[str, list[Any]]
    """Per record, every kept and overridden value of its conflicts."""

    def seen(self, record_id: str, field: str) -> list[Any]:
        """Every value ``field`` ever had on the server, or was kept in a conflict."""
        found = [content.get(field) for _, content in self.versions.get(record_id, [])]
        return found + self.conflict_values.get(record_id, [])


def read(engine: sa.Engine, owner_id: int) -> ServerView:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(records).where(records.c.owner_id == owner_id)).all()
        v = record_versions.c
        history = conn.execute(
            sa.select(v.record_id, v.version, v.data)
            .where(v.owner_id == owner_id)
            .order_by(v.record_id, v.version)
        ).all()
        conflicts = conn.execute(
            sa.select(
                record_conflicts.c.record_id,
                record_conflicts.c.kept_value,
                record_conflicts.c.other_value,
            ).where(record_conflicts.c.owner_id == owner_id)
        ).all()
    versions: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for h in history:
        versions.setdefault(h.record_id, []).append((int(h.version), json.loads(h.data)))
    values: dict[str, list[Any]] = {}
    for c in conflicts:
        values.setdefault(c.record_id, []).extend(
            [json.loads(c.kept_value), json.loads(c.other_value)]
        )
    return ServerView(
        records={
            r.id: Row(r.id, r.kind, int(r.version), bool(r.deleted), json.loads(r.data))
            for r in rows
        },
        versions=versions,
        conflict_values=values,
    )
