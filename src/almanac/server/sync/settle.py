"""Settling one stored conflict on a person's behalf, for a face that has no local store (the
web pages; docs/sync.md "Settling from the web"). Nothing is decided here: the choice becomes
one ``update`` ``Mutation`` naming the conflict in ``resolves``, applied by ``push`` exactly as
if a device had sent it, so the person's devices pull the settlement at their next sync.

- keep ``"other"``: the field is set to ``other_value``, based on ``kept_version`` (the
  version whose content holds the kept value). If nothing changed that field since, the
  other value is simply taken; if someone changed it since, the merge rules decide as for
  any concurrent edit (the later arrival wins and the value it replaced is a new stored
  conflict — nothing typed is lost).
- keep ``"kept"``: an update with no change that names the conflict (the current content
  stays, whatever was saved since).
"""

from __future__ import annotations

from typing import Literal
from uuid import UUID, uuid4

import sqlalchemy as sa

from almanac.errors import AlmanacError, Conflict, InvalidInput, NotFound
from almanac.server.db.tables import record_conflicts
from almanac.server.sync.conflicts import of_row
from almanac.server.sync.push import push
from almanac.sync.protocol import ConflictRecord, Mutation, MutationResult, PushRequest

Keep = Literal["kept", "other"]
KEEPS: tuple[Keep, ...] = ("kept", "other")


class AlreadySettled(Conflict):
    """The conflict was settled before (on another device, another tab, or a resent form)."""

    code = "already_settled"

    def __init__(self, conflict_id: UUID):
        super().__init__(f"conflict {conflict_id} is already settled", field="conflict")
        self.conflict_id = conflict_id


def one(engine: sa.Engine, owner_id: int, conflict_id: UUID) -> ConflictRecord:
    """The owner's stored conflict ``conflict_id`` (``NotFound`` for another person's)."""
    query = sa.select(record_conflicts).where(
        record_conflicts.c.owner_id == owner_id, record_conflicts.c.id == str(conflict_id)
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        raise NotFound("conflict", conflict_id)
    return of_row(row)


# Built once: every logged-in page runs it (the navigation badge).
_OPEN_COUNT = (
    sa.select(sa.func.count())
    .select_from(record_conflicts)
    .where(
        record_conflicts.c.owner_id == sa.bindparam("owner_id"),
        record_conflicts.c.resolved == sa.false(),
    )
)


def open_count(engine: sa.Engine, owner_id: int) -> int:
    """How many of the owner's conflicts are open (one count on the ``(owner_id, resolved)``
    index; the navigation badge)."""
    with engine.connect() as conn:
        return int(conn.execute(_OPEN_COUNT, {"owner_id": owner_id}).scalar_one())


def newest_settled(engine: sa.Engine, owner_id: int, limit: int) -> list[ConflictRecord]:
    """The owner's ``limit`` most recently settled conflicts, newest first."""
    query = (
        sa.select(record_conflicts)
        .where(record_conflicts.c.owner_id == owner_id, record_conflicts.c.resolved == sa.true())
        .order_by(record_conflicts.c.change_no.desc(), record_conflicts.c.id)
        .limit(limit)
    )
    with engine.connect() as conn:
        return [of_row(row) for row in conn.execute(query)]


def mutation_for(conflict: ConflictRecord, keep: Keep) -> Mutation:
    """The edit a device would send to settle ``conflict`` by keeping ``keep``."""
    changes = {conflict.field: conflict.other_value} if keep == "other" else {}
    return Mutation(
        mutation_id=uuid4(),
        record_id=conflict.record_id,
        kind=conflict.kind,
        op="update",
        base_version=conflict.kept_version,
        changes=changes,
        resolves=[conflict.id],
    )


def settle(engine: sa.Engine, owner_id: int, conflict_id: UUID, keep: str) -> MutationResult:
    """Settle the owner's open conflict ``conflict_id`` by keeping ``keep`` (``"kept"`` or
    ``"other"``) through ``push``. ``NotFound`` for another person's conflict,
    ``AlreadySettled`` for a settled one, ``InvalidInput`` for another choice; a push that
    refuses the edit raises its error (nothing changed then)."""
    if keep not in KEEPS:
        raise InvalidInput.one("keep", "choose kept or other", code="invalid_choice")
    conflict = one(engine, owner_id, conflict_id)
    if conflict.resolved:
        raise AlreadySettled(conflict_id)
    mutation = mutation_for(conflict, "other" if keep == "other" else "kept")
    [result] = push(engine, owner_id, PushRequest(mutations=[mutation])).results
    if result.status == "rejected":
        raise _error_of(result)
    return result


def _error_of(result: MutationResult) -> AlmanacError:
    error = result.error
    assert error is not None
    if error.code == "not_found":
        return NotFound("record", result.mutation_id)
    if error.field:
        return InvalidInput.one(error.field, error.message, code=error.code)
    return AlmanacError(error.message, code=error.code)
