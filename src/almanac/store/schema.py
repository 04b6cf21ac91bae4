"""The local store's schema and its migrations (``PRAGMA user_version``).

``MIGRATIONS[i]`` takes a store from version ``i`` to ``i + 1``; version 0 is an empty file.
A new step is appended, never edited: stores in the field are at every older version, and
``tests/store/test_migrations.py`` builds each one from the DDL kept here and migrates it.

Tables (version 1):

- ``meta(name, value)``: the pull cursor, the last sync time, anything else as text.
- ``shadows``: per record the last server state known (``ServerState``), content as JSON.
- ``outbox``: pending mutations in ``seq`` order (``Mutation`` JSON, ``previous`` JSON, sent).
- ``items``: what the person sees (``view(shadow, pending)``), materialised, with its sort key
  (``almanac.model.sort_key``), version (the shadow's), a pending flag and ``indexed``
  (0: sort key and terms not computed yet — a bulk pull defers them to the first listing).
- ``terms``: the search index of live items (``almanac.model.index_terms`` — the server's
  ``record_terms``), each row carrying the item's sort key, so a search is one range scan.
- ``conflicts``: the server's stored conflicts (``ConflictRecord`` JSON), by id.
- ``notices``: what the person was told (``Notify`` as JSON), newest last.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Step = Callable[[Any], None]
"""One migration step: gets the open connection, inside the migrating transaction."""

V1 = """
CREATE TABLE meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE shadows (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    content TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    mutation_id TEXT NOT NULL UNIQUE,
    record_id TEXT NOT NULL,
    mutation TEXT NOT NULL,
    previous TEXT NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_outbox_record ON outbox (record_id, seq);
CREATE TABLE items (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    content TEXT NOT NULL,
    deleted INTEGER NOT NULL,
    version INTEGER,
    pending INTEGER NOT NULL,
    sort_key TEXT NOT NULL,
    indexed INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX ix_items_listing ON items (kind, deleted, sort_key, id);
CREATE INDEX ix_items_unindexed ON items (kind) WHERE indexed = 0;
CREATE TABLE terms (
    kind TEXT NOT NULL,
    term TEXT NOT NULL,
    record_id TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    PRIMARY KEY (kind, term, record_id)
) WITHOUT ROWID;
CREATE INDEX ix_terms_record ON terms (record_id, term);
CREATE TABLE conflicts (
    id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL,
    resolved INTEGER NOT NULL,
    change_no INTEGER NOT NULL,
    body TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX ix_conflicts_open ON conflicts (resolved, change_no);
CREATE TABLE notices (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    body TEXT NOT NULL
);
"""


def _script(ddl: str) -> Step:
    def step(conn: Any) -> None:
        for statement in ddl.split(";"):
            if statement.strip():
                conn.execute(statement)

    return step


MIGRATIONS: Sequence[Step] = (_script(V1),)
"""Step ``i`` migrates from version ``i`` to ``i + 1``."""

CURRENT_VERSION = len(MIGRATIONS)
