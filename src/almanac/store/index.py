"""The materialised ``items`` and their search ``terms`` (issue 3 §1; the server's rules).

``refresh`` recomputes what the person sees of some records — ``view(shadow, pending)`` — and
writes their ``items`` rows. Sort keys and terms come from the model (``sort_key``,
``index_terms``, ``unique_terms``: exactly the server's ``record_terms`` minus its
reference terms) and cost ~0.25 ms a contact, mostly pinyin: a first sync of 20,000 records
would spend seconds on them. So a refresh of more than ``INLINE`` records only marks them
``indexed = 0`` (an item indexed already whose content stays the same keeps its index), and
``ensure_indexed(kind)`` — called before every listing, search and
uniqueness check of that kind — indexes what is left, in batches.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from almanac.errors import InvalidInput
from almanac.model import index_terms, load_content, sort_key, unique_terms
from almanac.model.search import TEXT  # how a text term starts: matched by prefix only
from almanac.store.rows import (
    OUTBOX_COLUMNS,
    SHADOW_COLUMNS,
    chunks,
    dumps,
    group_pending,
    marks,
    shadow_of,
)
from almanac.sync.decide import Pending, ServerState, view

INLINE = 256
"""A refresh of at most this many records indexes them at once."""
BATCH = 10_000
"""Records indexed per round by ``ensure_indexed`` (~250,000 term rows, sorted in memory)."""
BULK = 2000
"""From this many waiting records of a kind, ``ensure_indexed`` rebuilds ``BY_RECORD``."""
BY_RECORD = "ix_terms_record"
"""The terms' index by record (``schema``): per-record probes and rewrites."""

ITEM_INSERT = (
    "INSERT OR REPLACE INTO items (id, kind, content, deleted, version, pending, sort_key,"
    " indexed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
SAME_UPDATE = (
    "UPDATE items SET version = ?, pending = ? WHERE id = ? AND indexed = 1 AND kind = ?"
    " AND deleted = ? AND content = ?"
)
KEPT_UPDATE = "UPDATE items SET content = ?, version = ?, pending = ? WHERE id = ?"
TERM_INSERT = "INSERT OR IGNORE INTO terms (kind, term, record_id, sort_key) VALUES (?, ?, ?, ?)"


def compute(kind: str, content: Mapping[str, Any]) -> tuple[str, set[str]]:
    """``(sort_key, terms)`` of a live record's content; content this program cannot read
    (a newer server's field) sorts first and is found by no search."""
    model = readable(kind, content)
    if model is None:
        return "", set()
    return sort_key(kind, model), terms_of(kind, model)


def readable(kind: str, content: Mapping[str, Any]) -> BaseModel | None:
    """The model of a record's content, or None when this program cannot read it."""
    try:
        return load_content(kind, content)
    except (InvalidInput, KeyError):
        return None


def terms_of(kind: str, model: BaseModel) -> set[str]:
    """The search terms of a record's model (``index_terms`` and ``unique_terms``)."""
    terms = index_terms(kind, model)  # a new set, ours to fill
    terms.update(unique_terms(kind, model))
    return terms


def stored(terms: set[str]) -> list[str]:
    """The terms worth a row, sorted: a text term (``t:``) that starts another text term of
    the same record is left out. A search tests text terms only by prefix (``search``), and
    every prefix of the shorter one is a prefix of the longer one, so no search finds less;
    facet and unique terms, tested exactly, all stay. Saves ~11% of the rows of a contact
    (the golden corpus: 4.5 of 41)."""
    ordered = sorted(terms)
    # In sorted order a term that starts any other term starts the very next one.
    return [
        term
        for term, after in zip(ordered, [*ordered[1:], ""][: len(ordered)], strict=True)
        if not (term.startswith(TEXT) and after.startswith(term))
    ]


def pending_of_ids(conn: Any, ids: Sequence[str]) -> dict[UUID, list[Pending]]:
    """The outbox entries of ``ids``, oldest first per record."""
    found: dict[UUID, list[Pending]] = {}
    if conn.execute("SELECT 1 FROM outbox LIMIT 1").fetchone() is None:
        return found
    for part in chunks(ids):
        rows = conn.execute(
            f"SELECT {OUTBOX_COLUMNS} FROM outbox WHERE record_id IN ({marks(len(part))})"
            " ORDER BY seq",
            list(part),
        )
        for record_id, entries in group_pending(rows).items():
            found[record_id] = entries
    return found


def shadows_of_ids(
    conn: Any, ids: Sequence[str], content: Callable[[str], Mapping[str, Any]] = json.loads
) -> dict[UUID, ServerState]:
    """The shadows of ``ids`` (``content``: as in ``rows.shadow_of``)."""
    found: dict[UUID, ServerState] = {}
    for part in chunks(ids):
        rows = conn.execute(
            f"SELECT {SHADOW_COLUMNS} FROM shadows WHERE id IN ({marks(len(part))})", list(part)
        )
        for row in rows:
            state = shadow_of(row, content)
            found[state.record_id] = state
    return found


def refresh(
    conn: Any,
    ids: Collection[UUID],
    known: Mapping[UUID, tuple[ServerState, str]] | None = None,
) -> None:
    """Rewrite the ``items`` rows of ``ids`` from their shadows and pending edits.
    ``known``: shadows just written, with their content JSON (not read back)."""
    known = known or {}
    keys = [str(i) for i in ids]
    pending = pending_of_ids(conn, keys)
    missing = [str(i) for i in ids if i not in known]
    read = shadows_of_ids(conn, missing) if missing else {}
    inline = len(keys) <= INLINE
    rows: list[tuple[Any, ...]] = []
    gone: list[tuple[str]] = []
    for record_id, key in zip(ids, keys, strict=True):
        entries = pending.get(record_id, [])
        hit = known.get(record_id)
        shadow = hit[0] if hit is not None else read.get(record_id)
        seen = view(shadow, entries)
        if seen is None:
            gone.append((key,))
            continue
        text = hit[1] if hit is not None and not entries else dumps(dict(seen.content))
        version = shadow.version if shadow is not None else None
        rows.append((key, seen.kind, text, int(seen.deleted), version, int(bool(entries))))
    conn.executemany("DELETE FROM items WHERE id = ?", gone)
    conn.executemany("DELETE FROM terms WHERE record_id = ?", gone)
    write_items(conn, _keep_indexed(conn, rows), inline=inline)


def _keep_indexed(conn: Any, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rewrite, keeping their sort key and terms, the items whose kind, content and deletion
    are as indexed already (a pushed edit's result written back: 10,000 of them must not wait
    for an index again); returns the other rows.

    As a rule (a push's answers) each of them is, to the byte: one UPDATE a row sets only
    ``version`` and ``pending`` where kind, deletion and content text are equal, and if it
    changed every row, that is all — no read, no content written, and the change counter's
    trigger (``changes``: kind, content, deletion) rightly silent. Otherwise the rows are
    read and compared, the content as JSON (key order aside)."""
    ordered = sorted(rows, key=itemgetter(0))
    before = conn.total_changes
    conn.executemany(SAME_UPDATE, [(r[4], r[5], r[0], r[1], r[3], r[2]) for r in ordered])
    if conn.total_changes - before == len(ordered):
        return []
    indexed: dict[str, tuple[str, str, int, str]] = {}
    for part in chunks([r[0] for r in ordered]):
        query = (
            "SELECT id, kind, content, deleted, sort_key FROM items"
            f" WHERE indexed = 1 AND id IN ({marks(len(part))})"
        )
        for rid, kind, text, deleted, key in conn.execute(query, list(part)):
            indexed[rid] = (kind, text, deleted, key)
    kept: list[tuple[Any, ...]] = []
    changed: list[tuple[Any, ...]] = []
    for row in ordered:
        old = indexed.get(row[0])
        if old is not None and old[0] == row[1] and old[2] == row[3] and _same(old[1], row[2]):
            kept.append((row[2], row[4], row[5], row[0]))
        else:
            changed.append(row)
    # An UPDATE of these columns leaves the listing index (kind, deleted, sort_key, id) as
    # it is; INSERT OR REPLACE deleted and re-inserted its entries.
    conn.executemany(KEPT_UPDATE, kept)
    return changed


def _same(text: str, other: str) -> bool:
    return text == other or (len(text) == len(other) and json.loads(text) == json.loads(other))


def write_items(conn: Any, rows: Iterable[Sequence[Any]], *, inline: bool) -> None:
    """Write ``(id, kind, content JSON, deleted, version, pending)`` items rows, in id order
    (b-tree appends); ``inline``: with their sort keys and terms, else marked unindexed."""
    ordered = sorted(rows, key=itemgetter(0))
    conn.executemany(ITEM_INSERT, [(*r, "", 0) for r in ordered])
    if inline:
        index_rows(conn, [(r[0], r[1], r[2], r[3]) for r in ordered])
    elif conn.execute("SELECT 1 FROM terms LIMIT 1").fetchone() is not None:
        # An unindexed item has no terms (the search's fallback scans it instead).
        conn.executemany("DELETE FROM terms WHERE record_id = ?", [(r[0],) for r in ordered])


def index_rows(conn: Any, rows: Iterable[tuple[str, str, str, int]], *, stale: bool = True) -> None:
    """Compute and write sort keys and terms of ``(id, kind, content JSON, deleted)`` rows;
    ``stale``: the rows may have terms already (dropped first)."""
    drop: list[tuple[str]] = []
    terms: list[tuple[str, str, str, str]] = []
    marks_done: list[tuple[str, str]] = []
    for record_id, kind, text, deleted in rows:
        drop.append((record_id,))
        if deleted:
            marks_done.append(("", record_id))
            continue
        key, found = compute(kind, json.loads(text))
        marks_done.append((key, record_id))
        terms.extend((kind, term, record_id, key) for term in stored(found))
    # Each statement in its index's order: the b-tree is then walked once, front to back,
    # instead of at random.
    drop.sort()
    terms.sort()
    marks_done.sort(key=lambda m: m[1])
    if stale:
        conn.executemany("DELETE FROM terms WHERE record_id = ?", drop)
    conn.executemany(TERM_INSERT, terms)
    conn.executemany("UPDATE items SET sort_key = ?, indexed = 1 WHERE id = ?", marks_done)


def unindexed(conn: Any, kind: str) -> bool:
    """Whether some item of ``kind`` waits for its index (a read on a partial index)."""
    sql = "SELECT 1 FROM items WHERE kind = ? AND indexed = 0 LIMIT 1"
    return conn.execute(sql, (kind,)).fetchone() is not None


def ensure_indexed(conn: Any, kind: str) -> int:
    """Index every item of ``kind`` not indexed yet (in the caller's transaction); returns how
    many were. From ``BULK`` records on, the terms' second index (by record) is dropped while
    the terms go in and built again after: inserting ~25 rows a record into two b-trees of
    different orders is random access into one of them, and an encrypted page that falls out
    of the cache is written and read back through AES and HMAC — sorting once is several
    times cheaper (measured: 20,010 records of a first sync, 13.5 s CPU → see docs/store.md)."""
    sql = "SELECT count(*) FROM items WHERE kind = ? AND indexed = 0"
    waiting = int(conn.execute(sql, (kind,)).fetchone()[0])
    if not waiting:
        return 0
    rebuild = None
    if waiting >= BULK:
        conn.execute(
            "DELETE FROM terms WHERE record_id IN"
            " (SELECT id FROM items WHERE kind = ? AND indexed = 0)",
            (kind,),
        )
        found = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (BY_RECORD,)
        ).fetchone()
        if found is not None:
            rebuild = str(found[0])
            conn.execute(f"DROP INDEX {BY_RECORD}")
    done = 0
    while True:
        rows = conn.execute(
            "SELECT id, kind, content, deleted FROM items WHERE kind = ? AND indexed = 0 LIMIT ?",
            (kind, BATCH),
        ).fetchall()
        if not rows:
            break
        index_rows(conn, rows, stale=rebuild is None)
        done += len(rows)
    if rebuild is not None:
        conn.execute(rebuild)  # the same definition, read from the schema
    return done


def waiting(conn: Any, kind: str | None = None) -> int:
    """How many items (of ``kind``) wait for their index."""
    if kind is None:
        return int(conn.execute("SELECT count(*) FROM items WHERE indexed = 0").fetchone()[0])
    sql = "SELECT count(*) FROM items WHERE kind = ? AND indexed = 0"
    return int(conn.execute(sql, (kind,)).fetchone()[0])


def index_step(conn: Any, limit: int) -> int:
    """Index up to ``limit`` waiting items of any kind (in the caller's transaction, which
    commits them and their terms together); returns how many. A chunk keeps
    ``ix_terms_record``: dropping it would cost a rebuild over every term per chunk."""
    rows = conn.execute(
        "SELECT id, kind, content, deleted FROM items WHERE indexed = 0 ORDER BY kind LIMIT ?",
        (limit,),
    ).fetchall()
    if rows:
        index_rows(conn, rows)
    return len(rows)
