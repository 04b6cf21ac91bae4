"""The raw-file test (issue 3 §1, R12): without the key the store is noise."""

from __future__ import annotations

import os
from pathlib import Path
from uuid import uuid4

from almanac.store.keys import Profile, load_profile, new_keys, save_profile, seal
from almanac.store.local import LocalStore
from almanac.store.paths import ProfilePaths

from .support import CHEAP, contact

PEOPLE = [
    ("张伟", "13812345678"),
    ("欧阳娜娜", "13987654321"),
    ("司马懿", "18600001111"),
    ("李小龙", "15011112222"),
]
TOKEN = "almanac-device-token-Q2hpbmVzZVN0b3Jl"
PASSWORD = "西湖龙井2026"


def _encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]


def _raw_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_names_phones_and_token_are_not_in_any_file(tmp_path: Path) -> None:
    """R12 / issue 3 §1: write contacts, close, read store.db (and its -wal, if any) and
    profile.json raw: no name, phone number (nor its last digits) or token in any of them,
    in UTF-8 or UTF-16."""
    paths = ProfilePaths.of(tmp_path, "zhangwei@pim.example.com-8443-0badc0de")
    keyfile, key = new_keys(PASSWORD, os.urandom(32), costs=CHEAP)
    keyfile = keyfile.model_copy(update={"sealed_token": seal(key, TOKEN)})
    save_profile(
        paths,
        Profile(
            server_url="https://pim.example.com:8443",
            user="zhangwei",
            device="书房电脑",
            keyfile=keyfile,
        ),
    )
    store = LocalStore.create(paths.store_db, key)
    group = uuid4()
    store.edit("create", "group", group, {"name": "家人亲戚"})
    for name, phone in PEOPLE:
        store.edit(
            "create",
            "contact",
            uuid4(),
            contact(name, phone, groups=[str(group)], notes=f"{name}的备注"),
        )
    store.edit("create", "memo", uuid4(), {"title": "周末去颐和园", "body": "带上相机"})
    store.list("contact", q="zw")
    files = _raw_files(paths.folder)
    assert "store.db" in files and "profile.json" in files
    store.close()
    files_after = _raw_files(paths.folder)
    secrets = [TOKEN, PASSWORD, "家人亲戚", "颐和园", "带上相机"]
    for name, phone in PEOPLE:
        secrets += [name, phone, phone[-4:] + phone[-8:-4], f"{name}的备注"]
    for files_seen in (files, files_after):
        for file_name, raw in files_seen.items():
            for secret in secrets:
                for encoded in _encodings(secret):
                    assert encoded not in raw, (file_name, secret)
    assert load_profile(paths).user == "zhangwei"  # the profile itself is plain


def test_store_file_has_no_sqlite_header(db_path: Path, key: bytes) -> None:
    """R12: not even the SQLite header is in the clear (the whole file is encrypted)."""
    store = LocalStore.create(db_path, key)
    store.edit("create", "contact", uuid4(), contact("王芳", "13700001234"))
    store.close()
    raw = db_path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert b"CREATE TABLE" not in raw and b"contact" not in raw
