"""``PushState``: what the mutations of one push share (package docstring, "push").

- The owner's change numbers: the push holds the owner's lock from its first statement, so
  it hands numbers out here and writes the counter back once, at the end.
- The records the push has read or written, read once for the whole batch (``prefetch``).
- The bases: the content at each mutation's ``base_version`` when it is not the current one,
  read for the whole batch up front (``versions``; the versions this push writes join it).
- The writes of the bulk path (``buffer``, a ``WriteBuffer``): staged by each mutation
  (``stage``, kept by ``commit``, dropped by ``rollback``) and written with one statement per
  table before the next write under a savepoint, a read the caches cannot answer, or at the
  end of the push (``flush``). If a flush fails at the database (a lost race for a
  client-chosen id, …), ``Redo`` is raised: the push's transaction is rolled back and the
  push runs again with ``buffering`` off, every write under its mutation's savepoint.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from almanac.server.db.tables import record_versions, records
from almanac.server.records import backlog
from almanac.server.sync.buffer import Write, WriteBuffer

STALE: Any = object()
"""A row a write of this push changed behind the cache's back (unlinking): read it again."""


class Redo(Exception):
    """A buffered insert failed: run the push again without buffering."""


@dataclass(frozen=True)
class RowState:
    """A ``records`` row as this push last left it (the columns the writes use)."""

    id: str
    owner_id: int
    kind: str
    version: int
    change_no: int
    deleted: bool
    data: str
    updated_at: datetime


@dataclass
class PushState:
    """``staged`` holds the rows the running mutation changed and ``pending`` its bulk writes;
    ``commit`` keeps them, ``rollback`` drops them (with the change numbers it took)."""

    owner_id: int
    first: int
    last: int
    buffering: bool = True
    rows: dict[str, Any] = field(default_factory=dict)
    staged: dict[str, Any] = field(default_factory=dict)
    pending: list[Write] = field(default_factory=list)
    versions: dict[tuple[str, int], str | None] = field(default_factory=dict)
    buffer: WriteBuffer = field(default_factory=WriteBuffer)
    answers: dict[UUID, str] = field(default_factory=dict)
    """The result JSON of mutations whose answer the bulk path wrote itself (by id)."""
    texts: dict[UUID, str] = field(default_factory=dict)
    """The batch's mutation and record ids as text, made once (``text``)."""
    _mark: int = 0

    # -- one mutation ---------------------------------------------------------------------

    def begin(self) -> None:
        self._mark = self.last
        self.staged.clear()
        self.pending.clear()

    def commit(self) -> None:
        for rid, row in self.staged.items():
            if row is STALE:
                self.rows.pop(rid, None)
            else:
                self.rows[rid] = row
        for write in self.pending:
            self.buffer.add(write)
            if write.version is not None:
                self.versions[(write.record_id, write.version["version"])] = write.version["data"]
        self.staged.clear()
        self.pending.clear()

    def rollback(self) -> None:
        self.last = self._mark
        self.staged.clear()
        self.pending.clear()

    def take(self, count: int = 1) -> int:
        """``count`` change numbers; returns the last."""
        self.last += count
        return self.last

    def stage(self, write: Write) -> None:
        self.pending.append(write)

    def text(self, value: UUID) -> str:
        """``str(value)``, from ``texts`` when the push made it already (a UUID's ``str`` is a
        Python call of ~1 µs: it was made four times per mutation)."""
        known = self.texts.get(value)
        return str(value) if known is None else known

    # -- reads ----------------------------------------------------------------------------

    def prefetch(self, conn: sa.Connection, ids: list[str], bases: dict[str, set[int]]) -> None:
        """The batch's records and the bases it will need (``bases``: record id → the base
        versions pushed)."""
        self._read_rows(conn, ids)
        wanted: dict[str, set[int]] = {}
        for rid, pushed in bases.items():
            row = self.rows.get(rid)
            if row is None:
                continue
            self.versions[(rid, int(row.version))] = str(row.data)
            older = {v for v in pushed if v < row.version}
            if older:
                wanted[rid] = older
        self._read_versions(conn, wanted)

    def _read_rows(self, conn: sa.Connection, ids: list[str]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for row in conn.execute(sa.select(records).where(records.c.id.in_(chunk))):
                self.rows[row.id] = row
        for rid in ids:
            self.rows.setdefault(rid, None)

    def _read_versions(self, conn: sa.Connection, wanted: dict[str, set[int]]) -> None:
        ids = sorted(wanted)
        numbers = sorted({v for vs in wanted.values() for v in vs})
        for start in range(0, len(ids), 500):
            query = sa.select(
                record_versions.c.record_id, record_versions.c.version, record_versions.c.data
            ).where(
                record_versions.c.record_id.in_(ids[start : start + 500]),
                record_versions.c.version.in_(numbers),
            )
            for rid, version, data in conn.execute(query):
                if version in wanted[rid]:
                    self.versions[(rid, int(version))] = str(data)
        for rid, vs in wanted.items():
            for v in vs:
                self.versions.setdefault((rid, v), None)  # not in the history: no base

    def _known(self, rid: str) -> bool:
        return any(rid in known and known[rid] is not STALE for known in (self.staged, self.rows))

    def row(self, conn: sa.Connection, rid: str) -> Any:
        """The record as this push sees it (None: no such record)."""
        for known in (self.staged, self.rows):
            if rid in known and known[rid] is not STALE:
                return known[rid]
        self.flush(conn)
        found = conn.execute(sa.select(records).where(records.c.id == rid)).one_or_none()
        self.rows[rid] = found
        return found

    def rows_of(self, conn: sa.Connection, ids: list[str]) -> dict[str, Any]:
        """``row`` for several ids, the unknown ones read with one query. A record this push
        has not written is read as the database has it, so nothing needs flushing first."""
        unknown = [rid for rid in ids if not self._known(rid)]
        if unknown:
            self.rows.update({rid: None for rid in unknown})
            query = sa.select(records).where(records.c.id.in_(unknown))
            self.rows.update({row.id: row for row in conn.execute(query)})
        return {rid: self.row(conn, rid) for rid in ids}

    # -- writes ---------------------------------------------------------------------------

    def flush(self, conn: sa.Connection) -> None:
        """Write the buffer (before any read or write that could miss it)."""
        if not self.buffer:
            return
        try:
            self.buffer.flush(conn)
        except sa.exc.DBAPIError as exc:
            if exc.connection_invalidated:
                raise
            raise Redo() from exc

    @contextmanager
    def writing(self, conn: sa.Connection) -> Iterator[None]:
        """Write under this mutation's savepoint (the buffer flushed first, and the owner's
        term backlog caught up, outside it: a rejected mutation does not undo the catch-up
        its checks needed — ``check_unique``, ``cascade.referrers``)."""
        self.flush(conn)
        backlog.catch_up(conn, self.owner_id)
        with conn.begin_nested():
            yield
