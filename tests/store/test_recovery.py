"""A damaged store: found on open, moved aside (never deleted), unsynced edits salvaged
(issue 3 §5, R13)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from uuid import uuid4

import pytest

from almanac.errors import StoreDamaged
from almanac.store import recovery
from almanac.store.db import connect
from almanac.store.local import LocalStore
from almanac.store.recovery import check, move_aside, salvage
from almanac.sync.decide import Pending

from .support import contact, pull, server_state

PAGE = 4096
RECORDS = 2000


def _names(i: int) -> str:
    given = "伟芳娜敏静丽强磊"[(i // 8) % 8] + "一二三四五六七八九十"[i % 10]
    return "王李张刘陈杨黄赵"[i % 8] + given


def _store_with_records(path: Path, key: bytes) -> tuple[list, list[str]]:
    """Many synced records and four unsynced edits; returns the outbox and the protected
    root pages (page 1, the outbox, sqlite_sequence)."""
    store = LocalStore.create(path, key)
    states = [server_state("contact", contact(_names(i), f"139{i:08d}")) for i in range(RECORDS)]
    pull(store, *states)
    store.reindex()
    for i in range(4):
        store.edit("create", "contact", uuid4(), contact(f"离线{i}号", f"1861234{i:04d}"))
    store.edit("update", "contact", states[7].record_id, {"notes": "离线改的备注"})
    pending = store.outbox()
    store.close()
    conn = connect(path, key)
    roots = [
        int(row[0])
        for row in conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name IN ('outbox', 'sqlite_sequence')"
        )
    ]
    conn.close()
    return pending, [1, *roots]


def _corrupt(path: Path, pages: list[int]) -> None:
    with path.open("r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * PAGE + 200)
            chunk = handle.read(64)
            handle.seek((page - 1) * PAGE + 200)
            handle.write(bytes(b ^ 0x5A for b in chunk))


def _middle_pages(path: Path, protected: list[int], count: int) -> list[int]:
    total = path.stat().st_size // PAGE
    middle = total // 2
    pages = [p for p in range(middle, total) if p not in protected]
    return pages[:count]


def test_check_passes_a_sound_store(db_path: Path, key: bytes) -> None:
    store = LocalStore.create(db_path, key)
    store.edit("create", "memo", uuid4(), {"title": "体检预约"})
    store.close()
    assert check(db_path, key) is None
    assert check(db_path.with_name("missing.db"), key) == "the file is missing"


def test_corrupt_pages_are_found_moved_aside_and_edits_salvaged(db_path: Path, key: bytes) -> None:
    """Pages in the middle of a store of 2,000 records are damaged: check() says so,
    LocalStore.open raises StoreDamaged, move_aside keeps the file byte for byte, and
    salvage returns every unsynced edit (their pages were not hit), unchanged."""
    pending, protected = _store_with_records(db_path, key)
    _corrupt(db_path, _middle_pages(db_path, protected, 3))
    damaged = db_path.read_bytes()
    reason = check(db_path, key)
    assert reason is not None
    with pytest.raises(StoreDamaged) as err:
        LocalStore.open(db_path, key)
    assert err.value.path == db_path
    aside = move_aside(db_path)
    assert not db_path.exists()
    assert aside.read_bytes() == damaged
    assert aside.name.startswith("store.db.damaged-")
    assert salvage(aside, key) == pending
    assert len(pending) == 5


def _shape(entry: Pending) -> tuple[str, str, int | None, str]:
    m = entry.mutation
    return (str(m.record_id), m.op, m.base_version, json.dumps(m.changes, sort_keys=True))


def test_a_damaged_outbox_page_loses_no_edit(db_path: Path, key: bytes) -> None:
    """The outbox's own page is hit: its rows are gone, but the items the person changed
    still read, so every edit comes back as a new mutation (a new id): the four creates
    whole, the update as the one field that differs from the record's shadow, on the
    shadow's version. Salvage never raises; a wrong key salvages nothing."""
    pending, _ = _store_with_records(db_path, key)
    outbox = _root(db_path, key, "outbox")
    _corrupt(db_path, [outbox])
    assert check(db_path, key) is not None
    got = salvage(db_path, key)
    assert sorted(map(_shape, got)) == sorted(map(_shape, pending))
    assert not {e.mutation_id for e in got} & {e.mutation_id for e in pending}
    [update] = [e for e in got if e.mutation.op == "update"]
    [before] = [e for e in pending if e.mutation.op == "update"]
    assert update.mutation.changes == {"notes": "离线改的备注"}
    assert update.previous == before.previous
    assert salvage(db_path, os.urandom(32)) == []


def test_items_rescue_deletes_in_order_and_unknown_shadows_as_creates(
    db_path: Path, key: bytes
) -> None:
    """With the outbox lost: a synced record deleted here comes back as a delete on its
    version; a memo pushed (no answer yet) and then deleted, as a delete too (the server
    may have it); a new contact in a new group comes back after the group (a reference
    must find its record) — and when the shadows' page is lost as well, an edited record
    comes back as a create of its whole content, which the server merges with what it has."""
    store = LocalStore.create(db_path, key)
    states = [server_state("contact", contact(_names(i), f"139{i:08d}")) for i in range(3)]
    pull(store, *states)
    store.edit("delete", "contact", states[0].record_id, {})
    sent = uuid4()
    store.edit("create", "memo", sent, {"title": "发出去了还没回音"})
    store.take_wave(10)  # pushed; no answer came
    store.edit("delete", "memo", sent, {})
    group, member = uuid4(), uuid4()
    store.edit("create", "group", group, {"name": "同学"})
    classmate = {**contact("新同学", "13700000000"), "groups": [str(group)]}
    store.edit("create", "contact", member, classmate)
    store.edit("update", "contact", states[1].record_id, {"notes": "离线改的备注"})
    store.close()
    _corrupt(db_path, [_root(db_path, key, "outbox")])
    got = salvage(db_path, key)
    ops = {(e.record_id, e.mutation.op, e.mutation.base_version) for e in got}
    assert (states[0].record_id, "delete", states[0].version) in ops
    assert (sent, "delete", 1) in ops
    order = [e.record_id for e in got]
    assert order.index(group) < order.index(member)
    _corrupt(db_path, [_root(db_path, key, "shadows")])
    whole = {e.record_id: e for e in salvage(db_path, key)}
    edited = whole[states[1].record_id].mutation
    assert edited.op == "create" and edited.changes["notes"] == "离线改的备注"
    assert edited.changes["name"] == _names(1)


def test_salvage_steps_over_damaged_rows(db_path: Path, key: bytes) -> None:
    """A long outbox spans many pages: a damaged page loses only its rows; the rows on the
    pages before and after it are salvaged, in order — and the rows it lost come back from
    the items, as new mutations: every edit is there."""
    store = LocalStore.create(db_path, key)
    for i in range(200):
        store.edit("create", "memo", uuid4(), {"title": f"待办事项{i}", "body": "详情" * 80})
    pending = store.outbox()
    store.close()
    conn = connect(db_path, key)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'outbox'").fetchone()[0]
    conn.close()
    total = db_path.stat().st_size // PAGE
    # a leaf of the outbox in the middle: try pages until one costs some, not all, rows
    for page in range(root + 1, total):
        copy = db_path.with_name(f"copy-{page}.db")
        copy.write_bytes(db_path.read_bytes())
        _corrupt(copy, [page])
        got = salvage(copy, key)
        kept = [entry for entry in got if entry in pending]
        if kept and kept[0] == pending[0] and kept[-1] == pending[-1] and kept != pending:
            break
    else:
        pytest.fail("no outbox leaf page found")
    assert got[: len(kept)] == kept == [p for p in pending if p in kept]  # in order, unchanged
    assert len(kept) >= len(pending) - 20  # one page holds a handful of rows
    assert sorted(map(_shape, got)) == sorted(map(_shape, pending))  # the rest from the items


def _root(path: Path, key: bytes, name: str) -> int:
    conn = connect(path, key)
    row = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    conn.close()
    return int(row[0])


def test_big_store_quick_check_still_guards_the_outbox(
    db_path: Path, key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above FULL_CHECK_BYTES the open reads only what cannot be downloaded again: a damaged
    outbox page still stops the open; check() (by hand) still reads every page."""
    monkeypatch.setattr(recovery, "FULL_CHECK_BYTES", 0)
    _, protected = _store_with_records(db_path, key)
    _corrupt(db_path, [protected[1]])
    with pytest.raises(StoreDamaged):
        LocalStore.open(db_path, key)


def test_damage_met_in_use_is_store_damaged(
    db_path: Path, key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged page of the items, met by a read after a quick open, raises StoreDamaged
    (not a raw database error), so the client can rebuild."""
    monkeypatch.setattr(recovery, "FULL_CHECK_BYTES", 0)
    _store_with_records(db_path, key)
    _corrupt(db_path, [_root(db_path, key, "items")])
    assert check(db_path, key) is not None
    store = LocalStore.open(db_path, key)
    with pytest.raises(StoreDamaged) as err:
        store.get(uuid4())
    assert err.value.path == db_path
    store.close()
