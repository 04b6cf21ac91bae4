"""A cheap counter of changes to the person's records (``LocalStore.changes``), so a face can
keep what it built from them (the agenda) until they change instead of reading them again.

Temporary triggers (this connection only: no schema change) on the ``items`` table — a row
added or removed, or its kind, content or ``deleted`` flag changed (not the index's sort key)
— add one to a one-row temporary table, ``almanac_touched``, **in SQL**: no Python is
called while SQLite holds the connection's mutex. (Until session 9 the triggers called a
Python function: a thread that touched the shared connection while another wrote — a
desktop worker reading the settings, the change count — held the GIL waiting for the mutex
while the write's trigger held the mutex waiting for the GIL, and both hung.)

``count`` reads the table and ``PRAGMA data_version`` (another process's commit to the same
file: the CLI while the app runs) and moves the counter — here, in Python, only ever up —
whenever either differs from what it read last. The table's value is part of the
transaction: a rollback takes it back, and a later change could bring it to a value read
inside the undone part, so a rollback (``rolled_back``, told by the store) makes the next
``count`` move whatever it reads: something read inside a transaction later undone is never
taken for the latest.
Equal counts mean nothing the person sees changed in between; a change may move it more than
once (a spurious rebuild, never a stale one)."""

from __future__ import annotations

import threading
from typing import Any

TABLE = "almanac_touched"  # a TEMP table; a trigger may not name its schema
TRIGGERS = (
    ("almanac_items_added", "AFTER INSERT ON main.items"),
    ("almanac_items_removed", "AFTER DELETE ON main.items"),
    ("almanac_items_edited", "AFTER UPDATE OF kind, content, deleted ON main.items"),
)


class Changes:
    """The counter of one store connection (read under the connection's lock)."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        self._count = 0
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {TABLE} (n INTEGER NOT NULL)")
        if conn.execute(f"SELECT count(*) FROM temp.{TABLE}").fetchone()[0] == 0:
            conn.execute(f"INSERT INTO temp.{TABLE} (n) VALUES (0)")
        for name, when in TRIGGERS:
            conn.execute(
                f"CREATE TEMP TRIGGER IF NOT EXISTS {name} {when}"
                f" BEGIN UPDATE {TABLE} SET n = n + 1; END"
            )
        self._seen = self._read()

    def _read(self) -> tuple[int, int]:
        touched = int(self._conn.execute(f"SELECT n FROM temp.{TABLE}").fetchone()[0])
        version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        return touched, version

    def rolled_back(self) -> None:
        """A transaction or savepoint was rolled back: the table's value went back with it,
        and a later change may bring it to a value read inside the undone part — the next
        ``count`` moves whatever it reads."""
        with self._lock:
            self._seen = (-1, -1)

    def count(self) -> int:
        """The counter now (two small reads): different from an earlier value when the
        records may have changed since."""
        seen = self._read()
        with self._lock:
            if seen != self._seen:
                self._seen = seen
                self._count += 1
            return self._count
