"""Real stored conflicts for the web tests (issue 5 §1; R8, R14): a record made through the
server's record store, then two devices' edits from the same base pushed through the
server's own sync code (``almanac.server.sync.push``) — the second one overrides the first
and the merge stores the overridden value in ``record_conflicts``."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI

from almanac.server.sync.pull import pull
from almanac.server.sync.push import push
from almanac.sync.protocol import FieldConflict, Mutation, PullResponse, PushRequest


def update(record: Any, kind: str, base: int, changes: dict[str, Any]) -> Mutation:
    return Mutation(
        mutation_id=uuid.uuid4(),
        record_id=record,
        kind=kind,
        op="update",
        base_version=base,
        changes=changes,
    )


def send(app: FastAPI, owner: int, mutation: Mutation) -> Any:
    """Push one mutation as a device would; its result."""
    [result] = push(app.state.ctx.engine, owner, PushRequest(mutations=[mutation])).results
    assert result.status != "rejected", result
    return result


def make_conflict(
    app: FastAPI,
    owner: int,
    kind: str,
    data: dict[str, Any],
    field: str,
    first: Any,
    second: Any,
) -> tuple[str, FieldConflict]:
    """A new record of ``kind`` holding ``data``; a phone sets ``field`` to ``first``, a laptop
    (same base) to ``second``: (the record's id, the stored conflict: kept ``second``)."""
    made = app.state.ctx.records.create(owner, kind, data)
    send(app, owner, update(made.id, kind, made.version, {field: first}))
    result = send(app, owner, update(made.id, kind, made.version, {field: second}))
    assert result.status == "conflict", result
    [conflict] = result.conflicts
    return str(made.id), conflict


def pulled(app: FastAPI, owner: int, cursor: int) -> PullResponse:
    """What a device standing at ``cursor`` pulls next (one page is enough here)."""
    page = pull(app.state.ctx.engine, owner, cursor, 500)
    assert not page.more
    return page
