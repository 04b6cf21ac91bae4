"""Damage: found on open, the file moved aside, unsynced edits salvaged (R13; issue 3 §5).

- ``check``: SQLCipher checks each page's HMAC as it decrypts it, so a damaged page is found
  as soon as it is *read*. ``check`` reads them all — ``PRAGMA cipher_integrity_check`` (every
  page's HMAC, no b-tree walk) — and then walks the tables that hold what cannot be
  downloaded again (``outbox``, ``meta``): the cheapest check that still catches a corrupt page
  anywhere in the file. ``bench/store.py`` prints its cost on a 100,000-record store.
- ``move_aside``: the file (and its write-ahead log) renamed to
  ``<name>.damaged-<UTC stamp>``; never deleted.
- ``salvage``: the outbox rows still readable, row by row (a damaged page loses only the
  rows on it); the client re-queues them with their original mutation ids after rebuilding
  the store from the server (the server dedupes a mutation it already applied).
"""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from almanac.store.db import DatabaseError, connect, readable
from almanac.store.paths import sync_folder
from almanac.store.rows import OUTBOX_COLUMNS, pending_of
from almanac.sync.decide import Pending

_SIDE_FILES = ("-wal", "-shm", "-journal")


def check_connection(conn: Any) -> str | None:
    """None when every page reads back and the outbox and meta tables walk; else why not."""
    try:
        problems = [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check")]
        if problems:
            return f"{len(problems)} damaged page(s): {problems[0]}"
        conn.execute("SELECT count(*), max(length(mutation)) FROM outbox").fetchone()
        conn.execute("SELECT count(*), max(length(value)) FROM meta").fetchone()
    except DatabaseError as exc:
        return f"unreadable: {exc}"
    return None


def check(path: Path, key: bytes) -> str | None:
    """None: the store at ``path`` opens with ``key`` and every page is intact; else the
    reason (a missing file is a reason too)."""
    if not path.exists():
        return "the file is missing"
    try:
        conn = connect(path, key)
    except DatabaseError as exc:
        return f"unreadable: {exc}"
    try:
        try:
            readable(conn)
        except DatabaseError as exc:
            return f"the key does not read it, or its first page is damaged ({exc})"
        return check_connection(conn)
    finally:
        conn.close()


def move_aside(path: Path) -> Path:
    """Rename the damaged store (and its side files) to ``<name>.damaged-<UTC stamp>``;
    returns the new path. Nothing is deleted."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in _SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    if path.exists():
        os.replace(path, target)
    sync_folder(path.parent)
    return target


def _last_seq(conn: Any) -> int:
    try:
        row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
        if row is not None:
            return int(row[0])
    except DatabaseError:
        pass
    try:
        row = conn.execute("SELECT max(seq) FROM outbox").fetchone()
        return int(row[0] or 0)
    except DatabaseError:
        return 0


def _read_outbox(conn: Any) -> list[Pending]:
    """Scan the outbox in ``seq`` order; where a damaged page stops the scan, step over it
    row by row and scan again from the next row that reads."""
    found: list[Pending] = []
    last = _last_seq(conn)
    seq = 0
    scan = f"SELECT {OUTBOX_COLUMNS} FROM outbox WHERE seq > ? ORDER BY seq"
    one = f"SELECT {OUTBOX_COLUMNS} FROM outbox WHERE seq = ?"
    while True:
        try:
            for row in conn.execute(scan, (seq,)):
                seq = int(row[0])
                _keep(found, row)
            return found
        except DatabaseError:
            pass
        while seq < last:  # step over the damaged rows one by one
            seq += 1
            try:
                row = conn.execute(one, (seq,)).fetchone()
            except DatabaseError:
                continue
            if row is not None:
                _keep(found, row)
                break
        else:
            return found


def _keep(found: list[Pending], row: Any) -> None:
    with contextlib.suppress(ValueError):  # a row that reads but does not parse: skip it
        found.append(pending_of(row))


def salvage(path: Path, key: bytes) -> list[Pending]:
    """The unsynced edits still readable in a (damaged) store, oldest first."""
    try:
        conn = connect(path, key)
    except DatabaseError:
        return []
    found: list[Pending] = []
    try:
        try:
            readable(conn)
        except DatabaseError:
            return []
        found = _read_outbox(conn)
    finally:
        conn.close()
    return found
