"""Writes held back until they can be done in bulk, inside one transaction.

A pull applies one record per ``apply`` call, but SQLite and the index are fast only in
bulk. So within a transaction, ``Batch`` keeps

- **shadows** set but not yet written (``pending_shadows``): served to ``LocalStore.shadow``
  from memory, written with one ``executemany`` before anything reads the table;
- the ids of records whose ``items`` row must be refreshed (``dirty``), refreshed once
  before the outermost commit or the next read of items, with the shadows just written
  (``known``) so that they are not read back.

Both are written before a savepoint starts, so that rolling one back undoes exactly its own
work.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from almanac.store import index
from almanac.store.rows import SHADOW_COLUMNS, shadow_row
from almanac.sync.decide import ServerState

_UPSERT = f"INSERT OR REPLACE INTO shadows ({SHADOW_COLUMNS}) VALUES (?, ?, ?, ?, ?)"


class Batch:
    def __init__(self) -> None:
        self.shadow_ids: set[UUID] | None = None
        """Ids of the shadows table's rows, once ``shadow()`` has been asked often (a first
        sync asks 20,000 times, nearly always for a record it does not have)."""
        self.pending_shadows: dict[UUID, tuple[ServerState, str]] = {}
        self.known: dict[UUID, tuple[ServerState, str]] = {}
        self.dirty: dict[UUID, None] = {}

    def set_shadow(self, state: ServerState, text: str) -> None:
        self.pending_shadows[state.record_id] = (state, text)
        self.dirty[state.record_id] = None

    def shadow(self, record_id: UUID) -> ServerState | None:
        hit = self.pending_shadows.get(record_id)
        return None if hit is None else hit[0]

    def touch(self, ids: Iterable[UUID], *, changed: bool = True) -> None:
        """Mark records to refresh; ``changed``: their shadow changed in the table itself, so
        a remembered one is stale."""
        for record_id in ids:
            self.dirty[record_id] = None
            if changed:
                self.known.pop(record_id, None)

    def write_shadows(self, conn: Any) -> None:
        if not self.pending_shadows:
            return
        if self.shadow_ids is not None:
            self.shadow_ids.update(self.pending_shadows)
        rows = sorted(shadow_row(s, text) for s, text in self.pending_shadows.values())
        conn.executemany(_UPSERT, rows)
        self.known.update(self.pending_shadows)
        self.pending_shadows = {}

    def refresh(self, conn: Any) -> None:
        """Write the held shadows and refresh the dirty items (inside a transaction)."""
        self.write_shadows(conn)
        if self.dirty:
            ids, known = list(self.dirty), self.known
            self.dirty, self.known = {}, {}
            index.refresh(conn, ids, known)

    def rolled_back(self, outermost: bool) -> None:
        """A (nested) transaction failed: what it held is gone; remembered shadows may be
        stale, so they are read back."""
        self.pending_shadows = {}
        self.known = {}
        if outermost:
            self.dirty = {}

    @property
    def empty(self) -> bool:
        return not self.pending_shadows and not self.dirty
