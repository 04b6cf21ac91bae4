"""Damage: found on open, the file moved aside, unsynced edits salvaged (R13; issue 3 §5).

- ``check``: SQLCipher checks each page's HMAC as it decrypts it, so a damaged page is found
  as soon as it is *read*. ``check`` reads them all — ``PRAGMA cipher_integrity_check`` (every
  page's HMAC, no b-tree walk; cheaper than ``quick_check``, which also decrypts every page)
  — and then walks every row of the tables that hold what cannot be downloaded again
  (``outbox``, ``meta``, ``conflicts``, ``notices``). Reading every page costs time in
  proportion to the file (``bench/store.py`` prints it for 100,000 contacts, where it is
  over the 0.5 s an open may take), so ``LocalStore.open`` makes the full check only up to
  ``FULL_CHECK_BYTES`` and the quick one (the irreplaceable tables) above; damage met later
  in a read is ``StoreDamaged`` too (``LocalStore``'s guard).
- ``move_aside``: the file (and its write-ahead log) renamed to
  ``<name>.damaged-<UTC stamp>``; never deleted.
- ``salvage``: the outbox rows still readable, row by row (a damaged page loses only the
  rows on it); the client re-queues them with their original mutation ids after rebuilding
  the store from the server (the server dedupes a mutation it already applied). Then the
  **items** the person changed (``pending = 1``) whose outbox rows were lost with a damaged
  page: each is made into a new mutation (``_rescued``) from the item and its shadow —
  the fields that differ from the shadow, on its version; a delete (on the shadow's
  version, else the item's); or, where the shadow is gone, unreadable or a tombstone, a
  create with the whole content, which the server merges like any concurrent edit if the
  record exists. All of them go groups first, then contacts, then birthdays (a reference
  must find its record). The typed text is in the items as much as in the outbox, so losing
  the outbox's page loses no text. Not rescued: a record some of whose outbox rows survived
  (those are sent, a lost later one is not), and a settlement that changed no field.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast
from uuid import UUID, uuid4

from almanac.store.db import DatabaseError, connect, readable
from almanac.store.paths import sync_folder
from almanac.store.rows import OUTBOX_COLUMNS, pending_of
from almanac.sync.decide import AddPending, Pending, ServerState, local_edit
from almanac.sync.protocol import Kind, Mutation

_SIDE_FILES = ("-wal", "-shm", "-journal")
_READ_ERRORS = (DatabaseError, MemoryError)
"""What reading a damaged page raises (SQLCipher reports some HMAC failures as "out of
memory")."""


FULL_CHECK_BYTES = 48 * 2**20
"""Stores up to this size get the full page check on every open (~0.1 s at rest on the
project's 2-core machine); bigger ones the quick check, and the full one by hand (``check``,
``almanac restore``)."""

_IRREPLACEABLE = (
    "SELECT count(*), sum(length(mutation) + length(previous)) FROM outbox",
    "SELECT count(*), sum(length(value)) FROM meta",
    "SELECT count(*), sum(length(body)) FROM conflicts",
    "SELECT count(*), sum(length(body)) FROM notices",
)


def check_connection(conn: Any, *, full: bool = True) -> str | None:
    """None when the store reads back; else why not. ``full``: every page's HMAC
    (``PRAGMA cipher_integrity_check``); else only the schema and the tables that cannot be
    downloaded again (outbox, meta, conflicts, notices) — every row of them, so their pages
    are all read and checked. Shadows, items and terms come back from the server."""
    try:
        if full:
            problems = [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check")]
            if problems:
                return f"{len(problems)} damaged page(s): {problems[0]}"
        for sql in _IRREPLACEABLE:
            conn.execute(sql).fetchone()
        conn.execute("SELECT count(*) FROM items WHERE indexed = 0").fetchone()
    except _READ_ERRORS as exc:
        return f"unreadable: {exc}"
    return None


def open_check(conn: Any, path: Path) -> str | None:
    """The check ``LocalStore.open`` makes: full up to ``FULL_CHECK_BYTES``, quick above."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return check_connection(conn, full=size <= FULL_CHECK_BYTES)


def check(path: Path, key: bytes) -> str | None:
    """None: the store at ``path`` opens with ``key`` and every page is intact; else the
    reason (a missing file is a reason too)."""
    if not path.exists():
        return "the file is missing"
    try:
        conn = connect(path, key)
    except _READ_ERRORS as exc:
        return f"unreadable: {exc}"
    try:
        try:
            readable(conn)
        except _READ_ERRORS as exc:
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


class _Reader:
    """A connection to a damaged file that is opened again after each read error: SQLCipher
    keeps a failed page's error on the connection, so later reads would fail too."""

    def __init__(self, path: Path, key: bytes):
        self.path, self.key = path, key
        self.conn: Any = None

    def one(self, sql: str, args: tuple[Any, ...] = ()) -> Any:
        try:
            return self._conn().execute(sql, args).fetchone()
        except _READ_ERRORS:
            self.close()
            raise

    def rows(self, sql: str, args: tuple[Any, ...]) -> Iterator[Any]:
        try:
            yield from self._conn().execute(sql, args)
        except _READ_ERRORS:
            self.close()
            raise

    def _conn(self) -> Any:
        if self.conn is None:
            self.conn = connect(self.path, self.key)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _last_seq(reader: _Reader) -> int:
    for sql in (
        "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'",
        "SELECT max(seq) FROM outbox",
    ):
        try:
            row = reader.one(sql)
        except _READ_ERRORS:
            continue
        if row is not None and row[0] is not None:
            return int(row[0])
    return 0


MAX_STEPS = 20_000
"""Row-by-row attempts over damaged parts of the outbox, at most (each opens the file)."""


def _read_outbox(reader: _Reader) -> list[Pending]:
    """Scan the outbox in ``seq`` order; where a damaged page stops the scan, step over it
    row by row and scan again from the next row that reads."""
    found: list[Pending] = []
    last = _last_seq(reader)
    seq, steps = 0, 0
    scan = f"SELECT {OUTBOX_COLUMNS} FROM outbox WHERE seq > ? ORDER BY seq"
    one = f"SELECT {OUTBOX_COLUMNS} FROM outbox WHERE seq = ?"
    while True:
        try:
            for row in reader.rows(scan, (seq,)):
                seq = int(row[0])
                _keep(found, row)
            return found
        except _READ_ERRORS:
            seq += 1  # the row after the last one read is on the damaged page
        while seq <= last and steps < MAX_STEPS:  # step over the damaged rows one by one
            steps += 1
            try:
                row = reader.one(one, (seq,))
            except _READ_ERRORS:
                seq += 1
                continue
            if row is not None:
                _keep(found, row)
                break
            seq += 1
        else:
            return found


def _keep(found: list[Pending], row: Any) -> None:
    with contextlib.suppress(ValueError):  # a row that reads but does not parse: skip it
        found.append(pending_of(row))


def salvage(path: Path, key: bytes) -> list[Pending]:
    """The unsynced edits still readable in a (damaged) store: the outbox's, oldest first,
    then those rescued from the changed items whose outbox rows are lost."""
    reader = _Reader(path, key)
    try:
        reader.one("SELECT count(*) FROM sqlite_master")
        found = _read_outbox(reader)
        queued = {str(entry.record_id) for entry in found}
        return _in_order(found, _from_items(reader, queued))
    except _READ_ERRORS:
        return []
    finally:
        reader.close()


_RANK = {"group": 0, "contact": 1, "birthday": 2}
"""A record before those that may reference it: groups, then contacts (their groups), then
birthdays (their contact); the other kinds reference none."""


def _in_order(outbox: list[Pending], rescued: list[Pending]) -> list[Pending]:
    """The outbox's entries in their own order; the rescued groups and contacts (not their
    deletes) before them, in that order of kinds, so that what points at them finds them
    (the server refuses a reference to a record it does not have yet); the other rescued
    entries after them."""
    ahead = [e for e in rescued if _rank(e) < 2 and e.mutation.op != "delete"]
    early = {e.mutation_id for e in ahead}
    behind = [e for e in rescued if e.mutation_id not in early]
    return sorted(ahead, key=_rank) + outbox + sorted(behind, key=_rank)


def _rank(entry: Pending) -> int:
    return _RANK.get(entry.mutation.kind, 3)


_CHANGED_ITEMS = (
    "SELECT id, kind, content, deleted, version FROM items WHERE pending = 1 ORDER BY id"
)


def _from_items(reader: _Reader, queued: set[str]) -> list[Pending]:
    """A mutation for each readable changed item not in ``queued`` (in id order)."""
    rows: dict[str, Any] = {}
    for direction in ("", " DESC"):  # from both ends: a damaged page loses only its rows
        try:
            for row in reader.rows(_CHANGED_ITEMS + direction, ()):
                rows.setdefault(str(row[0]), row)
            break
        except _READ_ERRORS:
            continue
    rescued: list[Pending] = []
    for rid in sorted(set(rows) - queued):
        with contextlib.suppress(ValueError):  # a row that does not parse: skip it
            entry = _rescued(rows[rid], _shadow(reader, rid))
            if entry is not None:
                rescued.append(entry)
    return rescued


_UNKNOWN: Any = object()


def _shadow(reader: _Reader, rid: str) -> Any:
    """``(version, deleted, content)`` of the record's shadow; None if it has none;
    ``_UNKNOWN`` if its page does not read."""
    try:
        row = reader.one("SELECT version, deleted, content FROM shadows WHERE id = ?", (rid,))
        return None if row is None else (int(row[0]), bool(row[1]), json.loads(row[2]))
    except (*_READ_ERRORS, ValueError):
        return _UNKNOWN


def _rescued(item: Any, shadow: Any) -> Pending | None:
    """The mutation that takes the server from the shadow to the item (see the module doc);
    None when there is nothing to send. Made by ``local_edit``, as the person's edit of what
    the shadow says the server has."""
    kind, content, deleted = cast(Kind, str(item[1])), json.loads(str(item[2])), bool(item[3])
    record_id = UUID(str(item[0]))
    live = shadow is not _UNKNOWN and shadow is not None and not shadow[1]
    if deleted and not live:
        if shadow is not _UNKNOWN and shadow is not None:
            return None  # deleted there too
        # a changed item with no shadow was sent as a create at least once (one made and
        # deleted before any push leaves no changed item): the server may have it
        base = int(item[4]) if item[4] else 1
        gone = Mutation(
            mutation_id=uuid4(), record_id=record_id, kind=kind, op="delete", base_version=base
        )
        return Pending(gone, content)
    actions = local_edit(
        "delete" if deleted else "update" if live else "create",
        {} if deleted else content,
        record_id=record_id,
        kind=kind,
        mutation_id=uuid4(),
        shadow=ServerState(record_id, kind, shadow[0], False, shadow[2]) if live else None,
        pending=[],
        whole=True,  # the item is the whole content: a field it no longer has is a reset
    )
    return next((a.pending for a in actions if isinstance(a, AddPending)), None)
