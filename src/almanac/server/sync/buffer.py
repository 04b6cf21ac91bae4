"""``WriteBuffer``: the writes of one push that wait to go to the database together, one bulk
statement per table (docs/sync.md, "How a push is applied").

A mutation on the bulk path stages a ``Write`` (its new or changed ``records`` row, its
``record_versions`` row, whether its search terms must be brought up to date, the conflicts
it made); ``flush`` writes everything staged so far: new rows (one multi-row insert), changed
rows (an executemany of ``UPDATE … WHERE id = ?`` per set of columns, the last version of
each record only, ``sort_key`` and ``deleted`` named only when they change), history, the
records whose terms changed put in the term backlog (``almanac.server.records.backlog``: their
``record_terms`` rows are rewritten after the push, or before the next read of them) and the
conflicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from almanac.server.db.tables import record_conflicts, records
from almanac.server.records import backlog
from almanac.server.records.history import add_versions
from almanac.server.records.stored import execute_rows


@dataclass
class Write:
    """What one mutation on the bulk path writes."""

    record_id: str
    owner_id: int
    kind: str
    insert: dict[str, Any] | None = None  # a new ``records`` row
    update: dict[str, Any] | None = None  # the changed columns of an existing row
    version: dict[str, Any] | None = None  # its ``record_versions`` row
    reindex: bool = False  # a term field changed (or the record is new): into the backlog
    conflicts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class WriteBuffer:
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: dict[str, dict[str, Any]] = field(default_factory=dict)
    versions: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    reindex: dict[str, int] = field(default_factory=dict)
    """The records whose terms must be brought up to date → their owner."""

    def __bool__(self) -> bool:
        return bool(self.inserts or self.updates or self.versions or self.conflicts or self.reindex)

    def add(self, write: Write) -> None:
        rid = write.record_id
        if write.insert is not None:
            self.inserts.append(write.insert)
        if write.update is not None:
            # re-inserted last: updates go out in staging order; an earlier staged update's
            # columns are kept under the later ones (each names only what it changes)
            earlier = self.updates.pop(rid, None)
            self.updates[rid] = write.update if earlier is None else {**earlier, **write.update}
        if write.version is not None:
            self.versions.append(write.version)
        if write.reindex:
            self.reindex[rid] = write.owner_id
        self.conflicts.extend(write.conflicts)

    def flush(self, conn: sa.Connection) -> None:
        """Write everything staged, then forget it. The backlog first: a record it takes
        in carries the sort key of its row as stored before this flush (``backlog.mark``)."""
        owners: dict[int, list[str]] = {}
        for rid, owner_id in self.reindex.items():
            owners.setdefault(owner_id, []).append(rid)
        for owner_id, ids in owners.items():
            backlog.mark(conn, owner_id, ids)
        if self.inserts:
            conn.execute(sa.insert(records), self.inserts)
        stmt = sa.update(records).where(records.c.id == sa.bindparam("_rid"))
        for rows in _by_columns(self.updates).values():
            execute_rows(conn, stmt, rows)
        add_versions(conn, self.versions)
        if self.conflicts:
            conn.execute(sa.insert(record_conflicts), self.conflicts)
        self.inserts, self.updates, self.versions, self.conflicts = [], {}, [], []
        self.reindex = {}


def _by_columns(updates: dict[str, dict[str, Any]]) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """The updates as ``UPDATE … WHERE id = :_rid`` parameter rows, grouped by the columns
    they set (one executemany each), in staging order within a group (a record is updated
    once per flush, so the groups' order does not matter)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for rid, columns in updates.items():
        groups.setdefault(tuple(columns), []).append({"_rid": rid, **columns})
    return groups
