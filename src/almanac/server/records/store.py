"""``RecordStore``: create, read, list, update and delete one person's records (R4–R6)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa
from pydantic import BaseModel

from almanac.errors import Duplicate, FieldProblem, InvalidInput, VersionConflict
from almanac.model import KINDS, apply_patch, dump_content, unique_terms, validate_content
from almanac.model.listing import conditions
from almanac.server.db.tables import records, users
from almanac.server.records import backlog, cascade, query
from almanac.server.records.cursor import decode_cursor, encode_cursor
from almanac.server.records.stored import Page, StoredRecord, from_row, now_utc
from almanac.server.records.terms import (
    check_references,
    check_unique,
    field_value,
    term_rows,
    terms_of,
)
from almanac.server.records.writes import bump, insert_new, live_row, new_row, rewrite

MAX_LIMIT = 500
MAX_CHANGES = 5000


class _Unchanged(Exception):
    """A PATCH that changes nothing: roll the counter back and return the record as it is."""

    def __init__(self, record: StoredRecord):
        self.record = record


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        known = ", ".join(KINDS)
        raise InvalidInput.one("kind", f"kind {kind!r} is not one of {known}.", "not_a_choice")


def _check_version(row: sa.Row[Any], expected: int | None) -> None:
    if expected is not None and expected != row.version:
        raise VersionConflict(expected, int(row.version))


def _validated(kind: str, data: Mapping[str, Any], prefix: str = "") -> BaseModel:
    try:
        return validate_content(kind, data)
    except InvalidInput as exc:
        if not prefix:
            raise
        raise InvalidInput(
            [
                FieldProblem(f"{prefix}{p.field}".rstrip("."), p.message, p.code)
                for p in exc.problems
            ]
        ) from None


# Built once (the groups menu and the calendar pages ask on every page), the owner bound at
# execution.
_LAST_CHANGE = sa.select(users.c.last_change_no).where(users.c.id == sa.bindparam("owner_id"))


class RecordStore:
    """Every person's records in the central database (SQLAlchemy Core, any of the three
    databases). Each write is one transaction that first takes a change number from
    ``users.last_change_no``; see the package docstring for the rules."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    # -- writes -------------------------------------------------------------------------

    def create(
        self,
        owner_id: int,
        kind: str,
        data: Mapping[str, Any],
        *,
        record_id: UUID | None = None,
    ) -> StoredRecord:
        """Store a new record (version 1). ``record_id`` lets a client choose the id;
        ``Duplicate("id")`` when any record already has it."""
        return self.create_many(owner_id, kind, [data], record_ids=[record_id])[0]

    def create_many(
        self,
        owner_id: int,
        kind: str,
        items: Sequence[Mapping[str, Any]],
        *,
        record_ids: Sequence[UUID | None] | None = None,
    ) -> list[StoredRecord]:
        """Store several new records of one kind in one transaction: all or none. Errors
        name the item (``3.name``) when there is more than one."""
        _check_kind(kind)
        if not items:
            return []
        single = len(items) == 1
        prefixes = ["" if single else f"{i}." for i in range(len(items))]
        contents = [_validated(kind, data, p) for data, p in zip(items, prefixes, strict=True)]
        ids = [str(rid or uuid4()) for rid in (record_ids or [None] * len(items))]
        given = [str(rid) for rid in (record_ids or []) if rid is not None]
        if len(set(given)) < len(given):
            raise Duplicate("id", None, "the same id is given to two new records.")
        wanted = self._unique_wanted(kind, contents, prefixes)
        now = now_utc()
        # Everything that needs no database is prepared before the transaction, which holds
        # the owner's lock: rows (change numbers come later) and term rows.
        rows = [
            new_row(owner_id, kind, rid, content, 0, now)
            for rid, content in zip(ids, contents, strict=True)
        ]
        terms = [
            term
            for row, content in zip(rows, contents, strict=True)
            for term in term_rows(
                owner_id, kind, row["id"], terms_of(kind, content), row["sort_key"]
            )
        ]
        try:
            with self.engine.begin() as conn:
                last = bump(conn, owner_id, len(items))
                self._check_ids_free(conn, given)
                check_references(conn, owner_id, kind, list(zip(prefixes, contents, strict=True)))
                check_unique(conn, owner_id, kind, wanted)
                for offset, row in enumerate(rows):
                    row["change_no"] = last - len(rows) + 1 + offset
                insert_new(conn, rows, terms)
        except sa.exc.IntegrityError:
            # Another person's transaction took a client-chosen id between check and insert.
            with self.engine.connect() as conn:
                self._check_ids_free(conn, given)
            raise
        return [
            StoredRecord.of(
                content,
                id=UUID(row["id"]),
                kind=kind,
                version=1,
                change_no=row["change_no"],
                created_at=now,
                updated_at=now,
            )
            for row, content in zip(rows, contents, strict=True)
        ]

    def update(
        self,
        owner_id: int,
        kind: str,
        record_id: UUID,
        patch: Mapping[str, Any],
        *,
        expected_version: int | None = None,
    ) -> StoredRecord:
        """Merge ``patch`` into the record (a new version). A patch that changes nothing
        returns the record as it is, with no new version."""
        _check_kind(kind)
        now = now_utc()
        try:
            with self.engine.begin() as conn:
                change_no = bump(conn, owner_id)
                row = live_row(conn, owner_id, kind, record_id)
                _check_version(row, expected_version)
                current = from_row(row)
                content = apply_patch(kind, current.content, patch)
                if dump_content(content) == current.data:
                    raise _Unchanged(current)
                check_references(conn, owner_id, kind, [("", content)])
                check_unique(conn, owner_id, kind, self._unique_wanted(kind, [content]), row.id)
                rewrite(conn, row, content, change_no, now)
        except _Unchanged as unchanged:
            return unchanged.record
        return StoredRecord.of(
            content,
            id=current.id,
            kind=kind,
            version=current.version + 1,
            change_no=change_no,
            created_at=current.created_at,
            updated_at=now,
        )

    def delete(
        self,
        owner_id: int,
        kind: str,
        record_id: UUID,
        *,
        expected_version: int | None = None,
    ) -> StoredRecord:
        """Turn the record into a tombstone (a new version and change number). Records that
        reference it are unlinked first, each with its own new version and change number."""
        _check_kind(kind)
        now = now_utc()
        with self.engine.begin() as conn:
            first = bump(conn, owner_id)
            row = live_row(conn, owner_id, kind, record_id)
            _check_version(row, expected_version)
            linked = cascade.referrers(conn, owner_id, row.id)
            last = bump(conn, owner_id, len(linked)) if linked else first
            for offset, other in enumerate(linked):
                content = cascade.unlinked_content(other, row.id)
                rewrite(conn, other, content, first + offset, now)
            current = from_row(row)
            rewrite(conn, row, current.content, last, now, deleted=True)
        return StoredRecord.of(
            current.content,
            id=current.id,
            kind=kind,
            version=current.version + 1,
            change_no=last,
            created_at=current.created_at,
            updated_at=now,
            deleted=True,
        )

    # -- reads --------------------------------------------------------------------------

    def get(self, owner_id: int, kind: str, record_id: UUID) -> StoredRecord:
        """The owner's live record; ``NotFound`` for a tombstone, another kind or owner."""
        _check_kind(kind)
        with self.engine.connect() as conn:
            return from_row(live_row(conn, owner_id, kind, record_id))

    def list(
        self,
        owner_id: int,
        kind: str,
        *,
        q: str | None = None,
        filters: Mapping[str, str] | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page:
        """One page of the owner's live records of ``kind`` in list order, found by ``q``
        (every word a prefix of a search term) and ``filters`` (exact facets)."""
        _check_kind(kind)
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput.one(
                "limit", f"limit must be between 1 and {MAX_LIMIT}, not {limit}.", "out_of_range"
            )
        after = decode_cursor(cursor) if cursor else None
        conds = conditions(kind, q, filters)
        with self.engine.connect() as conn:
            if conds:  # terms are read: the owner's backlog caught up first
                backlog.read_caught_up(conn, self.engine, owner_id)
            rows = query.page_rows(conn, owner_id, kind, conds, limit + 1, after)
        items = [from_row(row) for row in rows[:limit]]
        more = len(rows) > limit
        last = rows[limit - 1] if more else None
        return Page(items, encode_cursor(last.sort_key, last.id) if last is not None else None)

    def changes_since(
        self, owner_id: int, change_no: int, limit: int = 500
    ) -> builtins.list[StoredRecord]:
        """The owner's records changed after ``change_no`` (tombstones included), oldest
        change first: what a device that has seen everything up to ``change_no`` lacks."""
        if not 0 <= change_no < 2**63:
            raise InvalidInput.one(
                "change_no",
                f"change_no must be a whole number from 0, not {change_no}.",
                "out_of_range",
            )
        if not 1 <= limit <= MAX_CHANGES:
            raise InvalidInput.one(
                "limit", f"limit must be between 1 and {MAX_CHANGES}, not {limit}.", "out_of_range"
            )
        query_ = (
            sa.select(records)
            .where(records.c.owner_id == owner_id, records.c.change_no > change_no)
            .order_by(records.c.change_no)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [from_row(row) for row in conn.execute(query_)]

    def last_change_no(self, owner_id: int) -> int:
        """The owner's newest change number (0 before the first write)."""
        with self.engine.connect() as conn:
            value = conn.execute(_LAST_CHANGE, {"owner_id": owner_id}).scalar_one_or_none()
        return int(value or 0)

    # -- helpers ------------------------------------------------------------------------

    @staticmethod
    def _unique_wanted(
        kind: str, contents: Sequence[BaseModel], prefixes: Sequence[str] | None = None
    ) -> dict[str, tuple[str, BaseModel]]:
        """Unique terms → (field, content); ``Duplicate`` when two new contents share one."""
        wanted: dict[str, tuple[str, BaseModel]] = {}
        for i, content in enumerate(contents):
            prefix = prefixes[i] if prefixes else ""
            for term, field in unique_terms(kind, content).items():
                if term in wanted:
                    value = field_value(content, field)
                    message = f"{prefix}{field} {value!r} repeats an earlier item."
                    raise Duplicate(f"{prefix}{field}", value, message)
                wanted[term] = (field, content)
        return wanted

    @staticmethod
    def _check_ids_free(conn: sa.Connection, ids: Sequence[str]) -> None:
        if not ids:
            return
        taken = conn.execute(
            sa.select(records.c.id).where(records.c.id.in_(ids)).limit(1)
        ).scalar_one_or_none()
        if taken is not None:
            raise Duplicate("id", taken, f"id {taken} is already taken: choose another.")
