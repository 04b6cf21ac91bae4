"""A cheap counter of changes to the person's records (``LocalStore.changes``), so a face can
keep what it built from them (the agenda) until they change instead of reading them again.

Temporary triggers (this connection only: no schema change) on the ``items`` table — a row
added or removed, or its kind, content or ``deleted`` flag changed (not the index's sort key)
— call a function that bumps the counter at once; the end of a write transaction that bumped
it bumps it once more, so something read from a transaction that was then rolled back, or
read before its commit, is never taken for the latest. Another process's commit to the same
file (the CLI while the app runs) shows as a new ``PRAGMA data_version``, which bumps it too.
Equal counts mean nothing the person sees changed in between; a change may bump it more than
once (a spurious rebuild, never a stale one)."""

from __future__ import annotations

import threading
from typing import Any

FUNCTION = "almanac_items_changed"
TRIGGERS = (
    ("almanac_items_added", "AFTER INSERT ON main.items"),
    ("almanac_items_removed", "AFTER DELETE ON main.items"),
    ("almanac_items_edited", "AFTER UPDATE OF kind, content, deleted ON main.items"),
)


class Changes:
    """The counter of one store connection."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        self._count = 0
        self._dirty = False  # bumped inside the current transaction
        conn.create_function(FUNCTION, 0, self._touched)
        for name, when in TRIGGERS:
            conn.execute(
                f"CREATE TEMP TRIGGER IF NOT EXISTS {name} {when} BEGIN SELECT {FUNCTION}(); END"
            )
        self._seen = self._data_version()

    def _touched(self) -> None:
        with self._lock:
            self._count += 1
            self._dirty = True

    def settled(self) -> None:
        """A write transaction ended (committed or rolled back)."""
        with self._lock:
            if self._dirty:
                self._count += 1
                self._dirty = False

    def _data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def count(self) -> int:
        """The counter now (one ``PRAGMA``): different from an earlier value when the records
        may have changed since."""
        version = self._data_version()
        with self._lock:
            if version != self._seen:
                self._seen = version
                self._count += 1
            return self._count
