"""The store's schema is versioned with tested migrations (issue 3 §1)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from almanac.store import schema
from almanac.store.db import StoreTooNew, connect, migrate, user_version
from almanac.store.local import LocalStore

from .support import contact

V1_DDL = schema.V1
"""The version-1 DDL as shipped; stores in the field were made with it."""


def _v1_store(path: Path, key: bytes) -> str:
    """A store at version 1, built from the v1 DDL alone, with one contact in it."""
    conn = connect(path, key)
    for statement in V1_DDL.split(";"):
        if statement.strip():
            conn.execute(statement)
    record_id = str(uuid4())
    content = json.dumps(contact("孙丽", "13600006666"), ensure_ascii=False)
    conn.execute("INSERT INTO shadows VALUES (?, 'contact', 3, 0, ?)", (record_id, content))
    conn.execute("INSERT INTO items VALUES (?, 'contact', ?, 0, 3, 0, '', 0)", (record_id, content))
    conn.execute("INSERT INTO meta VALUES ('cursor', '42')")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    return record_id


def _add_label(conn: Any) -> None:
    """A second step as a future release would add it: a column with a default."""
    conn.execute("ALTER TABLE notices ADD COLUMN label TEXT NOT NULL DEFAULT ''")


def test_v1_store_opens_at_the_current_version(db_path: Path, key: bytes) -> None:
    """A v1 store opens with this program: migrated to CURRENT_VERSION, its data intact."""
    db_path.parent.mkdir(parents=True)
    record_id = _v1_store(db_path, key)
    store = LocalStore.open(db_path, key)
    assert store.schema_version == schema.CURRENT_VERSION
    assert store.cursor == 42
    assert store.list("contact", q="sl").items[0].id.hex == record_id.replace("-", "")
    store.close()


def test_v1_migrates_through_a_second_step_with_data_intact(db_path: Path, key: bytes) -> None:
    """The machinery is real: a v1 store goes through step 2, once, keeping its rows; running
    the migration again does nothing (idempotent)."""
    db_path.parent.mkdir(parents=True)
    record_id = _v1_store(db_path, key)
    steps = [*schema.MIGRATIONS, _add_label]
    conn = connect(db_path, key)
    assert migrate(conn, db_path, steps) == len(steps)
    assert migrate(conn, db_path, steps) == len(steps)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(notices)")]
    assert columns.count("label") == 1
    assert conn.execute("SELECT id FROM shadows").fetchall() == [(record_id,)]
    conn.close()


def test_a_failing_step_leaves_the_store_at_its_old_version(db_path: Path, key: bytes) -> None:
    """A step that fails rolls back: the store stays at the version before it."""
    db_path.parent.mkdir(parents=True)
    _v1_store(db_path, key)

    def broken(conn: Any) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("step failed")

    conn = connect(db_path, key)
    with pytest.raises(RuntimeError):
        migrate(conn, db_path, [*schema.MIGRATIONS, broken])
    assert user_version(conn) == 1
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchall() == []
    conn.close()


def test_store_from_a_newer_program_is_refused_clearly(db_path: Path, key: bytes) -> None:
    """A store whose schema is newer than this program: a clear error naming both versions,
    and the file is not touched (it is not damaged)."""
    LocalStore.create(db_path, key).close()
    conn = connect(db_path, key)
    conn.execute(f"PRAGMA user_version = {schema.CURRENT_VERSION + 5}")
    conn.close()
    raw = db_path.read_bytes()
    with pytest.raises(StoreTooNew) as err:
        LocalStore.open(db_path, key)
    assert err.value.found == schema.CURRENT_VERSION + 5
    assert err.value.known == schema.CURRENT_VERSION
    assert str(schema.CURRENT_VERSION + 5) in str(err.value)
    assert db_path.read_bytes() == raw


def test_new_store_is_at_the_current_version(tmp_path: Path) -> None:
    store = LocalStore.create(tmp_path / "s.db", os.urandom(32))
    assert store.schema_version == schema.CURRENT_VERSION == len(schema.MIGRATIONS)
    store.edit("create", "group", uuid4(), {"name": "同学"})
    store.close()
