"""``PushState``: what the mutations of one push share (package docstring, "push").

- The owner's change numbers: the push holds the owner's lock from its first statement, so
  it hands numbers out here and writes the counter back once, at the end.
- The records the push has read or written, read once for the whole batch (``prefetch``).
- New records whose inserts wait in a buffer (``buffer``) until the next mutation that
  reads the database or writes under a savepoint, or the end of the push (``flush``): the
  10,000-creates-offline case becomes a few bulk inserts. If a flush fails (a lost race for
  a client-chosen id), ``Redo`` is raised: the push's transaction is rolled back and the push
  runs again with ``buffering`` off, every write under its mutation's savepoint.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from almanac.server.db.tables import records
from almanac.server.records.writes import insert_new

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
    """``staged`` holds what the running mutation changed; ``commit`` keeps it, ``rollback``
    drops it (with the change numbers it took)."""

    owner_id: int
    first: int
    last: int
    buffering: bool = True
    rows: dict[str, Any] = field(default_factory=dict)
    staged: dict[str, Any] = field(default_factory=dict)
    new_rows: list[dict[str, Any]] = field(default_factory=list)
    new_terms: list[dict[str, Any]] = field(default_factory=list)
    _mark: int = 0
    _marks: tuple[int, int] = (0, 0)

    # -- one mutation ---------------------------------------------------------------------

    def begin(self) -> None:
        self._mark = self.last
        self._marks = (len(self.new_rows), len(self.new_terms))
        self.staged.clear()

    def commit(self) -> None:
        for rid, row in self.staged.items():
            if row is STALE:
                self.rows.pop(rid, None)
            else:
                self.rows[rid] = row
        self.staged.clear()

    def rollback(self) -> None:
        self.last = self._mark
        del self.new_rows[self._marks[0] :]
        del self.new_terms[self._marks[1] :]
        self.staged.clear()

    def take(self, count: int = 1) -> int:
        """``count`` change numbers; returns the last."""
        self.last += count
        return self.last

    # -- rows -----------------------------------------------------------------------------

    def prefetch(self, conn: sa.Connection, ids: list[str]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for row in conn.execute(sa.select(records).where(records.c.id.in_(chunk))):
                self.rows[row.id] = row
        for rid in ids:
            self.rows.setdefault(rid, None)

    def row(self, conn: sa.Connection, rid: str) -> Any:
        """The record as this push sees it (None: no such record)."""
        for known in (self.staged, self.rows):
            if rid in known and known[rid] is not STALE:
                return known[rid]
        self.flush(conn)
        found = conn.execute(sa.select(records).where(records.c.id == rid)).one_or_none()
        self.rows[rid] = found
        return found

    # -- writes ---------------------------------------------------------------------------

    def buffer(self, row: dict[str, Any], terms: list[dict[str, Any]]) -> None:
        self.new_rows.append(row)
        self.new_terms.extend(terms)

    def flush(self, conn: sa.Connection) -> None:
        """Insert the buffered new records (before any read that could miss them)."""
        if not self.new_rows:
            return
        rows, terms = list(self.new_rows), list(self.new_terms)
        self.new_rows.clear()
        self.new_terms.clear()
        self._marks = (0, 0)
        try:
            insert_new(conn, rows, terms)
        except sa.exc.IntegrityError as exc:
            raise Redo() from exc

    @contextmanager
    def writing(self, conn: sa.Connection) -> Iterator[None]:
        """Write under this mutation's savepoint (the buffer flushed first, outside it)."""
        self.flush(conn)
        with conn.begin_nested():
            yield
