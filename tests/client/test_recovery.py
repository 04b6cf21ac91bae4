"""A damaged local store rebuilds itself from the server (issue 3 §5; R13): found when
opened, moved aside (never deleted), every synced record back, the unsynced edits that can
still be read applied again; ``restore`` does it by hand."""

from __future__ import annotations

import os
from pathlib import Path

from almanac.client.facade import STORE_REBUILT, Client
from almanac.client.transport import Transport
from almanac.remote import HttpTransport
from almanac.store.db import connect

from .conftest import Account, free_port

PAGE = 4096


def root_pages(store_db: Path, key: bytes) -> dict[str, int]:
    conn = connect(store_db, key)
    try:
        rows = conn.execute("SELECT name, rootpage FROM sqlite_master WHERE rootpage > 0")
        return {str(name): int(page) for name, page in rows}
    finally:
        conn.close()


def damage(store_db: Path, pages: list[int]) -> None:
    """Overwrite the middle of each page with noise (SQLCipher's page HMAC no longer fits)."""
    with store_db.open("r+b") as raw:
        for page in pages:
            raw.seek((page - 1) * PAGE + 512)
            raw.write(os.urandom(1024))


def synced_device(account: Account, home: Path) -> tuple[list[str], bytes, Path]:
    with account.login(home) as device:
        names = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇"]
        for n, name in enumerate(names):
            device.add("contact", {"name": name, "phones": [{"value": f"1381234{n:04d}"}]})
        device.sync()
        first = device.list("contact", q="张伟").items[0]
        device.edit("contact", first.id, {"notes": "没同步的修改"})
        device.add("memo", {"title": "没同步的备忘"})
        key, path = device._key, device.paths.store_db
    return names, key, path


def records_pages(store_db: Path, key: bytes) -> list[int]:
    """Pages of what can be downloaded again (not page 1, the outbox, meta, sequences)."""
    keep = ("outbox", "meta", "sqlite_sequence")
    return sorted(
        page for name, page in root_pages(store_db, key).items() if page > 1 and name not in keep
    )


def test_a_damaged_store_is_rebuilt_on_open(account: Account, tmp_path: Path) -> None:
    names, key, path = synced_device(account, tmp_path)
    damage(path, records_pages(path, key))
    with Client.open(account.password, home=tmp_path, transport=HttpTransport) as device:
        status = device.status()
        assert STORE_REBUILT in status.notices
        assert status.damaged_copy is not None and status.damaged_copy.exists()  # kept
        got = {i.content["name"]: i for i in device.list("contact").items}
        assert sorted(got) == sorted(names)  # every synced record back
        assert got["张伟"].content["notes"] == "没同步的修改"  # the unsynced edit again
        assert [m.content["title"] for m in device.list("memo").items] == ["没同步的备忘"]
        device.sync()
        assert device.status().pending == 0
    with account.login(tmp_path / "other") as other:
        other.sync()
        zhang = other.list("contact", q="张伟").items[0]
        assert zhang.content["notes"] == "没同步的修改"
        assert other.store.count("memo") == 1 and other.store.count("contact") == len(names)


def test_offline_the_damaged_store_is_replaced_and_the_next_sync_fills_it(
    account: Account, tmp_path: Path
) -> None:
    names, key, path = synced_device(account, tmp_path)
    damage(path, records_pages(path, key))
    unreachable = f"http://127.0.0.1:{free_port()}"

    def nowhere(_: str) -> Transport:
        return HttpTransport(unreachable, timeout=2)

    with Client.open(account.password, home=tmp_path, transport=nowhere) as device:
        assert STORE_REBUILT in device.status().notices
        assert device.store.count("contact") == 0  # nothing downloaded yet
        assert [m.content["title"] for m in device.list("memo").items] == ["没同步的备忘"]
    with account.open(tmp_path) as device:
        device.sync()
        assert device.store.count("contact") == len(names)
        zhang = device.list("contact", q="张伟").items[0]
        assert zhang.content["notes"] == "没同步的修改"
        assert device.status().pending == 0


def test_restore_by_hand(account: Account, tmp_path: Path) -> None:
    """`almanac restore`: the store moved aside, rebuilt from the server, pending edits
    kept; the old file stays on disk."""
    names, _, path = synced_device(account, tmp_path)
    with account.open(tmp_path) as device:
        report = device.restore()
        assert report.pulled >= len(names) and report.resynced
        assert device.store.count("contact") == len(names)
        assert device.list("contact", q="张伟").items[0].content["notes"] == "没同步的修改"
        assert device.status().pending == 0
    assert [p for p in path.parent.iterdir() if ".damaged-" in p.name]


def test_a_missing_store_file_is_made_again_from_the_server(
    account: Account, tmp_path: Path
) -> None:
    """R13: the local database gone entirely — downloaded again at the next open."""
    names, _, path = synced_device(account, tmp_path)
    with account.open(tmp_path) as device:
        device.sync()  # the unsynced edits reach the server first
    path.unlink()
    with account.open(tmp_path) as device:
        assert device.store.count("contact") == len(names)
        assert device.status().pending == 0
