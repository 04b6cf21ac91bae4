"""SQLite's WAL checkpoints run in the background, not inside a request's commit (R15)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from almanac.server.db.engine import WalCheckpointer, make_engine


def _write_rows(engine: sa.Engine, n: int) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)")
    for i in range(n):
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO t (v) VALUES (?)", ("备忘" * 300 + str(i),))


def test_commits_leave_the_checkpoint_to_the_background_thread(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    engine = make_engine(f"sqlite:///{path}")
    _write_rows(engine, 300)
    # ~300 pages written: below the raised threshold, so no commit checkpointed them.
    assert (tmp_path / "a.db-wal").stat().st_size > 1_000_000
    size_before = path.stat().st_size
    assert size_before < 100_000

    checkpointer = WalCheckpointer(engine, interval=0.05)
    checkpointer.start()
    try:
        deadline = time.monotonic() + 10
        while path.stat().st_size <= size_before and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        checkpointer.stop()
        engine.dispose()
    assert path.stat().st_size > 500_000  # the rows moved into the database file


def test_other_databases_get_no_thread(engine: sa.Engine) -> None:
    checkpointer = WalCheckpointer(engine)
    checkpointer.start()
    assert (checkpointer._thread is None) == (engine.dialect.name != "sqlite")
    checkpointer.stop()


def test_a_burst_of_commits_is_checkpointed_once_it_pauses(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'b.db'}")
    checkpointer = WalCheckpointer(engine, quiet=0.5, longest=2.0)
    checkpointer._written = False  # as after a checkpoint (the thread is not started)
    sa.event.listen(engine, "commit", checkpointer._committed)
    try:
        now = time.monotonic()
        assert not checkpointer.due(now)  # nothing written since
        _write_rows(engine, 3)
        written = time.monotonic()
        assert not checkpointer.due(written + 0.4)  # the writes may go on
        assert checkpointer.due(written + 0.5)  # they paused
        checkpointer._last_checkpoint = written - 1.95
        assert checkpointer.due(written + 0.1)  # they went on: the last checkpoint is 2 s old
    finally:
        sa.event.remove(engine, "commit", checkpointer._committed)
        engine.dispose()


def test_the_thread_checkpoints_after_the_writes_pause(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    engine = make_engine(f"sqlite:///{path}")
    checkpointer = WalCheckpointer(engine, interval=0.02, quiet=1.0, longest=60)
    _write_rows(engine, 1)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    checkpointer._written = False  # as after a checkpoint
    checkpointer.start()
    try:
        deadline = time.monotonic() + 10
        size = path.stat().st_size
        for _ in range(30):  # a burst: a commit every 20 ms
            _write_rows(engine, 1)
            time.sleep(0.02)
        assert path.stat().st_size == size  # nothing copied while it lasted
        while path.stat().st_size == size and time.monotonic() < deadline:
            time.sleep(0.02)
        assert path.stat().st_size > size  # copied once it paused
    finally:
        checkpointer.stop()
        engine.dispose()


def test_a_checkpoint_a_reader_held_back_is_due_again(tmp_path: Path) -> None:
    """A reader on an older snapshot stops a PASSIVE checkpoint short: the frames it could not
    copy are checkpointed once the reader is gone (not left until the next write)."""
    path = tmp_path / "d.db"
    engine = make_engine(f"sqlite:///{path}")
    _write_rows(engine, 1)
    checkpointer = WalCheckpointer(engine, quiet=0.5, longest=60)
    try:
        with engine.connect() as reader:
            reader.exec_driver_sql("SELECT count(*) FROM t").one()  # a read transaction, open
            _write_rows(engine, 20)
            assert not checkpointer.checkpoint(time.monotonic())  # held back by the reader
        later = time.monotonic() + 0.5
        assert checkpointer.due(later)  # due again, with no write since
        assert checkpointer.checkpoint(later)  # the reader is gone: every frame copied
        assert not checkpointer.due(later + 0.5)
    finally:
        engine.dispose()


def test_a_checkpoint_is_due_every_longest_even_with_no_write_seen() -> None:
    """Another process's writes (a second worker, the CLI) are never seen by this one."""
    engine = make_engine("sqlite://")
    checkpointer = WalCheckpointer(engine, quiet=0.5, longest=2.0)
    checkpointer._written = False
    start = checkpointer._last_checkpoint
    assert not checkpointer.due(start + 1.0)
    assert checkpointer.due(start + 2.0)
    engine.dispose()


def test_the_wal_is_cut_back_after_a_burst(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The in-commit safety net is far above a burst; the file is cut back when it restarts.
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()
        limit = conn.exec_driver_sql("PRAGMA journal_size_limit").scalar_one()
    engine.dispose()
    assert (pages, limit) == (WalCheckpointer.AUTOCHECKPOINT_PAGES, 64 * 1024 * 1024)
    monkeypatch.setattr(WalCheckpointer, "WAL_FILE_LIMIT", 100_000)  # seen on a small burst
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        _write_rows(engine, 300)
        wal = tmp_path / "a.db-wal"
        assert wal.stat().st_size > 1_000_000
        assert WalCheckpointer(engine).checkpoint(time.monotonic())  # every frame copied
        _write_rows(engine, 1)  # the next writer starts the WAL over, and cuts the file
        assert wal.stat().st_size <= 100_000
    finally:
        engine.dispose()


def test_a_commit_is_on_the_disk_before_it_returns(tmp_path: Path) -> None:
    """R8/R14: a device drops a mutation once its push is answered, so the server's SQLite
    syncs the WAL at every commit (``FULL``), as PostgreSQL and MariaDB do by default —
    not only at the next checkpoint (``NORMAL``: a power cut could take answered pushes
    back). Every connection of the pool gets it, in WAL mode."""
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        with engine.connect() as first, engine.connect() as second:
            for conn in (first, second):
                mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar_one()
                level = conn.exec_driver_sql("PRAGMA synchronous").scalar_one()
                assert (mode, level) == ("wal", 2)  # 2 = FULL, 1 = NORMAL
    finally:
        engine.dispose()
