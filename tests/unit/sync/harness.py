"""An in-memory sync server and in-memory clients built on ``almanac.sync`` (R8, R14).

This is the executable model of sync: the stateful property test drives it, and the real
server (``/api/v1/sync`` over the SQL store) and the real client (the encrypted local store)
are to be tested against it — same messages in, same states out.

``MemoryServer`` keeps, per record, the current state and *every* version (content, deleted,
the mutation that made it), a per-person change counter, the ids of applied mutations with
their results (a replayed push answers ``duplicate`` and changes nothing), and every conflict.
Its ``push`` is exactly what the real server must do per mutation: replay check, base content
from history, ``merge``, store the outcome as a new version if it changed something.

``MemoryClient`` keeps shadows, an outbox and a cursor, and does nothing of its own: every
decision is ``almanac.sync.decide``'s; it only applies the actions. Its ``push`` and ``pull``
take a ``drop`` argument to lose the request or the response on the way.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from uuid import UUID

from almanac.errors import AlmanacError
from almanac.sync import (
    Action,
    AddPending,
    DropPending,
    FieldConflict,
    LocalRecord,
    Mutation,
    MutationResult,
    Notify,
    Pending,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    RecordChange,
    ReplacePending,
    ServerState,
    SetShadow,
    Validator,
    local_edit,
    merge,
    on_pull,
    on_result,
    push_batch,
    view,
)
from almanac.sync.protocol import ErrorInfo, Kind

Drop = Literal["request", "response"] | None
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Version:
    """One stored version of a record (the server's history)."""

    version: int
    change_no: int
    deleted: bool
    content: Mapping[str, Any]
    mutation_id: UUID


@dataclass
class Stored:
    """A record's current state on the server."""

    id: UUID
    kind: Kind
    version: int
    change_no: int
    deleted: bool
    content: dict[str, Any]

    def change(self) -> RecordChange:
        return RecordChange(
            id=self.id,
            kind=self.kind,
            version=self.version,
            change_no=self.change_no,
            deleted=self.deleted,
            content=self.content,
            updated_at=EPOCH + timedelta(seconds=self.change_no),
        )


@dataclass
class MemoryServer:
    """The central server of one person, in memory."""

    validate: Validator | None = None
    records: dict[UUID, Stored] = field(default_factory=dict)
    history: dict[UUID, list[Version]] = field(default_factory=dict)
    applied: dict[UUID, MutationResult] = field(default_factory=dict)
    conflicts: list[tuple[UUID, FieldConflict]] = field(default_factory=list)
    last_change_no: int = 0
    oldest_cursor: int = 0
    """Cursors in ``(0, oldest_cursor)`` are no longer served: ``resync_required``."""

    # -- the two calls -------------------------------------------------------------------
    def push(self, request: PushRequest) -> PushResponse:
        return PushResponse(results=[self._apply(m) for m in request.mutations])

    def pull(self, request: PullRequest) -> PullResponse:
        if 0 < request.cursor < self.oldest_cursor:
            return PullResponse(next_cursor=0, resync_required=True)
        newer = sorted(
            (r for r in self.records.values() if r.change_no > request.cursor),
            key=lambda r: r.change_no,
        )
        page = newer[: request.limit]
        return PullResponse(
            changes=[r.change() for r in page],
            next_cursor=page[-1].change_no if page else request.cursor,
            more=len(newer) > len(page),
        )

    def forget_cursors(self) -> None:
        """Stop serving every cursor given out so far (as after purging old tombstones)."""
        self.oldest_cursor = self.last_change_no + 1

    # -- one mutation ----------------------------------------------------------------------
    def _apply(self, m: Mutation) -> MutationResult:
        earlier = self.applied.get(m.mutation_id)
        if earlier is not None:
            if earlier.status == "rejected":
                return earlier
            return earlier.model_copy(update={"status": "duplicate"})
        result = self._merge(m)
        self.applied[m.mutation_id] = result
        return result

    def _merge(self, m: Mutation) -> MutationResult:
        stored = self.records.get(m.record_id)
        try:
            if stored is not None and stored.kind != m.kind:
                raise AlmanacError(f"record {m.record_id} is a {stored.kind}", code="wrong_kind")
            if (
                stored is not None
                and m.base_version is not None
                and m.base_version > stored.version
            ):
                raise AlmanacError("base_version is newer than the record", code="bad_version")
            base = self._content_at(m.record_id, m.base_version)
            outcome = merge(
                base,
                stored.content if stored else None,
                stored.deleted if stored else False,
                m,
                validate=self.validate,
            )
        except AlmanacError as exc:
            return MutationResult(
                mutation_id=m.mutation_id,
                status="rejected",
                error=ErrorInfo(code=exc.code, message=exc.message, field=exc.field),
            )
        previous_version = stored.version if stored else None
        if outcome.changed:
            stored = self._write(m, outcome.content, outcome.deleted)
        assert stored is not None
        conflicts = [
            c.model_copy(update={"other_version": previous_version}) for c in outcome.conflicts
        ]
        self.conflicts.extend((m.record_id, c) for c in conflicts)
        return MutationResult(
            mutation_id=m.mutation_id,
            status=outcome.status,
            record=stored.change(),
            conflicts=conflicts,
            notices=outcome.notices,
        )

    def _content_at(self, record_id: UUID, version: int | None) -> Mapping[str, Any] | None:
        if version is None:
            return None
        for v in self.history.get(record_id, ()):
            if v.version == version:
                return v.content
        return None

    def _write(self, m: Mutation, content: dict[str, Any], deleted: bool) -> Stored:
        self.last_change_no += 1
        stored = self.records.get(m.record_id)
        version = stored.version + 1 if stored else 1
        stored = Stored(m.record_id, m.kind, version, self.last_change_no, deleted, content)
        self.records[m.record_id] = stored
        self.history.setdefault(m.record_id, []).append(
            Version(version, self.last_change_no, deleted, copy.deepcopy(content), m.mutation_id)
        )
        return stored


@dataclass
class MemoryClient:
    """One device: shadows, an outbox, a cursor; decisions from ``almanac.sync.decide``."""

    number: int
    shadows: dict[UUID, ServerState] = field(default_factory=dict)
    outbox: list[Pending] = field(default_factory=list)
    cursor: int = 0
    online: bool = True
    notices: list[Notify] = field(default_factory=list)
    pushed: list[Pending] = field(default_factory=list)
    """Every mutation as it was first sent (what "nothing is lost" is checked against)."""
    push_limit: int = 50
    pull_limit: int = 7
    _counter: int = 0

    # -- ids -------------------------------------------------------------------------------
    def new_id(self) -> UUID:
        self._counter += 1
        return UUID(int=(self.number << 64) | self._counter)

    # -- what the person sees and does ----------------------------------------------------
    def pending_for(self, record_id: UUID) -> list[Pending]:
        return [p for p in self.outbox if p.record_id == record_id]

    def record(self, record_id: UUID) -> LocalRecord | None:
        return view(self.shadows.get(record_id), self.pending_for(record_id))

    def known_ids(self) -> list[UUID]:
        ids = set(self.shadows) | {p.record_id for p in self.outbox}
        return sorted(ids)

    def live(self) -> dict[UUID, LocalRecord]:
        out: dict[UUID, LocalRecord] = {}
        for record_id in self.known_ids():
            record = self.record(record_id)
            if record is not None and not record.deleted:
                out[record_id] = record
        return out

    def create(self, kind: Kind, content: Mapping[str, Any]) -> UUID:
        record_id = self.new_id()
        self._edit("create", content, record_id, kind)
        return record_id

    def update(self, record_id: UUID, changes: Mapping[str, Any]) -> None:
        record = self.record(record_id)
        assert record is not None
        self._edit("update", changes, record_id, record.kind)

    def replace_content(self, record_id: UUID, content: Mapping[str, Any]) -> None:
        """An update the local store's way: the record's whole new content (a field it leaves
        out went back to its default: a reset, ``null`` on the wire)."""
        record = self.record(record_id)
        assert record is not None
        self._edit("update", content, record_id, record.kind, whole=True)

    def delete(self, record_id: UUID) -> None:
        record = self.record(record_id)
        assert record is not None
        self._edit("delete", {}, record_id, record.kind)

    def _edit(
        self,
        op: Literal["create", "update", "delete"],
        changes: Mapping[str, Any],
        record_id: UUID,
        kind: Kind,
        whole: bool = False,
    ) -> None:
        actions = local_edit(
            op,
            changes,
            record_id=record_id,
            kind=kind,
            mutation_id=self.new_id(),
            shadow=self.shadows.get(record_id),
            pending=self.pending_for(record_id),
            whole=whole,
        )
        self.apply(actions)

    # -- applying decisions ----------------------------------------------------------------
    def apply(self, actions: Iterable[Action]) -> None:
        for action in list(actions):
            if isinstance(action, SetShadow):
                self.shadows[action.state.record_id] = action.state
            elif isinstance(action, AddPending):
                self.outbox.append(action.pending)
            elif isinstance(action, ReplacePending):
                index = self._index(action.mutation_id)
                self.outbox[index] = action.pending
            elif isinstance(action, DropPending):
                del self.outbox[self._index(action.mutation_id)]
            elif isinstance(action, Notify):
                self.notices.append(action)

    def _index(self, mutation_id: UUID) -> int:
        for index, entry in enumerate(self.outbox):
            if entry.mutation_id == mutation_id:
                return index
        raise KeyError(mutation_id)

    # -- the wire --------------------------------------------------------------------------
    def push(self, server: MemoryServer, drop: Drop = None) -> bool:
        """Push one batch; ``False`` when there was nothing to push or the exchange failed."""
        batch = push_batch(self.outbox, self.push_limit)
        if not batch:
            return False
        for entry in batch:
            if not entry.sent:
                self.pushed.append(entry)
                self.outbox[self._index(entry.mutation_id)] = replace(entry, sent=True)
        if drop == "request":
            return False
        response = server.push(PushRequest(mutations=[p.mutation for p in batch]))
        if drop == "response":
            return False
        for result in response.results:
            record_id = next(p.record_id for p in batch if p.mutation_id == result.mutation_id)
            self.apply(on_result(result, self.shadows.get(record_id), self.pending_for(record_id)))
        return True

    def pull(self, server: MemoryServer, drop: Drop = None) -> bool:
        """Pull one page; ``True`` when there may be more."""
        if drop == "request":
            return False
        response = server.pull(PullRequest(cursor=self.cursor, limit=self.pull_limit))
        if drop == "response":
            return False
        if response.resync_required:
            self.cursor = 0  # re-bootstrap: pull everything again; the outbox stays
            return True
        for change in response.changes:
            self.apply(on_pull(change, self.shadows.get(change.id), self.pending_for(change.id)))
        self.cursor = response.next_cursor
        return response.more

    def sync(self, server: MemoryServer) -> None:
        """The sync button: push until the outbox is empty, then pull every page."""
        while self.push(server):
            pass
        while self.pull(server):
            pass


def sync_everyone(server: MemoryServer, clients: Iterable[MemoryClient]) -> None:
    """Every client syncs twice over, with no faults: afterwards all must agree."""
    everyone = list(clients)
    for _ in range(2):
        for client in everyone:
            client.online = True
            client.sync(server)
