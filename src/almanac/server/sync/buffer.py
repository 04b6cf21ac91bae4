"""``WriteBuffer``: the writes of one push that wait to go to the database together, one bulk
statement per table (docs/sync.md, "How a push is applied").

A mutation on the bulk path stages a ``Write`` (its new or changed ``records`` row, its
``record_versions`` row, the search terms the record must end up with, the conflicts it
made); ``flush`` writes everything staged so far: new rows (one multi-row insert), changed
rows (an executemany of ``UPDATE … WHERE id = ?`` per set of columns, the last version of
each record only, ``sort_key`` and ``deleted`` named only when they change),
history, the ``record_terms`` rows that changed (the buffer knows which terms each record
has in the database and deletes and inserts only the difference; a changed sort key, which
every term row carries, rewrites them all) and the conflicts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from almanac.server.db.tables import record_conflicts, record_terms, records
from almanac.server.records.history import add_versions
from almanac.server.records.stored import execute_rows
from almanac.server.records.terms import delete_terms, insert_terms, term_rows

StoredTerms = tuple[frozenset[str], str | None]
"""A record's terms as the database holds them, and the sort key they carry (None: unknown
or mixed, so all are rewritten)."""

NO_TERMS: StoredTerms = (frozenset(), None)


@dataclass
class Write:
    """What one mutation on the bulk path writes."""

    record_id: str
    owner_id: int
    kind: str
    insert: dict[str, Any] | None = None  # a new ``records`` row
    update: dict[str, Any] | None = None  # the changed columns of an existing row
    version: dict[str, Any] | None = None  # its ``record_versions`` row
    terms: frozenset[str] | None = None  # the record's terms from now on
    sort_key: str = ""
    conflicts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class WriteBuffer:
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: dict[str, dict[str, Any]] = field(default_factory=dict)
    versions: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    wanted: dict[str, tuple[int, str, frozenset[str], str]] = field(default_factory=dict)
    stored: dict[str, StoredTerms] = field(default_factory=dict)
    """Terms in the database of the records this push rewrites: ``terms_of`` their content
    before the push (the record store writes exactly those with every version), then what
    the flushes wrote; forgotten when a write under a savepoint replaces them."""

    def __bool__(self) -> bool:
        return bool(self.inserts or self.updates or self.versions or self.conflicts or self.wanted)

    def add(self, write: Write) -> None:
        rid = write.record_id
        if write.insert is not None:
            self.inserts.append(write.insert)
            self.stored.setdefault(rid, NO_TERMS)
        if write.update is not None:
            # re-inserted last: updates go out in staging order; an earlier staged update's
            # columns are kept under the later ones (each names only what it changes)
            earlier = self.updates.pop(rid, None)
            self.updates[rid] = write.update if earlier is None else {**earlier, **write.update}
        if write.version is not None:
            self.versions.append(write.version)
        if write.terms is not None:
            self.wanted[rid] = (write.owner_id, write.kind, write.terms, write.sort_key)
        self.conflicts.extend(write.conflicts)

    def flush(self, conn: sa.Connection) -> None:
        """Write everything staged, then forget it (``stored`` learns the new terms)."""
        if self.inserts:
            conn.execute(sa.insert(records), self.inserts)
        stmt = sa.update(records).where(records.c.id == sa.bindparam("_rid"))
        for rows in _by_columns(self.updates).values():
            execute_rows(conn, stmt, rows)
        add_versions(conn, self.versions)
        self._flush_terms(conn)
        if self.conflicts:
            conn.execute(sa.insert(record_conflicts), self.conflicts)
        self.inserts, self.updates, self.versions, self.conflicts = [], {}, [], []

    def _flush_terms(self, conn: sa.Connection) -> None:
        gone: list[dict[str, Any]] = []  # single term rows
        cleared: list[dict[str, Any]] = []  # every row of a record (its sort key changed)
        added: list[dict[str, Any]] = []
        for rid, (owner_id, kind, terms, key) in self.wanted.items():
            old, old_key = self.stored.get(rid, NO_TERMS)
            if old and old_key != key:
                cleared.append({"_rid": rid})
                new: Iterable[str] = terms
            else:
                gone.extend(
                    {"owner_id": owner_id, "kind": kind, "term": t, "record_id": rid}
                    for t in sorted(old - terms)
                )
                new = terms - old
            added.extend(term_rows(owner_id, kind, rid, new, key))
            self.stored[rid] = (terms, key)
        self.wanted = {}
        if cleared:
            stmt = sa.delete(record_terms).where(record_terms.c.record_id == sa.bindparam("_rid"))
            conn.execute(stmt, cleared)
        if gone:
            delete_terms(conn, gone)
        if added:
            insert_terms(conn, added)


def _by_columns(updates: dict[str, dict[str, Any]]) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """The updates as ``UPDATE … WHERE id = :_rid`` parameter rows, grouped by the columns
    they set (one executemany each), in staging order within a group (a record is updated
    once per flush, so the groups' order does not matter)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for rid, columns in updates.items():
        groups.setdefault(tuple(columns), []).append({"_rid": rid, **columns})
    return groups
