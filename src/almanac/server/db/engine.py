"""Engines for the three supported databases, with the settings each one needs."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)


def make_engine(url: str, **kwargs: Any) -> sa.Engine:
    """Create an engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout,
    MySQL/MariaDB utf8mb4, and the SQLite file's folder is created if missing."""
    # Parameter values (names, notes, token hashes) never appear in logged SQL errors.
    kwargs.setdefault("hide_parameters", True)
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30}, **kwargs)

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy own transactions: BEGIN is emitted below, not by pysqlite.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # A commit is on the disk before it returns: an answered push or a saved form
            # survives a power cut (NORMAL synced only at checkpoints: up to ~2 s of answered
            # pushes at risk, which the devices had already dropped from their outboxes).
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA wal_autocheckpoint={WalCheckpointer.AUTOCHECKPOINT_PAGES}")
            cur.execute(f"PRAGMA journal_size_limit={WalCheckpointer.WAL_FILE_LIMIT}")
            cur.close()

        @sa.event.listens_for(engine, "begin")
        def _sqlite_begin(conn: sa.Connection) -> None:
            # Deferred BEGIN keeps readers concurrent under WAL. Rule for writers: a write
            # transaction's first statement is a write (the per-person change counter bump),
            # so it queues on the busy timeout instead of failing on a stale read snapshot.
            # Sent straight to the pysqlite connection: the same BEGIN on the same connection
            # before any statement of the transaction, without SQLAlchemy's statement
            # machinery (cursor, result, events), which a page paid ~5 times (bench/web.py).
            conn.connection.driver_connection.execute("BEGIN")  # type: ignore[union-attr]

        return engine
    if backend in ("mysql", "mariadb"):
        if "charset" not in parsed.query:
            parsed = parsed.update_query_dict({"charset": "utf8mb4"})
        return sa.create_engine(parsed, pool_pre_ping=True, pool_recycle=3600, **kwargs)
    return sa.create_engine(parsed, pool_pre_ping=True, **kwargs)


class WalCheckpointer:
    """Moves SQLite's WAL checkpoints out of the request path, and out of write bursts.

    SQLite's automatic checkpoint runs inside whichever commit crosses the threshold, giving
    that one request a long tail (bench/README.md). The server raises the threshold
    (``AUTOCHECKPOINT_PAGES``: a safety net, 256 MiB of WAL, which a push of 10,000 edits —
    ~45,000 frames in ~2.5 s — never reaches; at 64 MiB two of its requests ran a checkpoint
    inside their commit, 40–80 ms each) and runs a PASSIVE checkpoint
    (never blocks writers or readers) from this background thread: once the writes have
    paused for ``quiet`` seconds, or every ``longest`` seconds while they go on. A burst of
    writes — a push of 10,000 offline edits writes ~45,000 pages in 20 commits — is then
    copied into the database file once at its end, each page once, instead of in slices
    that copy the pages the burst rewrites again and again (docs/sync.md, "Fifth round").
    The thread looks every ``interval`` seconds; it learns of this process's commits from
    the engine. It also checkpoints every ``longest`` seconds whatever it learnt: another
    process's writes (a second worker, the CLI), and a commit whose event (SQLAlchemy's
    fires before the COMMIT) came just before a checkpoint, are copied within that time. A
    checkpoint that could not copy every frame (a reader still on an older snapshot) is due
    again. Durability does not wait for it: with ``synchronous=FULL`` every commit syncs the
    WAL before it returns, so an answered push is on the disk when its answer leaves (as on
    PostgreSQL and MariaDB by default); a checkpoint only moves pages from the WAL into the
    database file. A no-op for other databases."""

    AUTOCHECKPOINT_PAGES = 65536
    WAL_FILE_LIMIT = 64 * 1024 * 1024
    """Bytes the WAL file is cut back to when it starts over after a checkpoint
    (``journal_size_limit``): a burst's WAL does not keep its size on the disk."""

    def __init__(
        self,
        engine: sa.Engine,
        interval: float = 0.25,
        *,
        quiet: float = 0.5,
        longest: float = 2.0,
    ) -> None:
        self.engine = engine
        self.interval = interval
        self.quiet = quiet
        self.longest = longest
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._written = True  # what was written before the thread started is not known
        self._last_write = 0.0
        self._last_checkpoint = time.monotonic()

    def start(self) -> None:
        if self.engine.dialect.name != "sqlite" or self._thread is not None:
            return
        sa.event.listen(self.engine, "commit", self._committed)
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
            sa.event.remove(self.engine, "commit", self._committed)

    def _committed(self, _conn: sa.Connection) -> None:
        self._written = True
        self._last_write = time.monotonic()

    def due(self, now: float) -> bool:
        """Whether to checkpoint now: the last checkpoint is ``longest`` ago, or something was
        written (or left uncopied) and the writes have paused for ``quiet``."""
        if now - self._last_checkpoint >= self.longest:
            return True
        return self._written and now - self._last_write >= self.quiet

    def checkpoint(self, now: float) -> bool:
        """One PASSIVE checkpoint; whether it copied every frame of the WAL (if not, the
        next one is due as soon as the writes pause)."""
        self._written = False  # a commit from here on asks for the next checkpoint
        self._last_checkpoint = now
        try:
            with self.engine.connect() as conn:
                busy, frames, copied = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
        except sa.exc.DBAPIError:
            self._written = True
            log.warning("WAL checkpoint failed; SQLite's own checkpoint still runs")
            return False
        whole = busy == 0 and copied == frames
        if not whole:
            self._written = True
        return whole

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            now = time.monotonic()
            if self.due(now):
                self.checkpoint(now)
