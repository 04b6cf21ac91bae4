"""Rebuilding a damaged store (R13; issue 3 §5): the damaged file is moved aside (never
deleted), a new store is made with the same key, the unsynced edits still readable in the
old file are queued again with their original mutation ids (the server applies a replay
once), and the records come back from the server — at once when it answers, else at the
next sync (the store is marked ``bootstrap``: its cursor is 0).

Part of the core; the pulling is ``engine``'s.
"""

from __future__ import annotations

from pathlib import Path

from almanac.client.engine import Tally, pull_all, push_all
from almanac.client.reports import SyncReport
from almanac.client.transport import Transport
from almanac.errors import StoreDamaged
from almanac.store.local import LocalStore
from almanac.store.recovery import move_aside, salvage

__all__ = ["BOOTSTRAP", "REBUILT_FROM", "open_or_rebuild", "rebuild_from_server", "replace_store"]

BOOTSTRAP = "bootstrap"
"""Meta flag: this store was rebuilt and has not pulled everything yet."""
REBUILT_FROM = "rebuilt_from"
"""Meta: where the damaged file that this store replaced was put."""


def open_or_rebuild(path: Path, key: bytes) -> tuple[LocalStore, Path | None]:
    """The store at ``path``; when it is damaged, a new one (see the module doc) and where
    the damaged file went. A missing file is made anew, marked for bootstrap."""
    if not path.exists():
        store = LocalStore.create(path, key)
        store.set_meta(BOOTSTRAP, "1")
        return store, None
    try:
        return LocalStore.open(path, key), None
    except StoreDamaged as damaged:
        aside = Path(str(damaged.moved_to)) if damaged.moved_to else move_aside(path)
        return replace_store(path, key, aside), aside


def replace_store(path: Path, key: bytes, aside: Path) -> LocalStore:
    """A new store at ``path`` holding the edits salvaged from the file at ``aside``."""
    salvaged = salvage(aside, key)
    store = LocalStore.create(path, key)
    if salvaged:
        store.add_pending(salvaged)
    store.set_meta(BOOTSTRAP, "1")
    store.set_meta(REBUILT_FROM, str(aside))
    return store


def rebuild_from_server(store: LocalStore, transport: Transport, token: str) -> SyncReport:
    """Pull everything from 0 (a store that was empty never asks for confirmation), then
    push the re-queued edits; clears the ``bootstrap`` flag."""
    tally = Tally()
    pull_all(store, transport, token, tally, confirm=True, progress=_quiet, from_zero=True)
    store.set_meta(BOOTSTRAP, None)
    push_all(store, transport, token, tally, confirm=True, progress=_quiet)
    return tally.report(0.0)


def _quiet(_: object) -> None:
    return None
