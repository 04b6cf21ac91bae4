"""SQLite's WAL checkpoints run in the background, not inside a request's commit (R15)."""

from __future__ import annotations

import time
from pathlib import Path

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
