"""One sync between the local store and the server (R8, R13, R14; issue 3 §3, §5).

**Push**, first, so the server sees this device's edits before it answers a pull:

1. the safety stop — pending deletes against the records live here
   (``needs_confirmation``) → ``NeedsConfirmation(where="the server")`` unless confirmed;
2. waves: ``take_wave(500)`` (``push_heads``: the oldest pending mutation of each record,
   in SQL, marked sent in the same transaction), **committed before the request goes out**
   (a lost answer leaves them sent; the next sync replays the same mutation ids and the
   server applies them once); the results are applied with ``on_result``; stored conflicts
   are kept, notices too;
3. **pipelined**: each request is written here (``encode_push``) once its wave is taken and
   committed, and posted by a worker thread (``_Courier``) the moment the answer to the wave
   before arrives — before anything parses that answer. While an answer is out this thread
   takes more waves (up to ``READY`` behind the one out, each without the records of the
   waves handed over: a record's next mutation waits for the answer to its previous one, to
   be rebased onto it; one commit each, before its body is written and handed over); when
   the answer comes it is parsed and applied and the next wave taken in **one transaction**
   while the server works on the wave after. One request at a time, in wave order, none
   after a failed one, and none while two answers are unparsed (the worker waits for this
   thread to have read the answer before the last): only the client's work moved beside
   the server's. A failure here ends the push like a lost answer, what was handed over
   stays sent and the replay is answered ``duplicate``: after an answer that does not parse
   at most the request posted as it arrived has gone out; after one that parsed (a store
   error while applying it, or no progress) at most one more. The WAL is checkpointed every
   16,384 pages meanwhile (``checkpoints_deferred``), not after every wave's commit;
4. until the outbox is empty or a wave made no progress.

**Pull**, in **one transaction**: each page is applied as it arrives
(``store.apply_pulled``: ``on_pull`` per change, shadows and pending edits read in bulk;
what it writes is mostly held in memory and written at the commit, in key order) while the
next page is requested and parsed on a worker thread (``_prefetched``: the server's time and
the client's overlap). A ``resync_required`` answer rolls back what was applied and starts
again from 0; afterwards the shadows the server no longer has are forgotten (pending edits
are kept). Then the safety stop: tombstones of records live here (and, on a resync, records
the server no longer has), counted against the items as they were before the pull →
``NeedsConfirmation``, the transaction rolled back (nothing applied, the cursor unchanged),
unless confirmed (a bootstrap into an empty store never asks). Then the pages' conflicts,
the cursor, ``last_sync``, and one commit. A failure anywhere — network, stop, a crash —
leaves the store as it was before the pull.

Last, the person's settings (``preferences.exchange``: the pending patch sent, or fetched).

An ``Offline`` in the middle leaves what was already applied (every network step committed)
and is raised as it is. Part of the core: the network is behind ``Transport``.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from almanac.client import preferences
from almanac.client.reports import SyncProgress, SyncReport
from almanac.client.transport import Transport, decode_push, encode_push
from almanac.collector import paused
from almanac.errors import NeedsConfirmation, Offline
from almanac.store.local import LocalStore
from almanac.sync.decide import (
    Action,
    DropPending,
    Notify,
    Pending,
    needs_confirmation,
    on_result,
)
from almanac.sync.protocol import (
    MAX_PULL_LIMIT,
    MAX_PUSH_MUTATIONS,
    ConflictRecord,
    MutationResult,
    PullResponse,
    PushResponse,
)

__all__ = ["LAST_SYNC", "WAVE", "Progress", "Tally", "pull_all", "push_all", "sync"]

Progress = Callable[[SyncProgress], None]

WAVE = MAX_PUSH_MUTATIONS
"""Mutations per push request (the protocol's limit; tests make waves smaller)."""

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
            conflicts=_once_each(self.conflicts),
            notices=list(self.notices),
            rejected=list(self.rejected),
            resynced=self.resynced,
            seconds=seconds,
        )


def _once_each(conflicts: list[ConflictRecord]) -> list[ConflictRecord]:
    """Each conflict once, where it first came, as it came last: the answer to this
    device's push names the conflicts it made, and the pull after it brings them again."""
    last = {c.id: c for c in conflicts}
    return [last.pop(c.id) for c in conflicts if c.id in last]


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
    with paused():  # thousands of short-lived objects a wave or page (almanac.collector)
        push_all(store, transport, token, tally, confirm=confirm, progress=tell)
        pull_all(
            store, transport, token, tally, confirm=confirm, progress=tell, from_zero=from_zero
        )
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
    progress(SyncProgress("push", 0, total))
    with _Courier(transport, token) as courier, store.checkpoints_deferred():

        def send(wave: Sequence[Pending]) -> Future[bytes]:
            return courier.send(encode_push([p.mutation for p in wave]))

        def answer(flying: Future[bytes]) -> PushResponse:
            response = decode_push(transport.server_url, flying.result())
            courier.parsed()
            return response

        _waves(
            store,
            send,
            answer,
            courier.halt,
            tally,
            lambda n: progress(SyncProgress("push", min(n, total), total)),
        )


class _Courier:
    """The push's worker thread: posts the request bodies handed to it (``send``), one at a
    time and in the order given, each **the moment the answer before it has arrived** — the
    answer's bytes go back to the caller unparsed — and once the answer before that one has
    been parsed (``parsed``): at most one answer is ever out of the caller's hands unread, so
    a failure the caller finds in an answer lets at most the next request out. Once a request
    fails (any exception: ``Offline``, an HTTP error, a timeout…) or the caller ``halt``s
    it, it posts nothing more: what is handed over after, or was waiting, fails with
    ``_NotSent``. Leaving halts it and waits for the request under way."""

    def __init__(self, transport: Transport, token: str) -> None:
        self._transport = transport
        self._token = token
        self._turn = threading.Condition()
        self._halted = False
        self._handed = 0  # bodies handed over (by the caller's thread only)
        self._read = 0  # answers the caller parsed
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="almanac-push")

    def send(self, body: bytes) -> Future[bytes]:
        """``body`` posted after every body handed over before it has been answered, and
        the answer before the last of them parsed."""
        index, self._handed = self._handed, self._handed + 1
        return self._pool.submit(self._post, index, body)

    def parsed(self) -> None:
        """The caller has parsed the oldest answer it had not."""
        with self._turn:
            self._read += 1
            self._turn.notify_all()

    def halt(self) -> None:
        """Post nothing that is not out yet."""
        with self._turn:
            self._halted = True
            self._turn.notify_all()

    def _post(self, index: int, body: bytes) -> bytes:
        with self._turn:
            self._turn.wait_for(lambda: self._halted or self._read >= index - 1)
            if self._halted:
                raise _NotSent()
        try:
            return self._transport.push_encoded(self._token, body)
        except BaseException:
            self.halt()
            raise

    def __enter__(self) -> _Courier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.halt()
        self._pool.shutdown(wait=True)


class _NotSent(Exception):
    """A push body not posted: a request before it failed, or the push stopped."""


READY = 3
"""Waves taken, written and handed over behind the one out, at most: the server's next
requests are ready even when the client's work on one answer takes longer than the server's
on one wave (small memo updates), from the time it saved on slower waves."""


def _waves(
    store: LocalStore,
    send: Callable[[Sequence[Pending]], Future[bytes]],
    answer: Callable[[Future[bytes]], PushResponse],
    halt: Callable[[], None],
    tally: Tally,
    pushed: Callable[[int], None],
) -> None:
    """The waves, **pipelined**. ``send`` writes a wave's request and hands it to the push's
    worker thread (``_Courier``), which posts it as soon as the answer to the wave before
    has arrived; ``answer`` waits for a wave's answer and parses it, here. While the answer
    to the oldest wave handed over is out, this thread takes more waves (up to ``READY``
    behind it; ``take_wave`` without the records of the waves handed over: a record's next
    mutation waits for the answer to its previous one, to be rebased onto it), each marked
    sent and **committed before it is written and handed over**. When the answer comes (the
    next request went out as its bytes arrived), it is parsed and applied and the next wave
    taken in **one commit**. Requests go one at a time, in wave order, none after a failed
    one, and none while two answers are unread here. An answer that fails to parse, or any
    failure here, ends the push (``_Courier`` leaving halts it and waits for the request
    under way; its answer is not read — a lost answer): after an answer that did not parse,
    only the request posted as it arrived can be out; after a failure applying a parsed
    answer, one more at most. What was handed over stays sent, and the next sync's replay is
    answered ``duplicate``. A wave whose answer drops nothing (no progress) ends the push
    (``halt``) once the requests under way — the one posted as that answer arrived, and
    perhaps the one after — are answered."""
    handed: deque[tuple[list[Pending], Future[bytes]]] = deque()

    def take() -> list[Pending]:
        """The next wave, less the records handed over (the caller commits)."""
        return _next_wave(store, [p for wave, _ in handed for p in wave])

    def hand(wave: list[Pending]) -> None:
        handed.append((wave, send(wave)))

    with store.transaction():
        first = take()
    if first:
        hand(first)
    more, stalled = True, False
    done = 0
    while handed:
        while more and len(handed) <= READY and not handed[0][1].done():
            with store.transaction():  # the server works on the oldest wave handed over
                wave = take()
            if wave:
                hand(wave)
            more = bool(wave)
        answered, flying = handed.popleft()
        try:
            response = answer(flying)  # the next wave went out as these bytes arrived
        except _NotSent:
            return  # halted (stalled): the request under way was the last
        with store.transaction():  # overlaps the server's work on the next wave
            dropped, stored, told = _apply_results(store, answered, response.results)
            stalled = stalled or not dropped
            wave = [] if stalled else take()  # the records just answered may have more
        if stalled:
            halt()
        if wave:
            hand(wave)
        more = bool(wave)  # else nothing is left but the records handed over
        _tell(tally, stored, told)
        done += len(answered)
        tally.pushed += len(response.results)
        pushed(done)


def _next_wave(store: LocalStore, busy: Sequence[Pending] = ()) -> list[Pending]:
    """The next batch (``push_batch`` of the outbox, less the records of the ``busy``
    waves), marked sent (the caller commits)."""
    return store.take_wave(WAVE, {p.record_id for p in busy})


def _apply_results(
    store: LocalStore,
    batch: Sequence[Pending],
    results: Sequence[MutationResult],
) -> tuple[int, list[ConflictRecord], list[Notify]]:
    """Apply a wave's answer (in the caller's transaction); returns how many outbox entries
    it dropped, the stored conflicts and the notices."""
    stored: list[ConflictRecord] = []
    records = {p.mutation_id: p.record_id for p in batch}
    actions: list[Action] = []  # one mutation per record in a wave: decide first
    shadows, pending = store.push_context(batch)
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
    dropped = sum(isinstance(a, DropPending) for a in actions)
    told = store.apply_results(actions)
    if stored:
        store.put_conflicts(stored)
    if told:
        store.add_notices(told)
    return dropped, stored, told


def _tell(tally: Tally, stored: list[ConflictRecord], told: list[Notify]) -> None:
    """A committed wave's conflicts and notices, into the report."""
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


class _Restart(Exception):
    """The server answered ``resync_required`` (to the page after ``cursor``): roll back and
    pull from 0."""

    def __init__(self, cursor: int):
        super().__init__(cursor)
        self.cursor = cursor


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
    """Pull every page into one transaction, check the safety stop, commit (module doc)."""
    start, resynced = (0, True) if from_zero else (store.cursor, False)
    while True:
        try:
            with store.transaction():  # a stop, a failure or a restart leaves nothing
                pulled, conflicts = _pull_into(
                    store, transport, token, start, confirm, progress, resynced=resynced
                )
            break
        except _Restart as restart:
            if resynced or restart.cursor == 0:
                raise Offline(transport.server_url, "the server cannot serve its changes") from None
            start, resynced = 0, True
    tally.conflicts.extend(conflicts)
    tally.pulled += pulled
    tally.resynced = tally.resynced or resynced


def _pull_into(
    store: LocalStore,
    transport: Transport,
    token: str,
    start: int,
    confirm: bool,
    progress: Progress,
    *,
    resynced: bool,
) -> tuple[int, list[ConflictRecord]]:
    """Inside the pull's transaction: each page applied as it comes while the next one is
    fetched (``_prefetched``); then the safety stop, the conflicts, the cursor, the shadows
    the server no longer has (on a resync), ``last_sync``."""
    known = store.known_ids() if resynced else set()
    seen: set[UUID] = set()
    conflicts: list[ConflictRecord] = []
    deletions = done = 0
    cursor = start
    with _prefetched(transport, token, start) as pages:
        for page in pages:
            if page.resync_required:
                raise _Restart(cursor)
            if not confirm:  # tombstones of records live here, counted before they apply
                deletions += store.live_as_written(c.id for c in page.changes if c.deleted)
            store.apply_pulled(page.changes)  # held in memory until the commit, mostly
            if resynced:
                seen.update(c.id for c in page.changes)
            conflicts.extend(page.conflicts)
            done += len(page.changes)
            cursor = page.next_cursor
            progress(SyncProgress("pull", done, None))
    gone = known - seen
    if not confirm:
        deletions += store.live_as_written(gone)
        live_here = store.live_as_written() if deletions else 0  # as before the pull
        if deletions and needs_confirmation(live_here, deletions):
            raise NeedsConfirmation(deletions, live_here, where="this device")
    progress(SyncProgress("pull", done, done))
    if conflicts:
        store.put_conflicts(conflicts)
    store.cursor = cursor
    if gone:
        store.forget(gone)
    store.set_meta(LAST_SYNC, datetime.now(UTC).isoformat())
    return done, conflicts


@contextmanager
def _prefetched(transport: Transport, token: str, cursor: int) -> Iterator[Iterator[PullResponse]]:
    """The pages from ``cursor``, each requested (and parsed) on a worker thread while the
    caller applies the one before: the server's time and the client's overlap. One request
    at a time; leaving waits for the one under way (the transport is free again after)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="almanac-pull") as pool:

        def fetch(after: int) -> Future[PullResponse]:
            return pool.submit(transport.pull, token, after, MAX_PULL_LIMIT)

        def pages() -> Iterator[PullResponse]:
            coming = fetch(cursor)
            while True:
                page = coming.result()
                last = page.resync_required or not page.more
                if not last:
                    coming = fetch(page.next_cursor)
                yield page
                if last:
                    return

        yield pages()
