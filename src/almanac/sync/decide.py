"""The client's side of sync, as pure decisions (R8, R12, R14; issue 3 §2–§3).

A client keeps, per record, its **shadow** (``ServerState``: the last server state it knows,
from a pull or a push result) and its **outbox** (``Pending`` mutations, oldest first). What
the person sees is ``view(shadow, pending)``: the shadow with the pending edits on top, so
local edits stay visible until the server has them.

The functions here never touch a store: they look at a record's shadow and pending
mutations and *yield actions* (``SetShadow``, ``AddPending``, ``ReplacePending``,
``DropPending``, ``Notify``) that the caller applies in order, in one transaction of its
store — in the manner of vdirsyncer's sync, which computes actions first and runs them after.

- ``local_edit``: the person created, changed or deleted a record. Unsent pending mutations of
  the record are *compacted* (an edit joins the unsent create or update; an edit back to the
  old value cancels; a delete of a never-sent create cancels it; a delete replaces an unsent
  update), so there is at most one unsent mutation per record. A mutation once sent is
  frozen — its ``mutation_id`` may already be applied on the server — and a new edit makes a
  new mutation.
- ``on_pull``: a pulled change for the record: store it as the shadow (older or equal
  versions are ignored) and **rebase** unsent pending mutations onto it.
- ``on_result``: the server's result for a pushed mutation: drop it from the outbox, store
  the record state as the shadow if newer, rebase the others, tell the person about
  conflicts; a rejected mutation is dropped and reported.
- ``push_batch``: what to push next — the first pending mutation of each record (later ones
  wait for its result, so they can be rebased onto the version it produced).

**Rebase** of an unsent mutation onto a newer server state ``S`` (version ``v``): every
pending mutation remembers ``previous`` — what the person saw before the edit (the touched
fields; for a delete the whole content). If for every touched field ``S`` holds either the
previous value (nobody else changed it — e.g. the change was this client's own, or elsewhere)
or already the new value, the mutation moves to ``base_version = v`` and drops the fields that
are already there; if all are there, the mutation is dropped (``identical``) — unless it still
settles stored conflicts (``resolves``): then it stays, with empty changes. Otherwise it
keeps its old base, so that the server sees the concurrent change and flags the conflict. A
pending update on a record deleted on the server is kept (the server brings the record back:
an edit beats a delete); a pending delete of a record deleted on the server is dropped.

**Resets.** A field put back at its default travels as ``null`` in an update's changes (the
model leaves some defaults out of the content — an empty reminder list — so the key is
simply gone from the new content). ``local_edit(..., whole=True)`` takes the record's whole
new content and sees a key it lacks as changed to ``null``; ``view`` shows a ``null`` change
as the key removed; a reset joining an unsent create removes the key from it. Throughout,
``null`` and an absent key are the same value (``merge.same_field``).

``needs_confirmation`` is the safety stop: a sync that would delete most of the person's
records asks first.

Part of the core: standard library, pydantic (via ``protocol``) and ``almanac.errors`` only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from uuid import UUID

from almanac.errors import NotFound
from almanac.sync.merge import same_field, same_value, without_resets
from almanac.sync.protocol import (
    ErrorInfo,
    FieldConflict,
    Kind,
    Mutation,
    MutationResult,
    Op,
    RecordChange,
)

__all__ = [
    "Action",
    "AddPending",
    "DropPending",
    "LocalRecord",
    "Notify",
    "Pending",
    "ReplacePending",
    "ServerState",
    "SetShadow",
    "local_edit",
    "needs_confirmation",
    "on_pull",
    "on_result",
    "push_batch",
    "rebase",
    "view",
]


@dataclass(frozen=True)
class ServerState:
    """A record as the server last told this client (its shadow). A tombstone keeps the last
    content the client knew."""

    record_id: UUID
    kind: Kind
    version: int
    deleted: bool
    content: Mapping[str, Any]

    @classmethod
    def from_change(cls, change: RecordChange, known: ServerState | None = None) -> ServerState:
        content: Mapping[str, Any]
        if change.content is not None:
            content = dict(change.content)
        else:
            content = known.content if known is not None else {}
        return cls(change.id, change.kind, change.version, change.deleted, content)


@dataclass(frozen=True)
class Pending:
    """One outbox entry. ``previous``: what the person saw before this edit — the touched
    fields' values for an update (a field the record did not have is absent), the whole
    content for a delete, nothing for a create. ``sent``: pushed at least once without an
    answer; frozen from then on."""

    mutation: Mutation
    previous: Mapping[str, Any] = field(default_factory=dict)
    sent: bool = False

    @property
    def mutation_id(self) -> UUID:
        return self.mutation.mutation_id

    @property
    def record_id(self) -> UUID:
        return self.mutation.record_id


@dataclass(frozen=True)
class LocalRecord:
    """What the person sees of one record."""

    kind: Kind
    content: Mapping[str, Any]
    deleted: bool


@dataclass(frozen=True)
class SetShadow:
    """Store ``state`` as the record's shadow."""

    state: ServerState


@dataclass(frozen=True)
class AddPending:
    """Append ``pending`` to the outbox."""

    pending: Pending


@dataclass(frozen=True)
class ReplacePending:
    """Put ``pending`` in the place of the outbox entry ``mutation_id``."""

    mutation_id: UUID
    pending: Pending


@dataclass(frozen=True)
class DropPending:
    """Remove the outbox entry ``mutation_id`` (``reason``: a result status, ``identical``,
    ``reverted``, ``cancelled``, ``already_deleted``)."""

    mutation_id: UUID
    reason: str


@dataclass(frozen=True)
class Notify:
    """Tell the person: ``what`` is ``conflict`` (see ``conflicts``/``notices``) or
    ``rejected`` (see ``error``)."""

    record_id: UUID
    kind: Kind
    what: Literal["conflict", "rejected"]
    conflicts: tuple[FieldConflict, ...] = ()
    notices: tuple[str, ...] = ()
    error: ErrorInfo | None = None


Action = SetShadow | AddPending | ReplacePending | DropPending | Notify


def view(shadow: ServerState | None, pending: Sequence[Pending]) -> LocalRecord | None:
    """The record as the person sees it: the shadow with the pending mutations on top (an
    update of a tombstone shows the record again, as the server will)."""
    record = None if shadow is None else LocalRecord(shadow.kind, shadow.content, shadow.deleted)
    for entry in pending:
        m = entry.mutation
        if m.op == "create":
            record = LocalRecord(m.kind, dict(m.changes), False)
        elif record is None:
            continue
        elif m.op == "update":
            content = {**record.content, **m.changes}
            for name, value in m.changes.items():
                if value is None:
                    del content[name]  # a reset: back to the default
            record = LocalRecord(record.kind, content, False)
        else:
            record = LocalRecord(record.kind, record.content, True)
    return record


def local_edit(
    op: Op,
    changes: Mapping[str, Any],
    *,
    record_id: UUID,
    kind: Kind,
    mutation_id: UUID,
    shadow: ServerState | None,
    pending: Sequence[Pending],
    resolves: Sequence[UUID] = (),
    whole: bool = False,
) -> list[Action]:
    """The outbox actions for one edit by the person (``changes``: the fields as they are now
    for a create or update, ``null`` for a field put back at its default; empty for a
    delete). ``whole``: ``changes`` is the record's whole new content, so a field of the
    current content that it leaves out went back to its default (``null``). ``mutation_id``
    is used if a new outbox entry is made. ``resolves``: stored conflicts this edit settles —
    an update that changes nothing but resolves something still queues (or joins) an
    update, with empty changes if need be; compaction keeps the union. ``NotFound`` when the
    record is not there to change."""
    now = view(shadow, pending)
    unsent = pending[-1] if pending and not pending[-1].sent else None
    if op == "create":
        if now is not None:
            raise ValueError(f"record {record_id} exists already")
        mutation = Mutation(
            mutation_id=mutation_id,
            record_id=record_id,
            kind=kind,
            op="create",
            changes=dict(changes),
            resolves=_union((), resolves),
        )
        return [AddPending(Pending(mutation))]
    if now is None or now.deleted:
        raise NotFound(kind, record_id)
    if op == "update":
        if whole:
            changes = {**{name: None for name in now.content}, **changes}
        return _local_update(changes, now, unsent, mutation_id, record_id, shadow, resolves)
    if unsent is not None and unsent.mutation.op == "create":
        return [DropPending(unsent.mutation_id, "cancelled")]
    earlier = unsent.mutation.resolves if unsent is not None else ()
    server_view = view(shadow, [p for p in pending if p.sent])
    previous = dict(server_view.content) if server_view is not None else {}
    base = unsent.mutation.base_version if unsent is not None else _new_base(shadow)
    delete = Pending(
        Mutation(
            mutation_id=unsent.mutation_id if unsent is not None else mutation_id,
            record_id=record_id,
            kind=now.kind,
            op="delete",
            base_version=base,
            resolves=_union(earlier, resolves),
        ),
        previous,
    )
    if unsent is not None:
        return [ReplacePending(unsent.mutation_id, delete)]
    return [AddPending(delete)]


def _union(first: Sequence[UUID], second: Sequence[UUID]) -> list[UUID]:
    """``first`` then what ``second`` adds, each id once, in order."""
    return list(dict.fromkeys([*first, *second]))


def _new_base(shadow: ServerState | None) -> int:
    if shadow is not None:
        return shadow.version
    # Only a sent create is known to the server: it makes version 1.
    return 1


def _local_update(
    changes: Mapping[str, Any],
    now: LocalRecord,
    unsent: Pending | None,
    mutation_id: UUID,
    record_id: UUID,
    shadow: ServerState | None,
    resolves: Sequence[UUID],
) -> list[Action]:
    diff = {k: v for k, v in changes.items() if not same_field(now.content.get(k), v)}
    if not diff and not resolves:
        return []
    if unsent is not None and unsent.mutation.op == "create":
        created = {**unsent.mutation.changes, **diff}
        for name, value in diff.items():
            if value is None:
                del created[name]  # a create holds no resets: the key is left out
        grown = unsent.mutation.model_copy(
            update={
                "changes": created,
                "resolves": _union(unsent.mutation.resolves, resolves),
            }
        )
        return [ReplacePending(unsent.mutation_id, replace(unsent, mutation=grown))]
    if unsent is not None and unsent.mutation.op == "update":
        merged = dict(unsent.mutation.changes)
        previous = dict(unsent.previous)
        for name, value in diff.items():
            if name not in merged and name in now.content:
                previous[name] = now.content[name]
            if same_field(previous.get(name), value):
                merged.pop(name, None)
                previous.pop(name, None)
            else:
                merged[name] = value
        settles = _union(unsent.mutation.resolves, resolves)
        if not merged and not settles:
            return [DropPending(unsent.mutation_id, "reverted")]
        grown = unsent.mutation.model_copy(update={"changes": merged, "resolves": settles})
        return [ReplacePending(unsent.mutation_id, Pending(grown, previous))]
    mutation = Mutation(
        mutation_id=mutation_id,
        record_id=record_id,
        kind=now.kind,
        op="update",
        base_version=_new_base(shadow),
        changes=diff,
        resolves=_union((), resolves),
    )
    previous = {k: now.content[k] for k in diff if k in now.content}
    return [AddPending(Pending(mutation, previous))]


def rebase(entry: Pending, state: ServerState) -> Action | None:
    """Move an unsent mutation onto the newer server ``state`` when that is safe (see the
    module doc); ``None``: leave it as it is."""
    m = entry.mutation
    if entry.sent or m.op == "create" or m.base_version is None or state.version <= m.base_version:
        return None
    if m.op == "delete":
        if state.deleted:
            return DropPending(m.mutation_id, "already_deleted")
        if same_value(without_resets(state.content), without_resets(entry.previous)):
            return ReplacePending(
                m.mutation_id,
                replace(entry, mutation=m.model_copy(update={"base_version": state.version})),
            )
        return None
    if state.deleted:
        return None
    remaining: dict[str, Any] = {}
    for name, value in m.changes.items():
        there = state.content.get(name)
        if same_field(there, value):
            continue
        if not same_field(there, entry.previous.get(name)):
            return None  # someone else changed it: keep the base, the server flags it
        remaining[name] = value
    if not remaining and not m.resolves:
        return DropPending(m.mutation_id, "identical")
    moved = m.model_copy(update={"base_version": state.version, "changes": remaining})
    previous = {k: v for k, v in entry.previous.items() if k in remaining}
    return ReplacePending(m.mutation_id, Pending(moved, previous))


def _rebase_all(state: ServerState, pending: Sequence[Pending]) -> Iterator[Action]:
    for entry in pending:
        action = rebase(entry, state)
        if action is not None:
            yield action


def on_pull(
    change: RecordChange, shadow: ServerState | None, pending: Sequence[Pending]
) -> Iterator[Action]:
    """The actions for one pulled change of a record (``pending``: that record's outbox
    entries, oldest first)."""
    if shadow is not None and change.version <= shadow.version:
        return
    state = ServerState.from_change(change, shadow)
    yield SetShadow(state)
    yield from _rebase_all(state, pending)


def on_result(
    result: MutationResult, shadow: ServerState | None, pending: Sequence[Pending]
) -> Iterator[Action]:
    """The actions for the server's result of one pushed mutation (``pending``: the outbox
    entries of that mutation's record, oldest first, the mutation among them)."""
    mine = next((p for p in pending if p.mutation_id == result.mutation_id), None)
    if mine is None:
        return  # already settled (a late duplicate)
    yield DropPending(mine.mutation_id, result.status)
    if result.status == "rejected" or result.record is None:
        gone = result.error is not None and result.error.code == "not_found"
        if not (mine.mutation.op == "delete" and gone):
            yield Notify(mine.record_id, mine.mutation.kind, "rejected", error=result.error)
        return
    state = ServerState.from_change(result.record, shadow)
    if shadow is None or state.version > shadow.version:
        yield SetShadow(state)
    yield from _rebase_all(state, [p for p in pending if p is not mine])
    if result.status == "conflict":
        yield Notify(
            mine.record_id,
            mine.mutation.kind,
            "conflict",
            tuple(result.conflicts),
            tuple(result.notices),
        )


def push_batch(outbox: Sequence[Pending], limit: int) -> list[Pending]:
    """The next mutations to push: the oldest pending mutation of each record, in outbox
    order, at most ``limit``."""
    seen: set[UUID] = set()
    batch: list[Pending] = []
    for entry in outbox:
        if entry.record_id in seen:
            continue
        seen.add(entry.record_id)
        batch.append(entry)
        if len(batch) == limit:
            break
    return batch


def needs_confirmation(
    live_records: int, deletions: int, *, share: float = 0.5, at_least: int = 10
) -> bool:
    """The safety stop: ask the person before a sync deletes ``deletions`` of their
    ``live_records`` when that is at least ``at_least`` records and more than ``share`` of
    them (a wiped device or a changed account must not wipe everything else)."""
    return deletions >= at_least and deletions > live_records * share
