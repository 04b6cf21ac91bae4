"""The term backlog: records whose ``record_terms`` rows wait to be brought up to date.

A record's terms are derived data: ``terms_of`` its content (none for a tombstone), written
with every version by the record store and by a push's savepoint path (``writes.rewrite``,
``insert_new``: the whole set). A push's **bulk path** — nearly every pushed create and
update — writes the record and only **marks** it here (``mark``, one row a record) when a
term field changed, the record is new or its sort key is written; rewriting some thirty term
rows of each contact was the largest part of a push's cost (bench/README.md).

The invariant: *a record's term rows are ``terms_of`` its current content, unless the record
is in the backlog; there, its rows all carry the sort key the backlog row names.* A whole
rewrite of a record's terms (``terms.replace_terms``) takes it out of the backlog. So every
read of ``record_terms`` catches the owner up first: the search of ``RecordStore.list``
(``read_caught_up``: its read transaction made one that shows no marks), the unique check and
the references a delete unlinks (``catch_up`` in the writing transaction, which holds the
owner's lock; a push does it before a mutation's savepoint, ``PushState.writing``). The
catch-up reads each marked record and its terms (by record: index-only on SQLite and
MariaDB, whose secondary indexes hold the primary key) and writes only the difference, then
forgets the marks; a record gone (purged) leaves no rows. ``almanac.server.records.indexer``
runs it in the background once an owner's pushes pause, so a search seldom finds work to do.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa

from almanac.model import load_content
from almanac.server.db.tables import record_terms, records, term_backlog
from almanac.server.records.stored import execute_rows
from almanac.server.records.terms import delete_terms, insert_terms, term_rows, terms_of
from almanac.server.records.writes import bump

CHUNK = 500
"""Records caught up per statement batch (and per transaction in ``catch_up_now``)."""


def mark(conn: sa.Connection, owner_id: int, record_ids: Iterable[str]) -> None:
    """Put the records in the owner's backlog, **before** their new rows are written: a
    record not there yet has term rows exact for its row as stored now, so they carry its
    stored sort key ("" for a record not stored yet). One already there stays as it is."""
    ids = sorted(set(record_ids))
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        query = sa.select(term_backlog.c.record_id).where(
            term_backlog.c.owner_id == owner_id, term_backlog.c.record_id.in_(part)
        )
        there = set(conn.execute(query).scalars())
        fresh = [rid for rid in part if rid not in there]
        if not fresh:
            continue
        query = sa.select(records.c.id, records.c.sort_key).where(records.c.id.in_(fresh))
        keys = {str(rid): str(key) for rid, key in conn.execute(query)}
        rows = [
            {"owner_id": owner_id, "record_id": rid, "sort_key": keys.get(rid, "")} for rid in fresh
        ]
        execute_rows(conn, sa.insert(term_backlog), rows)


def waiting(conn: sa.Connection, owner_id: int) -> bool:
    """Whether the owner has records in the backlog."""
    query = sa.select(term_backlog.c.record_id).where(term_backlog.c.owner_id == owner_id)
    return conn.execute(query.limit(1)).first() is not None


def catch_up(conn: sa.Connection, owner_id: int, *, limit: int | None = None) -> int:
    """Bring the terms of the owner's marked records up to date, ``limit`` records at most
    (all by default); returns how many. The caller holds the owner's lock (a writing
    transaction that began with ``writes.bump``)."""
    done = 0
    while limit is None or done < limit:
        size = CHUNK if limit is None else min(CHUNK, limit - done)
        query = (
            sa.select(term_backlog.c.record_id, term_backlog.c.sort_key)
            .where(term_backlog.c.owner_id == owner_id)
            .order_by(term_backlog.c.record_id)
            .limit(size)
        )
        held = {str(rid): str(key) for rid, key in conn.execute(query)}
        if not held:
            break
        ids = list(held)
        _reindex(conn, owner_id, held)
        conn.execute(
            sa.delete(term_backlog).where(
                term_backlog.c.owner_id == owner_id, term_backlog.c.record_id.in_(ids)
            )
        )
        done += len(ids)
        if len(ids) < size:
            break
    return done


def catch_up_now(
    engine: Any,
    owner_id: int,
    *,
    stop: Callable[[], bool] | None = None,
    chunk: int = CHUNK,
) -> int:
    """``catch_up`` in its own transactions, ``chunk`` records each, each taking the owner's
    lock (a push waits for the chunk, and no chunk sees half a push), until the backlog is
    empty or ``stop()`` says so between chunks; returns how many records."""
    done = 0
    while stop is None or not stop():
        with engine.begin() as conn:
            bump(conn, owner_id, 0)
            step = catch_up(conn, owner_id, limit=chunk)
        done += step
        if step < chunk:
            break
    return done


def read_caught_up(conn: sa.Connection, engine: Any, owner_id: int, tries: int = 3) -> None:
    """Make ``conn``'s read transaction one with no backlog for the owner: while its
    snapshot shows marks, end it, catch up (``catch_up_now`` on ``engine``'s own
    connections) and look again — ``tries`` times at most (a person pushing all the while
    is read as the last catch-up left them). On SQLite and MariaDB the look and the reads
    after it share one snapshot, so the terms read are exact; PostgreSQL reads each
    statement at its own moment (READ COMMITTED): a push committing between the look and
    the search is seen as a search that ran just before it would see its records."""
    for _ in range(tries):
        if not waiting(conn, owner_id):
            return
        conn.rollback()  # the snapshot that showed the marks (a page's shared one too)
        catch_up_now(engine, owner_id)


def _reindex(conn: sa.Connection, owner_id: int, held: dict[str, str]) -> None:
    """Rewrite the term rows of the records ``held`` (id → the sort key their rows carry)
    that differ from their records' contents: the rows of a record whose sort key changed
    all, else only the terms that came or went."""
    ids = list(held)
    wanted: dict[str, tuple[str, frozenset[str], str]] = {}
    query = sa.select(
        records.c.id, records.c.kind, records.c.deleted, records.c.sort_key, records.c.data
    ).where(records.c.owner_id == owner_id, records.c.id.in_(ids))
    for rid, kind, deleted, key, data in conn.execute(query):
        terms = frozenset() if deleted else frozenset(terms_of(kind, _content(kind, data)))
        wanted[str(rid)] = (str(kind), terms, str(key))
    stored: dict[str, tuple[str, set[str]]] = {}
    t = record_terms.c
    # By record, index-only (ix_record_terms_record holds the primary key's columns): the
    # owner's id in the test would lead a database to walk the owner's part of the primary
    # key instead, and the sort key would cost a lookup of each row (``held`` has it).
    query = sa.select(t.record_id, t.kind, t.term).where(t.record_id.in_(ids))
    for rid, kind, term in conn.execute(query):
        stored.setdefault(str(rid), (str(kind), set()))[1].add(str(term))
    cleared: list[dict[str, Any]] = []
    gone: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    for rid in ids:
        kind, terms, key = wanted.get(rid, ("", frozenset(), ""))
        old_kind, old = stored.get(rid, (kind, set()))
        if old and (held[rid] != key or old_kind != kind):
            cleared.append({"_rid": rid})
            new: Iterable[str] = terms
        else:
            gone.extend(
                {"owner_id": owner_id, "kind": kind, "term": term, "record_id": rid}
                for term in sorted(old - terms)
            )
            new = terms - old
        added.extend(term_rows(owner_id, kind, rid, new, key))
    if cleared:
        stmt = sa.delete(record_terms).where(t.record_id == sa.bindparam("_rid"))
        conn.execute(stmt, cleared)
    if gone:
        delete_terms(conn, gone)
    if added:
        insert_terms(conn, added)


def _content(kind: str, data: Any) -> Any:
    return load_content(kind, json.loads(data) if isinstance(data, str) else data)
