"""The ``record_terms`` rows of a record, and the checks that read them.

A live record's terms are its model index terms (``t:``/facets), its unique terms (``u:``)
and one ``~r:<id>`` term per record it references, so the records that point at a deleted
record are found with one index lookup (see ``cascade``). Tombstones have no terms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from pydantic import BaseModel

from almanac.errors import Duplicate, FieldProblem, InvalidInput
from almanac.model import Reference, dump_content, index_terms, references
from almanac.model.terms import references_of, unique_terms_of
from almanac.server.db.tables import record_terms, records, term_backlog
from almanac.server.records.stored import execute_rows

REF = "~r:"
_CHUNK = 500


def ref_term(record_id: UUID | str) -> str:
    """The term every record that references ``record_id`` carries."""
    return f"{REF}{record_id}"


def terms_of(kind: str, content: BaseModel) -> set[str]:
    """Every term a live record with this content is indexed under."""
    terms = index_terms(kind, content)  # a new set, ours to fill
    terms.update(unique_terms_of(content))
    terms.update([ref_term(ref_id) for _, _, ref_id in references_of(content)])
    return terms


def term_rows(
    owner_id: int, kind: str, record_id: str, terms: Iterable[str], sort_key: str
) -> list[dict[str, Any]]:
    """The ``record_terms`` rows of one record, each carrying the record's sort key."""
    return [
        {
            "owner_id": owner_id,
            "kind": kind,
            "term": term,
            "record_id": record_id,
            "sort_key": sort_key,
        }
        for term in sorted(terms)
    ]


def replace_terms(
    conn: sa.Connection,
    owner_id: int,
    kind: str,
    record_id: str,
    terms: Iterable[str],
    sort_key: str,
) -> None:
    """Drop the record's terms and insert ``terms`` (none for a tombstone): they are exact
    now, so the record leaves the term backlog (``backlog``) if it was there."""
    conn.execute(sa.delete(record_terms).where(record_terms.c.record_id == record_id))
    marked = term_backlog.c.owner_id == owner_id, term_backlog.c.record_id == record_id
    # Looked up first: on MariaDB a DELETE that finds no row locks the gap where it would
    # be — with an empty backlog, the whole table, so everybody's pushes would wait.
    if conn.execute(sa.select(term_backlog.c.record_id).where(*marked)).first() is not None:
        conn.execute(sa.delete(term_backlog).where(*marked))
    rows = term_rows(owner_id, kind, record_id, terms, sort_key)
    if rows:
        insert_terms(conn, rows)


def insert_terms(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Insert ``record_terms`` rows (about 30 a contact) with one driver-level executemany:
    the columns are plain text and integers, which need no SQLAlchemy type processing, and
    building the parameters is most of the cost of a bulk insert otherwise."""
    execute_rows(conn, sa.insert(record_terms), rows)


def delete_terms(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Delete single ``record_terms`` rows (``owner_id``, ``kind``, ``term``, ``record_id``:
    the primary key) with one driver-level executemany, as ``insert_terms`` inserts them (a
    new title changes some twenty rows of a contact: the statement's parameters through
    SQLAlchemy cost more than the deletes)."""
    t = record_terms.c
    stmt = sa.delete(record_terms).where(
        t.owner_id == sa.bindparam("owner_id"),
        t.kind == sa.bindparam("kind"),
        t.term == sa.bindparam("term"),
        t.record_id == sa.bindparam("record_id"),
    )
    execute_rows(conn, stmt, rows)


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def check_references(
    conn: sa.Connection, owner_id: int, kind: str, items: Sequence[tuple[str, BaseModel]]
) -> None:
    """Every record the contents reference is a live record of this owner and the named kind,
    else ``InvalidInput`` naming each bad field. ``items`` are (field prefix, content) pairs:
    the prefix is ``""`` for one record, ``"3."`` for the fourth of a batch."""
    refs = [(prefix, ref) for prefix, content in items for ref in references(kind, content)]
    wanted: dict[str, set[str]] = {}
    for _, ref in refs:
        wanted.setdefault(ref.kind, set()).add(str(ref.id))
    found: set[tuple[str, str]] = set()
    for ref_kind, ids in wanted.items():
        for chunk in _chunks(sorted(ids)):
            query = sa.select(records.c.id).where(
                records.c.owner_id == owner_id,
                records.c.kind == ref_kind,
                records.c.deleted == sa.false(),
                records.c.id.in_(chunk),
            )
            found.update((ref_kind, rid) for rid in conn.execute(query).scalars())
    refuse_unknown(refs, found)


def refuse_unknown(refs: Sequence[tuple[str, Reference]], found: set[tuple[str, str]]) -> None:
    """``InvalidInput`` naming each (field prefix, reference) whose (kind, id) is not found."""
    problems = [
        FieldProblem(
            field=f"{prefix}{ref.field}",
            message=f"{prefix}{ref.field} names an unknown {ref.kind} {ref.id}.",
            code="unknown_reference",
        )
        for prefix, ref in refs
        if (ref.kind, str(ref.id)) not in found
    ]
    if problems:
        raise InvalidInput(problems)


def field_value(content: BaseModel, field: str) -> Any:
    """The JSON value at a dotted path of the content (for error messages)."""
    value: Any = dump_content(content)
    for part in field.split("."):
        value = value[int(part)] if isinstance(value, list) else value.get(part)
    return value


def check_unique(
    conn: sa.Connection,
    owner_id: int,
    kind: str,
    wanted: Mapping[str, tuple[str, BaseModel]],
    exclude_id: str | None = None,
) -> None:
    """No other live record of this owner and kind holds a unique term.

    ``wanted`` maps each term to (field for the error, the content that holds it)."""
    if not wanted:
        return
    from almanac.server.records import backlog  # it writes terms with this module's help

    backlog.catch_up(conn, owner_id)
    query = sa.select(record_terms.c.term).where(
        record_terms.c.owner_id == owner_id,
        record_terms.c.kind == kind,
        record_terms.c.term.in_(sorted(wanted)),
    )
    if exclude_id is not None:
        query = query.where(record_terms.c.record_id != exclude_id)
    taken = conn.execute(query.limit(1)).scalar_one_or_none()
    if taken is not None:
        field, content = wanted[taken]
        value = field_value(content, field)
        raise Duplicate(field, value, f"{field} {value!r} is already used by another {kind}.")
