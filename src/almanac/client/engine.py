"""One sync between the local store and the server (R8, R13, R14; issue 3 §3, §5).

**Push**, first, so the server sees this device's edits before it answers a pull:

1. the safety stop — pending deletes against the records live here
   (``needs_confirmation``) → ``NeedsConfirmation(where="the server")`` unless confirmed;
2. waves: ``push_batch(outbox, 500)`` (``store.push_heads``: the oldest pending mutation of
   each record, in SQL); the batch is marked *sent* and **committed before
   the request goes out** (a lost answer leaves them sent; the next sync replays the same
   mutation ids and the server applies them once); the results are applied with
   ``on_result`` in one transaction per wave; stored conflicts are kept, notices too;
3. until the outbox is empty or a wave made no progress.

**Pull**: every page from the cursor (``limit`` 1000) is fetched and buffered first; a
``resync_required`` answer starts again from 0 and, afterwards, forgets the shadows the
server no longer has (pending edits are kept). Then the safety stop on pull: tombstones for
records live here (and, on a resync, records the server no longer has) against the live
count → ``NeedsConfirmation`` with nothing applied and the cursor unchanged, unless
confirmed (a bootstrap into an empty store never asks). Then, in **one transaction** (every
page is buffered: nothing can fail on the network any more, and one commit instead of one per
page saves a third of a first sync's client time), page by page: ``on_pull`` per change
(``store.apply_pulled``: the shadows and pending edits read in bulk), the page's conflicts;
then the cursor, the forgotten shadows, ``last_sync``.

Last, the person's settings (``preferences.exchange``: the pending patch sent, or fetched).

An ``Offline`` in the middle leaves what was already applied (every network step committed)
and is raised as it is. Part of the core: the network is behind ``Transport``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from almanac.client import preferences
from almanac.client.reports import SyncProgress, SyncReport
from almanac.client.transport import Transport
from almanac.errors import NeedsConfirmation, Offline
from almanac.store.local import LocalStore
from almanac.sync.decide import Action, Notify, needs_confirmation, on_result
from almanac.sync.protocol import (
    MAX_PULL_LIMIT,
    MAX_PUSH_MUTATIONS,
    ConflictRecord,
    MutationResult,
    PullResponse,
    PushRequest,
)

__all__ = ["LAST_SYNC", "Progress", "Tally", "pull_all", "push_all", "sync"]

Progress = Callable[[SyncProgress], None]

LAST_SYNC = "last_sync"
"""Meta: when a pull last completed (ISO time, UTC)."""


@dataclass
class Tally:
    """What a sync did so far (becomes the ``SyncReport``)."""

    pushed: int = 0
    pulled: int = 0
    conflicts: list[ConflictRecord] = field(default_factory=list)
    notices: list[Notify] = field(default_factory=list)
    rejected: list[Notify] = field(default_factory=list)
    resynced: bool = False

    def report(self, seconds: float) -> SyncReport:
        return SyncReport(
            pushed=self.pushed,
            pulled=self.pulled,
            conflicts=list(self.conflicts),
            notices=list(self.notices),
            rejected=list(self.rejected),
            resynced=self.resynced,
            seconds=seconds,
        )


def _quiet(_: SyncProgress) -> None:
    return None


def sync(
    store: LocalStore,
    transport: Transport,
    token: str,
    *,
    confirm: bool = False,
    progress: Progress | None = None,
    from_zero: bool = False,
) -> SyncReport:
    """Push the outbox, then pull; ``from_zero``: pull everything again (a rebuild)."""
    began = time.monotonic()
    tell = progress or _quiet
    tally = Tally()
    push_all(store, transport, token, tally, confirm=confirm, progress=tell)
    pull_all(store, transport, token, tally, confirm=confirm, progress=tell, from_zero=from_zero)
    preferences.exchange(store, transport, token)  # the person's settings (R3), field-wise
    return tally.report(time.monotonic() - began)


# -- push ------------------------------------------------------------------------------------


def push_all(
    store: LocalStore,
    transport: Transport,
    token: str,
    tally: Tally,
    *,
    confirm: bool,
    progress: Progress,
) -> None:
    """Push every pending mutation, wave by wave (see the module doc)."""
    total, deletes = store.outbox_counts()
    if not total:
        return
    if deletes and not confirm:  # counting 100,000 items costs ~0.1 s: only when it matters
        live = store.count() + deletes  # the records the server has live, as this device knows
        if needs_confirmation(live, deletes):
            raise NeedsConfirmation(deletes, live, where="the server")
    done, before = 0, total
    progress(SyncProgress("push", 0, total))
    while batch := store.push_heads(MAX_PUSH_MUTATIONS):  # ``push_batch`` of the outbox
        store.mark_sent([p.mutation_id for p in batch])  # committed before the request
        response = transport.push(token, PushRequest(mutations=[p.mutation for p in batch]))
        _apply_results(store, {p.mutation_id: p.record_id for p in batch}, response.results, tally)
        done += len(batch)
        tally.pushed += len(response.results)
        progress(SyncProgress("push", min(done, total), total))
        left = store.outbox_size()
        if left >= before:
            break  # no progress: what is left waits for the next sync
        before = left


def _apply_results(
    store: LocalStore,
    records: Mapping[UUID, UUID],
    results: Sequence[MutationResult],
    tally: Tally,
) -> None:
    told: list[Notify] = []
    stored: list[ConflictRecord] = []
    with store.transaction():
        actions: list[Action] = []  # one mutation per record in a wave: decide first
        shadows, pending = store.push_context(list(dict.fromkeys(records.values())))
        for result in results:
            record_id = records.get(result.mutation_id)
            if record_id is None:
                continue  # not one this device asked about
            actions.extend(on_result(result, shadows.get(record_id), pending.get(record_id, [])))
            found = _conflict_records(result)
            if result.status == "duplicate" and found:
                # a replay repeats the first answer: a conflict known here may be settled since
                known = {c.id for c in store.conflicts(None)}
                found = [c for c in found if c.id not in known]
            stored.extend(found)
        told.extend(store.apply_results(actions))
        if stored:
            store.put_conflicts(stored)
        if told:
            store.add_notices(told)
    tally.conflicts.extend(stored)
    for notice in told:
        (tally.rejected if notice.what == "rejected" else tally.notices).append(notice)


def _conflict_records(result: MutationResult) -> list[ConflictRecord]:
    """The stored conflicts a push result names (those the server gave an id)."""
    record = result.record
    if record is None:
        return []
    return [
        ConflictRecord(
            id=c.id,
            record_id=record.id,
            kind=record.kind,
            field=c.field,
            kept_value=c.kept_value,
            other_value=c.other_value,
            base_value=c.base_value,
            reason=c.reason,
            kept_version=c.kept_version or record.version,
            other_version=c.other_version,
            change_no=record.change_no,
            created_at=record.updated_at,
        )
        for c in result.conflicts
        if c.id is not None
    ]


# -- pull ------------------------------------------------------------------------------------


def pull_all(
    store: LocalStore,
    transport: Transport,
    token: str,
    tally: Tally,
    *,
    confirm: bool,
    progress: Progress,
    from_zero: bool = False,
) -> None:
    """Fetch every page, check the safety stop, apply page by page (see the module doc)."""
    pages, resynced = _fetch(store, transport, token, progress, 0 if from_zero else None)
    resynced = resynced or from_zero
    changes = [c for page in pages for c in page.changes]
    gone: set[UUID] = set()
    if resynced:
        gone = store.known_ids() - {c.id for c in changes}
    if not confirm:
        deletions = sum(1 for c in changes if c.deleted and _live(store, c.id))
        deletions += sum(1 for rid in gone if _live(store, rid))
        live_here = store.count() if deletions else 0  # counting is only worth it then
        if deletions and needs_confirmation(live_here, deletions):
            raise NeedsConfirmation(deletions, live_here, where="this device")
    total, done = len(changes), 0
    with store.transaction():  # buffered: nothing can fail on the network any more
        for page in pages:
            store.apply_pulled(page.changes)  # ``on_pull`` per change, read and applied in bulk
            if page.conflicts:
                store.put_conflicts(page.conflicts)
            done += len(page.changes)
            progress(SyncProgress("pull", done, total))
        store.cursor = pages[-1].next_cursor
        if gone:
            store.forget(gone)
        store.set_meta(LAST_SYNC, datetime.now(UTC).isoformat())
    for page in pages:
        tally.conflicts.extend(page.conflicts)
    tally.pulled += total
    tally.resynced = tally.resynced or resynced


def _live(store: LocalStore, record_id: UUID) -> bool:
    item = store.get(record_id)
    return item is not None and not item.deleted


def _fetch(
    store: LocalStore,
    transport: Transport,
    token: str,
    progress: Progress,
    start: int | None,
) -> tuple[list[PullResponse], bool]:
    """Every page after the cursor (or ``start``); restarts from 0 on ``resync_required``."""
    cursor = store.cursor if start is None else start
    pages: list[PullResponse] = []
    resynced = False
    fetched = 0
    while True:
        page = transport.pull(token, cursor, MAX_PULL_LIMIT)
        if page.resync_required:
            if resynced or cursor == 0:
                raise Offline(transport.server_url, "the server cannot serve its changes")
            resynced, cursor, pages, fetched = True, 0, [], 0
            continue
        pages.append(page)
        fetched += len(page.changes)
        progress(SyncProgress("pull", fetched, None))
        if not page.more:
            return pages, resynced
        cursor = page.next_cursor
