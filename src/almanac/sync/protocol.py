"""The messages of the sync web service, ``/api/v1/sync`` (R8, R13, R14): pydantic v2 models,
JSON on the wire. ``docs/sync.md`` describes the exchange.

- ``GET /api/v1/sync/pull?cursor=&limit=``: ``PullRequest`` → ``PullResponse`` — every
  record changed since a cursor (the person's change number), deletions (tombstones)
  included, in pages.
- ``POST /api/v1/sync/push``: ``PushRequest`` → ``PushResponse`` — a batch of ``Mutation``s,
  each with a client-made ``mutation_id`` so that a replayed push applies once, the record's
  ``base_version`` and only the fields that changed; one ``MutationResult`` per mutation, in
  order.

Limits are checked here, before the server does any work: at most ``MAX_PUSH_MUTATIONS``
mutations per push, at most ``MAX_PULL_LIMIT`` changes per page, at most ``MAX_CHANGED_FIELDS``
fields per mutation, field names that look like field names. Whether the *values* are valid
content for the kind is the model's check (``almanac.model.validate_content``), made by the
server on the merged result.

This module is part of the core: standard library, pydantic and ``almanac.model`` only.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Literal, Self
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, JsonValue, model_validator

__all__ = [
    "DEFAULT_PULL_LIMIT",
    "KIND_NAMES",
    "MAX_CHANGED_FIELDS",
    "MAX_PULL_LIMIT",
    "MAX_PUSH_MUTATIONS",
    "ConflictReason",
    "ConflictRecord",
    "ErrorInfo",
    "FieldConflict",
    "Kind",
    "Mutation",
    "MutationResult",
    "MutationStatus",
    "Op",
    "PullRequest",
    "PullResponse",
    "PushRequest",
    "PushResponse",
    "RecordChange",
]

MAX_PUSH_MUTATIONS = 500
"""Mutations in one push. A client with more pending sends several pushes."""
MAX_PULL_LIMIT = 1000
"""Changes in one pull page."""
DEFAULT_PULL_LIMIT = 500
MAX_CHANGED_FIELDS = 64
"""Fields in one mutation's ``changes`` (the widest kind has ten)."""
MAX_RESOLVES = 64
"""Conflicts one mutation may settle."""

Kind = Literal["group", "contact", "memo", "birthday", "holiday", "event"]
"""The six record kinds (``almanac.model.KINDS``; a test keeps the two in step)."""
KIND_NAMES: tuple[str, ...] = ("group", "contact", "memo", "birthday", "holiday", "event")

Op = Literal["create", "update", "delete"]

MutationStatus = Literal["applied", "merged", "conflict", "duplicate", "rejected"]
"""What the server did with one mutation:

- ``applied``: nothing concurrent touched what the mutation changed; applied as sent (also a
  no-op: a delete of a deleted record, an update whose values were all there already);
- ``merged``: concurrent changes were combined with it and nothing was overridden (different
  fields, identical values, memo lines that do not overlap, group sets);
- ``conflict``: something concurrent was overridden or refused; the person is told and can
  choose (``conflicts``, ``notices``);
- ``duplicate``: this ``mutation_id`` was applied before (a replayed push); nothing happened
  now; ``record`` is the record as that first application left it;
- ``rejected``: not applied (``error`` says why: bad content, unknown record…).
"""

ConflictReason = Literal["same_field", "text_overlap", "text_too_large", "invalid_merge"]

_FIELD_RE = re.compile(r"[a-z][a-z0-9_]{0,63}")


def _strict() -> ConfigDict:
    return ConfigDict(extra="forbid", frozen=True)


class Mutation(BaseModel):
    """One change a client made to one record, as pushed.

    - ``create``: ``base_version`` is null; ``changes`` holds every field of the new record.
    - ``update``: ``base_version`` is the version the client last saw (from a pull or a push
      result); ``changes`` holds only the fields that changed, each with its new value (the
      JSON form the model dumps, e.g. ``""`` for an emptied text, not null).
    - ``delete``: ``base_version`` as for update; ``changes`` is empty.

    ``resolves``: ids of stored conflicts (``ConflictRecord.id``) of this record that the
    person settled with this edit; the server marks them resolved. An update that only
    settles conflicts (the person kept the current value) may have empty ``changes``.
    """

    model_config = _strict()

    mutation_id: UUID = Field(description="made by the client; a replay applies once")
    record_id: UUID = Field(description="made by the client when it creates the record")
    kind: Kind
    op: Op
    base_version: int | None = Field(default=None, ge=1)
    changes: dict[str, JsonValue] = Field(default_factory=dict, max_length=MAX_CHANGED_FIELDS)
    resolves: list[UUID] = Field(default_factory=list, max_length=MAX_RESOLVES)

    @model_validator(mode="after")
    def _shape(self) -> Self:
        for name in self.changes:
            if not _FIELD_RE.fullmatch(name):
                raise ValueError(f"changes: {name!r} is not a field name")
        if self.op == "create":
            if self.base_version is not None:
                raise ValueError("base_version: must be null for a create")
            if not self.changes:
                raise ValueError("changes: a create carries every field of the new record")
        else:
            if self.base_version is None:
                raise ValueError(f"base_version: required for an {self.op}")
            if self.op == "update" and not self.changes and not self.resolves:
                raise ValueError("changes: an update changes at least one field")
            if self.op == "delete" and self.changes:
                raise ValueError("changes: must be empty for a delete")
        return self


class FieldConflict(BaseModel):
    """Two concurrent values for one field: ``kept_value`` is now current (the winner, see
    ``docs/sync.md``), ``other_value`` was overridden and is kept here and in the record's
    history so the person can choose it instead. Absent values are null."""

    model_config = _strict()

    field: str
    kept_value: JsonValue
    other_value: JsonValue
    base_value: JsonValue = None
    reason: ConflictReason = "same_field"
    other_version: int | None = Field(
        default=None,
        ge=1,
        description="the version whose content holds other_value (filled in by the server)",
    )
    id: UUID | None = Field(
        default=None, description="the stored conflict's id (filled in by the server)"
    )
    kept_version: int | None = Field(
        default=None,
        ge=1,
        description="the version whose content holds kept_value (filled in by the server)",
    )


class ConflictRecord(BaseModel):
    """A conflict as the server stores it, so every device of the person sees it and any can
    settle it: pulls deliver the ones created or settled since the cursor. The person keeps
    ``kept_version`` (the current value, ``kept_value``) or ``other_version`` (``other_value``)
    with a mutation whose ``resolves`` names this ``id``."""

    model_config = _strict()

    id: UUID
    record_id: UUID
    kind: Kind
    field: str
    kept_value: JsonValue
    other_value: JsonValue
    base_value: JsonValue = None
    reason: ConflictReason = "same_field"
    kept_version: int = Field(ge=1)
    other_version: int | None = Field(default=None, ge=1)
    change_no: int = Field(ge=1, description="the change that made or settled it")
    resolved: bool = False
    created_at: AwareDatetime


class RecordChange(BaseModel):
    """A record's state as the server has it: what a pull delivers and what a push answers."""

    model_config = _strict()

    id: UUID
    kind: Kind
    version: int = Field(ge=1)
    change_no: int = Field(ge=1)
    deleted: bool = False
    content: dict[str, JsonValue] | None = Field(
        default=None, description="the kind's fields; may be null for a tombstone"
    )
    updated_at: AwareDatetime

    @model_validator(mode="after")
    def _content_unless_deleted(self) -> Self:
        if not self.deleted and self.content is None:
            raise ValueError("content: required unless the record is deleted")
        return self


class PullRequest(BaseModel):
    """Ask for every change after ``cursor`` (0: from the start), at most ``limit``."""

    model_config = _strict()

    cursor: int = Field(default=0, ge=0)
    limit: int = Field(default=DEFAULT_PULL_LIMIT, ge=1, le=MAX_PULL_LIMIT)


class PullResponse(BaseModel):
    """One page of changes in change-number order. ``more``: ask again from ``next_cursor``.
    ``resync_required``: the cursor can no longer be served; the client pulls again from 0
    (keeping its pending edits) and ``changes`` is empty."""

    model_config = _strict()

    changes: list[RecordChange] = Field(default_factory=list, max_length=MAX_PULL_LIMIT)
    conflicts: list[ConflictRecord] = Field(
        default_factory=list,
        description="conflicts made or settled after the cursor, up to next_cursor",
    )
    next_cursor: int = Field(ge=0)
    more: bool = False
    resync_required: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.resync_required and (self.changes or self.conflicts or self.more):
            raise ValueError("changes: must be empty when resync_required")
        numbers = [c.change_no for c in self.changes]
        if any(a >= b for a, b in pairwise(numbers)):
            raise ValueError("changes: change numbers must increase strictly")
        if numbers and self.next_cursor < numbers[-1]:
            raise ValueError("next_cursor: must not be before the last change delivered")
        return self


class PushRequest(BaseModel):
    """A batch of mutations, applied in order. ``mutation_id``s are unique in a batch."""

    model_config = _strict()

    mutations: list[Mutation] = Field(min_length=1, max_length=MAX_PUSH_MUTATIONS)

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        seen: set[UUID] = set()
        for index, mutation in enumerate(self.mutations):
            if mutation.mutation_id in seen:
                raise ValueError(f"mutations.{index}.mutation_id: repeated in this push")
            seen.add(mutation.mutation_id)
        return self


class ErrorInfo(BaseModel):
    """Why a mutation was rejected, in the shape of the API's error envelope."""

    model_config = _strict()

    code: str
    message: str
    field: str | None = None


class MutationResult(BaseModel):
    """The outcome of one mutation. ``record`` is the record's state right after this
    mutation (for ``duplicate``: after its first application), so the client can rebase what
    it still has pending; null only when ``rejected``."""

    model_config = _strict()

    mutation_id: UUID
    status: MutationStatus
    record: RecordChange | None = None
    conflicts: list[FieldConflict] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)
    error: ErrorInfo | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.status == "rejected":
            if self.error is None or self.record is not None:
                raise ValueError("a rejected mutation has an error and no record")
        elif self.record is None or self.error is not None:
            raise ValueError(f"a {self.status} mutation has a record and no error")
        return self


class PushResponse(BaseModel):
    """One result per pushed mutation, in the order they were pushed."""

    model_config = _strict()

    results: list[MutationResult] = Field(max_length=MAX_PUSH_MUTATIONS)
