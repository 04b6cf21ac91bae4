"""``push``: one push is one transaction (see the package docstring): the batch read up front,
every mutation decided in order, the bulk path's writes one statement per table.

``push_json`` is what the route sends: the answer as JSON bytes, made of the JSON of each
result that is built anyway for ``applied_mutations`` — no second serialisation. The bytes are
those of ``PushResponse.model_dump_json()`` (``tests/sync_server/test_push_json.py``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from almanac.errors import AlmanacError, Duplicate, InvalidInput
from almanac.server.db.tables import applied_mutations, users
from almanac.server.records.stored import execute_rows, now_utc
from almanac.server.records.writes import bump
from almanac.server.sync.apply import apply
from almanac.server.sync.state import PushState, Redo
from almanac.sync.protocol import ErrorInfo, Mutation, MutationResult, PushRequest, PushResponse

log = logging.getLogger(__name__)


def push(
    engine: sa.Engine, owner_id: int, request: PushRequest, *, buffering: bool = True
) -> PushResponse:
    """Apply the mutations in order in one transaction (the owner's lock held throughout).

    ``buffering=False`` runs every mutation on the savepoint path from the start — what the
    push falls back to after a failed bulk write; the tests compare both paths through it."""
    answered = _applied(engine, owner_id, request, buffering=buffering)
    return PushResponse(
        results=[
            MutationResult.model_validate_json(text) if result is None else result
            for result, text in answered
        ]
    )


def push_json(engine: sa.Engine, owner_id: int, request: PushRequest) -> bytes:
    """``push``, answered as the JSON bytes of its ``PushResponse``."""
    texts = [text for _, text in _applied(engine, owner_id, request)]
    return f'{{"results":[{",".join(texts)}]}}'.encode()


def _applied(
    engine: sa.Engine, owner_id: int, request: PushRequest, *, buffering: bool = True
) -> list[tuple[MutationResult | None, str]]:
    """Each result and its JSON; the result is ``None`` when only its JSON was written (a
    plain result of the bulk path: ``push_json`` needs no model of it)."""
    if not buffering:
        return _run(engine, owner_id, request, buffering=False)
    try:
        return _run(engine, owner_id, request, buffering=True)
    except Redo:
        log.info("sync: a buffered insert failed; the push runs again without buffering")
        return _run(engine, owner_id, request, buffering=False)


def _run(
    engine: sa.Engine, owner_id: int, request: PushRequest, *, buffering: bool
) -> list[tuple[MutationResult | None, str]]:
    answered: list[tuple[MutationResult | None, str]] = []
    with engine.begin() as conn:
        last = bump(conn, owner_id, 0)  # the owner's lock: their writes run one at a time
        state = PushState(owner_id, first=last, last=last, buffering=buffering)
        # Each id as text once (a UUID's str() is a Python call: six per mutation before).
        keys = [(str(m.mutation_id), str(m.record_id)) for m in request.mutations]
        for m, (mid, rid) in zip(request.mutations, keys, strict=True):
            state.texts[m.mutation_id], state.texts[m.record_id] = mid, rid
        replays = _replays(conn, owner_id, [mid for mid, _ in keys])
        fresh = [
            (m, rid)
            for m, (mid, rid) in zip(request.mutations, keys, strict=True)
            if mid not in replays
        ]
        bases: dict[str, set[int]] = {}
        for m, rid in fresh:
            if m.base_version is not None:
                bases.setdefault(rid, set()).add(m.base_version)
        state.prefetch(conn, sorted({rid for _, rid in fresh}), bases)
        remembered: list[dict[str, Any]] = []
        now = now_utc()
        for mutation, (mid, rid) in zip(request.mutations, keys, strict=True):
            replay = replays.get(mid)
            if replay is not None:
                answered.append((replay, replay.model_dump_json()))
                continue
            result = _guarded(conn, state, mutation)
            text = (
                state.answers.pop(mutation.mutation_id)
                if result is None
                else result.model_dump_json()
            )
            answered.append((result, text))
            remembered.append(
                {
                    "owner_id": owner_id,
                    "mutation_id": mid,
                    "record_id": rid,
                    "result_json": text,
                    "created_at": now,
                }
            )
        state.flush(conn)
        execute_rows(conn, sa.insert(applied_mutations), remembered)
        if state.last != state.first:
            conn.execute(
                sa.update(users).where(users.c.id == owner_id).values(last_change_no=state.last)
            )
    return answered


def _one(conn: sa.Connection, state: PushState, mutation: Mutation) -> MutationResult | None:
    """Apply one mutation (its writes under its savepoint, see ``apply``): a rejection rolls
    back only its own writes and the state it staged."""
    state.begin()
    try:
        result = apply(conn, state, mutation)
        state.commit()
        return result
    except BaseException:
        state.rollback()
        raise


def _guarded(conn: sa.Connection, state: PushState, mutation: Mutation) -> MutationResult | None:
    """``_one``, with a rejection turned into a ``rejected`` result."""
    try:
        return _one(conn, state, mutation)
    except sa.exc.IntegrityError:
        # A concurrent create by someone else took the id between check and insert.
        error = Duplicate("record_id", str(mutation.record_id), "this id is already taken.")
        return rejected(mutation, error)
    except AlmanacError as exc:
        return rejected(mutation, exc)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        # Values of a shape the merge cannot combine: refused, never a server error.
        log.info("sync: mutation %s refused: %r", mutation.mutation_id, exc)
        return rejected(mutation, InvalidInput.one("changes", f"cannot apply: {exc}"))


def rejected(mutation: Mutation, exc: AlmanacError) -> MutationResult:
    return MutationResult(
        mutation_id=mutation.mutation_id,
        status="rejected",
        error=ErrorInfo(code=exc.code, message=exc.message, field=exc.field),
    )


def _replays(conn: sa.Connection, owner_id: int, ids: Sequence[str]) -> dict[str, MutationResult]:
    """The stored results of the mutations ``ids`` applied before (``duplicate`` unless
    rejected)."""
    query = sa.select(applied_mutations.c.mutation_id, applied_mutations.c.result_json).where(
        applied_mutations.c.owner_id == owner_id, applied_mutations.c.mutation_id.in_(ids)
    )
    found: dict[str, MutationResult] = {}
    for mutation_id, stored in conn.execute(query):
        result = MutationResult.model_validate_json(stored)
        if result.status != "rejected":
            result = result.model_copy(update={"status": "duplicate"})
        found[str(mutation_id)] = result
    return found
