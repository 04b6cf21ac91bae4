"""``pull`` and ``push``: see the package docstring for the contract."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from pydantic import BaseModel

from almanac.errors import AlmanacError, Duplicate, InvalidInput, NotFound
from almanac.model import dump_content, unique_terms, validate_content
from almanac.server.db.tables import applied_mutations, record_terms, record_versions, records
from almanac.server.records import RecordStore, cascade
from almanac.server.records.stored import StoredRecord, now_utc, to_json, utc
from almanac.server.records.terms import check_references, check_unique, term_rows, terms_of
from almanac.server.records.writes import bump, new_row, rewrite
from almanac.sync.merge import merge
from almanac.sync.protocol import (
    DEFAULT_PULL_LIMIT,
    ErrorInfo,
    Mutation,
    MutationResult,
    PullResponse,
    PushRequest,
    PushResponse,
    RecordChange,
)

log = logging.getLogger(__name__)


class _Replay(Exception):
    def __init__(self, result: MutationResult) -> None:
        self.result = result


# -- pull ------------------------------------------------------------------------------------


def change_of(record: StoredRecord) -> RecordChange:
    return RecordChange(
        id=record.id,
        kind=record.kind,  # type: ignore[arg-type]
        version=record.version,
        change_no=record.change_no,
        deleted=record.deleted,
        content=record.data,
        updated_at=record.updated_at,
    )


def pull(
    store: RecordStore, owner_id: int, cursor: int = 0, limit: int = DEFAULT_PULL_LIMIT
) -> PullResponse:
    """One page of the owner's changes after ``cursor`` (see the package docstring)."""
    if cursor > store.last_change_no(owner_id):
        return PullResponse(changes=[], next_cursor=0, more=False, resync_required=True)
    found = store.changes_since(owner_id, cursor, limit + 1)
    page = found[:limit]
    return PullResponse(
        changes=[change_of(r) for r in page],
        next_cursor=page[-1].change_no if page else cursor,
        more=len(found) > limit,
    )


# -- push ------------------------------------------------------------------------------------


def push(store: RecordStore, owner_id: int, request: PushRequest) -> PushResponse:
    """Apply the mutations in order, each in its own transaction."""
    return PushResponse(
        results=[apply_mutation(store.engine, owner_id, m) for m in request.mutations]
    )


def apply_mutation(engine: sa.Engine, owner_id: int, mutation: Mutation) -> MutationResult:
    try:
        with engine.begin() as conn:
            bump(conn, owner_id, 0)  # the owner's lock: their writes run one at a time
            _replayed(conn, owner_id, mutation)
            result = _apply(conn, owner_id, mutation)
            _remember(conn, owner_id, mutation, result)
        return result
    except _Replay as replay:
        return replay.result
    except sa.exc.IntegrityError:
        # A concurrent create by someone else took the id between check and insert.
        error = Duplicate("record_id", str(mutation.record_id), "this id is already taken.")
        return _rejected(mutation, error)
    except AlmanacError as exc:
        result = _rejected(mutation, exc)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        # Values of a shape the merge cannot combine: refused, never a server error.
        log.info("sync: mutation %s refused: %r", mutation.mutation_id, exc)
        result = _rejected(mutation, InvalidInput.one("changes", f"cannot apply: {exc}"))
    try:
        with engine.begin() as conn:
            bump(conn, owner_id, 0)
            _replayed(conn, owner_id, mutation)
            _remember(conn, owner_id, mutation, result)
    except _Replay as replay:
        return replay.result
    except AlmanacError:
        pass  # the owner is gone: nothing to remember it for
    return result


def _rejected(mutation: Mutation, exc: AlmanacError) -> MutationResult:
    return MutationResult(
        mutation_id=mutation.mutation_id,
        status="rejected",
        error=ErrorInfo(code=exc.code, message=exc.message, field=exc.field),
    )


def _replayed(conn: sa.Connection, owner_id: int, mutation: Mutation) -> None:
    stored = conn.execute(
        sa.select(applied_mutations.c.result_json).where(
            applied_mutations.c.owner_id == owner_id,
            applied_mutations.c.mutation_id == str(mutation.mutation_id),
        )
    ).scalar_one_or_none()
    if stored is None:
        return
    result = MutationResult.model_validate_json(stored)
    if result.status != "rejected":
        result = result.model_copy(update={"status": "duplicate"})
    raise _Replay(result)


def _remember(
    conn: sa.Connection, owner_id: int, mutation: Mutation, result: MutationResult
) -> None:
    conn.execute(
        sa.insert(applied_mutations).values(
            owner_id=owner_id,
            mutation_id=str(mutation.mutation_id),
            record_id=str(mutation.record_id),
            result_json=result.model_dump_json(),
            created_at=now_utc(),
        )
    )


def _apply(conn: sa.Connection, owner_id: int, mutation: Mutation) -> MutationResult:
    kind = mutation.kind
    rid = str(mutation.record_id)
    row = conn.execute(sa.select(records).where(records.c.id == rid)).one_or_none()
    if row is not None and row.owner_id != owner_id:
        if mutation.op == "create":
            raise Duplicate("record_id", rid, f"id {rid} is already taken: choose another.")
        raise NotFound(kind, rid)
    if row is not None and row.kind != kind:
        raise InvalidInput.one("kind", f"record {rid} is a {row.kind}, not a {kind}.", "wrong_kind")
    current = json.loads(row.data) if row is not None else None
    base = _base(conn, row, mutation, current)
    outcome = merge(
        base,
        current,
        bool(row.deleted) if row is not None else False,
        mutation,
        validate=validate_content,
    )
    if not outcome.changed:
        assert row is not None  # a create of a new record always changes something
        record = RecordChange(
            id=mutation.record_id,
            kind=kind,
            version=int(row.version),
            change_no=int(row.change_no),
            deleted=bool(row.deleted),
            content=current,
            updated_at=utc(row.updated_at),
        )
    else:
        record = _write(conn, owner_id, mutation, row, outcome.content, outcome.deleted)
    before = int(row.version) if row is not None else None
    conflicts = [
        c if c.other_version is not None else c.model_copy(update={"other_version": before})
        for c in outcome.conflicts
    ]
    return MutationResult(
        mutation_id=mutation.mutation_id,
        status=outcome.status,
        record=record,
        conflicts=conflicts,
        notices=list(outcome.notices),
    )


def _base(
    conn: sa.Connection, row: Any, mutation: Mutation, current: dict[str, Any] | None
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
    data = conn.execute(
        sa.select(record_versions.c.data).where(
            record_versions.c.record_id == row.id, record_versions.c.version == wanted
        )
    ).scalar_one_or_none()
    return json.loads(data) if data is not None else None


def _keep_version(conn: sa.Connection, row: Any) -> None:
    """Put the version ``row`` holds into the history, unless it is there already."""
    there = conn.execute(
        sa.select(record_versions.c.version).where(
            record_versions.c.record_id == row.id, record_versions.c.version == row.version
        )
    ).scalar_one_or_none()
    if there is None:
        _add_version(
            conn,
            row.owner_id,
            row.kind,
            row.id,
            int(row.version),
            bool(row.deleted),
            row.data,
            int(row.change_no),
            utc(row.updated_at),
        )


def _add_version(
    conn: sa.Connection,
    owner_id: int,
    kind: str,
    record_id: str,
    version: int,
    deleted: bool,
    data: str,
    change_no: int,
    now: datetime,
) -> None:
    conn.execute(
        sa.insert(record_versions).values(
            record_id=record_id,
            version=version,
            owner_id=owner_id,
            kind=kind,
            deleted=deleted,
            data=data,
            change_no=change_no,
            created_at=now,
        )
    )


def _unique_wanted(kind: str, content: BaseModel) -> dict[str, tuple[str, BaseModel]]:
    return {term: (field, content) for term, field in unique_terms(kind, content).items()}


def _write(
    conn: sa.Connection,
    owner_id: int,
    mutation: Mutation,
    row: Any,
    data: dict[str, Any],
    deleted: bool,
) -> RecordChange:
    """Store the merge outcome as a new version; returns the record as now stored."""
    kind = mutation.kind
    rid = str(mutation.record_id)
    now = now_utc()
    content = validate_content(kind, data)
    if row is None:
        check_references(conn, owner_id, kind, [("", content)])
        check_unique(conn, owner_id, kind, _unique_wanted(kind, content))
        change_no = bump(conn, owner_id)
        new = new_row(owner_id, kind, rid, content, change_no, now)
        conn.execute(sa.insert(records).values(**new))
        terms = term_rows(owner_id, kind, rid, terms_of(kind, content), new["sort_key"])
        if terms:
            conn.execute(sa.insert(record_terms), terms)
        version = 1
    elif deleted:
        linked = cascade.referrers(conn, owner_id, row.id)
        change_no = bump(conn, owner_id, len(linked) + 1)
        for offset, other in enumerate(linked):
            _keep_version(conn, other)
            other_content = cascade.unlinked_content(other, row.id)
            other_no = change_no - len(linked) + offset
            rewrite(conn, other, other_content, other_no, now)
            _add_version(
                conn,
                owner_id,
                other.kind,
                other.id,
                int(other.version) + 1,
                False,
                to_json(other_content),
                other_no,
                now,
            )
        _keep_version(conn, row)
        rewrite(conn, row, content, change_no, now, deleted=True)
        version = int(row.version) + 1
    else:
        check_references(conn, owner_id, kind, [("", content)])
        check_unique(conn, owner_id, kind, _unique_wanted(kind, content), row.id)
        change_no = bump(conn, owner_id)
        _keep_version(conn, row)
        rewrite(conn, row, content, change_no, now)
        version = int(row.version) + 1
    _add_version(conn, owner_id, kind, rid, version, deleted, to_json(content), change_no, now)
    return RecordChange(
        id=UUID(rid),
        kind=kind,
        version=version,
        change_no=change_no,
        deleted=deleted,
        content=dump_content(content),
        updated_at=now,
    )
