"""The deferred search index built in chunks, on a connection of its own (issue 6 §5, R12).

After a bulk pull the items wait unindexed (``index``); searches stay right meanwhile
(``fallback``). ``IndexBuilder(path, key).run()`` indexes them ``STEP`` at a time, each chunk
one transaction (its items marked ``indexed = 1`` with their terms: a crash leaves the
chunks committed before it, and the rest waiting). Its own connection lets a face call it
from a worker thread while its window reads the store (WAL: readers never wait for it); an
edit in the window waits at most one chunk for the write lock.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from almanac.store import index
from almanac.store.db import Database

STEP = 5000
"""Items indexed per chunk (one transaction: ~0.5–1.5 s on the project's machine)."""

SHORT_STEP = 2000
"""Per chunk where a person may be editing meanwhile (the desktop): an edit waits for the
write lock at most one chunk (~1–2 s at load 5–9), well inside the 5 s busy timeout."""
CACHE_KIB = 32 * 1024
"""The builder's page cache: a chunk's term rows land all over both term b-trees, and an
encrypted page that falls out of the cache is written and read back through AES and HMAC
(measured at 20,000 contacts, chunks of 5,000: 7.0 s CPU with SQLite's 8 MiB, 6.4 s with
64 MiB)."""

Progress = Callable[[int, int], None]
"""``(indexed so far, waiting at the start)``."""


class IndexBuilder:
    """A second connection to the store that builds the waiting index, chunk by chunk."""

    def __init__(self, path: Path, key: bytes):
        self._db = Database.open(path, key, create=False)
        self._db.conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> IndexBuilder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def waiting(self) -> int:
        return index.waiting(self._db.conn)

    def step(self, limit: int = STEP) -> int:
        """Index up to ``limit`` waiting items in one transaction; 0 when none wait."""
        with self._db.transaction():
            return index.index_step(self._db.conn, limit)

    def run(
        self,
        limit: int = STEP,
        progress: Progress | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> int:
        """Chunks until none wait (or ``stop()`` says so between two); returns how many."""
        total, done = self.waiting(), 0
        while not (stop is not None and stop()):
            count = self.step(limit)
            if not count:
                break
            done += count
            if progress is not None:
                progress(done, total)
        return done
