"""One pushed mutation applied inside the push's transaction (steps 2–6 of the package
docstring): read the record, find the base, ``merge``; then either stage the outcome in the
push's buffer (``bulk``: creates and updates whose checks the push's state answers) or write
it, store the conflicts it made and settle the ones it ``resolves`` under the mutation's
savepoint (deletes, unique values, settlements, and every mutation of a push run again after
a failed bulk write)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from pydantic import BaseModel

from almanac.errors import Duplicate, InvalidInput, NotFound
from almanac.model import dump_content, unique_terms, validate_changed, validate_content
from almanac.server.records import cascade
from almanac.server.records.history import content_at
from almanac.server.records.stored import now_utc, utc
from almanac.server.records.terms import check_references, check_unique, term_rows, terms_of
from almanac.server.records.writes import insert_new, new_row, rewrite
from almanac.server.sync import conflicts as stored_conflicts
from almanac.server.sync.bulk import apply_staged
from almanac.server.sync.state import STALE, PushState, RowState
from almanac.sync.merge import merge
from almanac.sync.protocol import Mutation, MutationResult, RecordChange


class _Validator:
    """``validate_content`` that remembers its last answer: the content the merge has just
    validated is written without being validated a second time. ``stored``: the record's
    stored content — checks of fields still as stored are not run again
    (``validate_changed``: an unchanged email address is not parsed on every title edit)."""

    def __init__(self, stored: Mapping[str, Any] | None) -> None:
        self._stored = stored
        self._data: object = None
        self._model: BaseModel | None = None

    def __call__(self, kind: str, data: Mapping[str, Any]) -> BaseModel:
        if self._stored is None:
            model = validate_content(kind, data)
        else:
            model = validate_changed(kind, data, self._stored)
        self._data, self._model = data, model
        return model

    def model(self, kind: str, data: Mapping[str, Any]) -> BaseModel:
        if data is self._data and self._model is not None:
            return self._model
        return self(kind, data)


def apply(conn: sa.Connection, state: PushState, mutation: Mutation) -> MutationResult | None:
    """Apply ``mutation``; raises the typed error of a rejection (nothing written then, as
    long as the caller rolls back its savepoint and ``state``). ``None``: a plain result of
    the bulk path, whose JSON is in ``state.answers`` (``bulk.apply_staged``)."""
    owner_id = state.owner_id
    kind = mutation.kind
    rid = state.text(mutation.record_id)
    row = state.row(conn, rid)
    if row is not None and row.owner_id != owner_id:
        if mutation.op == "create":
            raise Duplicate("record_id", rid, f"id {rid} is already taken: choose another.")
        raise NotFound(kind, rid)
    if row is not None and row.kind != kind:
        raise InvalidInput.one("kind", f"record {rid} is a {row.kind}, not a {kind}.", "wrong_kind")
    current = json.loads(row.data) if row is not None else None
    base = _base(conn, state, row, mutation, current)
    deleted_now = bool(row.deleted) if row is not None else False
    validator = _Validator(current)
    outcome = merge(base, current, deleted_now, mutation, validate=validator)
    now = now_utc()
    if mutation.resolves:
        state.flush(conn)  # the conflicts this push stored so far are read too
    settled = stored_conflicts.open_ids(conn, owner_id, mutation.record_id, mutation.resolves)
    if state.buffering and not settled and not (outcome.changed and outcome.deleted):
        content = validator.model(kind, outcome.content) if outcome.changed else None
        if content is None or not _unique_wanted(kind, content):
            before = None if row is None or row.deleted else current
            return apply_staged(conn, state, mutation, row, outcome, content, before, now)
    with state.writing(conn):
        if outcome.changed:
            content = validator.model(kind, outcome.content)
            record = _write(conn, state, mutation, row, content, outcome.deleted, now)
        else:
            assert row is not None  # a create of a new record always changes something
            record = RecordChange(
                id=mutation.record_id,
                kind=kind,
                version=int(row.version),
                change_no=int(row.change_no),
                deleted=deleted_now,
                content=current,
                updated_at=utc(row.updated_at),
            )
        if (outcome.conflicts or settled) and not outcome.changed:
            # Nothing new in the record, yet other devices must pull what happened here.
            record = record.model_copy(update={"change_no": state.take()})
        before = int(row.version) if row is not None else None
        made = stored_conflicts.store(conn, owner_id, record, outcome.conflicts, before, now)
        if settled:
            stored_conflicts.settle(conn, settled, record.change_no)
    if outcome.changed:
        state.staged[rid] = _state_of(record, owner_id)
    elif row is not None:
        record = record.model_copy(update={"change_no": int(row.change_no)})
    return MutationResult(
        mutation_id=mutation.mutation_id,
        status=outcome.status,
        record=record,
        conflicts=made,
        notices=list(outcome.notices),
    )


def _base(
    conn: sa.Connection,
    state: PushState,
    row: Any,
    mutation: Mutation,
    current: dict[str, Any] | None,
) -> dict[str, Any] | None:
    wanted = mutation.base_version
    if wanted is None or row is None:
        return None
    if wanted > row.version:
        raise InvalidInput.one(
            "base_version",
            f"base_version {wanted} is newer than the record (version {row.version}).",
            "out_of_range",
        )
    if wanted == row.version:
        return current
    key = (str(row.id), wanted)
    if key in state.versions:  # read with the batch, or written by this push
        data = state.versions[key]
    else:
        state.flush(conn)
        data = content_at(conn, row.id, wanted)
    return json.loads(data) if data is not None else None


def _state_of(record: RecordChange, owner_id: int) -> RowState:
    return RowState(
        str(record.id),
        owner_id,
        record.kind,
        record.version,
        record.change_no,
        record.deleted,
        json.dumps(record.content, ensure_ascii=False, separators=(",", ":")),
        record.updated_at,
    )


def _unique_wanted(kind: str, content: BaseModel) -> dict[str, tuple[str, BaseModel]]:
    return {term: (field, content) for term, field in unique_terms(kind, content).items()}


def _write(
    conn: sa.Connection,
    state: PushState,
    mutation: Mutation,
    row: Any,
    content: BaseModel,
    deleted: bool,
    now: datetime,
) -> RecordChange:
    """Store the merge outcome as a new version; returns the record as now stored."""
    owner_id = state.owner_id
    kind = mutation.kind
    rid = str(mutation.record_id)
    if row is None:
        check_references(conn, owner_id, kind, [("", content)])
        check_unique(conn, owner_id, kind, _unique_wanted(kind, content))
        change_no = state.take()
        new = new_row(owner_id, kind, rid, content, change_no, now)
        terms = term_rows(owner_id, kind, rid, terms_of(kind, content), new["sort_key"])
        insert_new(conn, [new], terms)
        version = 1
    elif deleted:
        linked = cascade.referrers(conn, owner_id, row.id)
        change_no = state.take(len(linked) + 1)
        for offset, other in enumerate(linked):
            state.staged[str(other.id)] = STALE
            other_content = cascade.unlinked_content(other, row.id)
            rewrite(conn, other, other_content, change_no - len(linked) + offset, now)
        rewrite(conn, row, content, change_no, now, deleted=True)
        version = int(row.version) + 1
    else:
        check_references(conn, owner_id, kind, [("", content)])
        check_unique(conn, owner_id, kind, _unique_wanted(kind, content), row.id)
        change_no = state.take()
        rewrite(conn, row, content, change_no, now)
        version = int(row.version) + 1
    return RecordChange(
        id=UUID(rid),
        kind=kind,
        version=version,
        change_no=change_no,
        deleted=deleted,
        content=dump_content(content),
        updated_at=now,
    )
