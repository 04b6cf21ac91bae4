"""The bulk path of one pushed mutation (docs/sync.md, "How a push is applied"): a create or
an update whose checks the push's state can answer — references from the rows it knows, no
unique value to look up, no stored conflict to settle, no delete to cascade — is decided in
Python and its writes are staged in the push's ``WriteBuffer`` instead of being written under
a savepoint. Everything is checked before anything is staged, so a refused mutation leaves
nothing behind."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, cast
from uuid import UUID

import sqlalchemy as sa
from pydantic import BaseModel

from almanac.model import dump_content, references, sort_key
from almanac.model.terms import sort_fields_changed, term_fields_changed
from almanac.server.records.history import version_row
from almanac.server.records.stored import utc
from almanac.server.records.terms import refuse_unknown
from almanac.server.sync import conflicts as stored_conflicts
from almanac.server.sync.buffer import Write
from almanac.server.sync.pull import change_json
from almanac.server.sync.state import PushState, RowState
from almanac.sync.merge import MergeOutcome
from almanac.sync.protocol import Kind, Mutation, MutationResult, RecordChange


def check_references(
    conn: sa.Connection,
    state: PushState,
    kind: str,
    content: BaseModel,
    before: dict[str, Any] | None = None,
) -> None:
    """Every record the content points at is a live record of the owner and the named kind,
    as this push sees it (``InvalidInput`` naming each bad field otherwise). A reference the
    record's stored content (``before``) already holds is not looked up again: it was
    checked when it was written, and deleting a record unlinks the records that point at it
    in the same transaction (a title edit of a contact in five groups reads no group)."""
    refs = [ref for ref in references(kind, content) if not _held(before, ref.field, ref.id)]
    if not refs:
        return
    rows = state.rows_of(conn, sorted({str(ref.id) for ref in refs}))
    found = {
        (str(row.kind), rid)
        for rid, row in rows.items()
        if row is not None and row.owner_id == state.owner_id and not row.deleted
    }
    refuse_unknown([("", ref) for ref in refs], found)


def _held(before: dict[str, Any] | None, field: str, ref: UUID) -> bool:
    """Whether the stored content's field (``groups.3`` → ``groups``) holds the id ``ref``."""
    if before is None:
        return False
    stored = before.get(field.split(".", 1)[0])
    text = str(ref)
    return stored == text or (isinstance(stored, list) and text in stored)


def apply_staged(
    conn: sa.Connection,
    state: PushState,
    mutation: Mutation,
    row: Any,
    outcome: MergeOutcome,
    content: BaseModel | None,
    before: dict[str, Any] | None,
    now: datetime,
) -> MutationResult | None:
    """Stage the outcome of ``merge`` (``content``: its validated content when it changed
    the record; ``before``: the record's stored content, parsed, unless it is new or a
    tombstone); returns the mutation's result. A plain result (a change with no conflict
    and no notice: nearly every one) is only written as JSON, from the stored content's
    JSON, into ``state.answers``, and ``None`` is returned (no models built for it)."""
    owner_id, kind, rid = state.owner_id, mutation.kind, state.text(mutation.record_id)
    write = Write(rid, owner_id, kind)
    if outcome.changed:
        assert content is not None
        check_references(conn, state, kind, content, before)
        dumped = _staged_write(conn, state, write, row, content, before, now)
        if not outcome.conflicts and not outcome.notices:
            state.stage(write)
            mid = state.text(mutation.mutation_id)
            state.answers[mutation.mutation_id] = _plain_answer(mid, outcome.status, write)
            return None
        record = _record_of(write, dumped)
    else:
        assert row is not None  # a create of a new record always changes something
        record = RecordChange.model_construct(
            id=mutation.record_id,
            kind=kind,
            version=int(row.version),
            change_no=int(row.change_no),
            deleted=bool(row.deleted),
            content=json.loads(row.data),
            updated_at=utc(row.updated_at),
        )
        if outcome.conflicts:  # nothing new in the record: other devices pull the conflict
            record = record.model_copy(update={"change_no": state.take()})
    earlier = int(row.version) if row is not None else None
    made, write.conflicts = stored_conflicts.made(owner_id, record, outcome.conflicts, earlier, now)
    state.stage(write)
    if not outcome.changed:
        record = record.model_copy(update={"change_no": int(row.change_no)})
    # Built from values checked already (the content validated by the merge): not validated
    # again (a tenth of a contact's cost).
    return MutationResult.model_construct(
        mutation_id=mutation.mutation_id,
        status=outcome.status,
        record=record,
        conflicts=made,
        notices=list(outcome.notices),
        error=None,
    )


def _staged_write(
    conn: sa.Connection,
    state: PushState,
    write: Write,
    row: Any,
    content: BaseModel,
    before: dict[str, Any] | None,
    now: datetime,
) -> dict[str, Any]:
    """Fill ``write`` with the new version of the record; returns its content as dumped."""
    owner_id, kind, rid = write.owner_id, write.kind, write.record_id
    dumped = dump_content(content)
    data = json.dumps(dumped, ensure_ascii=False, separators=(",", ":"))
    changed = term_fields_changed(content, dumped, before) if before is not None else None
    kept = changed is not None and not sort_fields_changed(content, changed)
    key = getattr(row, "sort_key", None) if kept else None  # a row this push wrote has none
    if key is None:
        key = sort_key(kind, content)  # pinyin: computed once for the row and its terms
    change_no = state.take()
    version = 1 if row is None else int(row.version) + 1
    columns: dict[str, Any] = {
        "version": version,
        "change_no": change_no,
        "updated_at": now,
        "data": data,
    }
    if row is None:
        write.insert = {
            "id": rid,
            "owner_id": owner_id,
            "kind": kind,
            "created_at": now,
            "deleted": False,
            "sort_key": key,
            **columns,
        }
    else:
        write.update = _with_listing(columns, row, key)
    # The record's terms are brought up to date after the push (records.backlog) when a
    # term field changed, the record is new or revived, or its sort key is written: the
    # key every term row carries (a row this push staged before has none to compare with).
    write.reindex = changed != [] or write.update is None or "sort_key" in write.update
    write.version = version_row(owner_id, kind, rid, version, False, data, change_no, now)
    state.staged[rid] = RowState(rid, owner_id, kind, version, change_no, False, data, now)
    return dumped


def _with_listing(columns: dict[str, Any], row: Any, key: str) -> dict[str, Any]:
    """An update's columns, with ``deleted`` and ``sort_key`` only when they change from the
    row the mutation saw: both are columns of ``ix_records_listing``, which a database
    rewrites for every row whose ``UPDATE`` names one of them, even to the same value (a
    third of a title edit's update). A row this push staged has no ``sort_key``: written."""
    if row.deleted:
        columns["deleted"] = False
    if getattr(row, "sort_key", None) != key:
        columns["sort_key"] = key
    return columns


def _record_of(write: Write, dumped: dict[str, Any]) -> RecordChange:
    """The record a staged write leaves (``dumped``: its content)."""
    row = write.version
    assert row is not None
    return RecordChange.model_construct(
        id=UUID(write.record_id),
        kind=cast(Kind, write.kind),
        version=row["version"],
        change_no=row["change_no"],
        deleted=False,
        content=dumped,
        updated_at=row["created_at"],
    )


def _plain_answer(mutation_id: str, status: str, write: Write) -> str:
    """The JSON of the ``MutationResult`` of a staged write with no conflict and no notice,
    as ``model_dump_json`` writes it: the record as ``pull_json`` writes a change, its
    content the JSON just stored (``tests/sync_server/test_push_json.py``)."""
    row = write.version
    assert row is not None
    record = change_json(
        row["record_id"],
        row["kind"],
        row["version"],
        row["change_no"],
        False,
        row["data"],
        row["created_at"],
    )
    return (
        f'{{"mutation_id":"{mutation_id}","status":"{status}","record":{record},'
        '"conflicts":[],"notices":[],"error":null}'
    )
