"""``LocalStore``: one profile's encrypted store (R12, R13; issue 3 §1–§2).

What the person sees are the ``items`` (``view(shadow, pending)`` materialised); edits go
through ``edit`` — validated, checked, turned into outbox actions by
``almanac.sync.decide.local_edit`` and applied in one transaction; sync applies the actions
of ``on_pull``/``on_result`` through ``apply``. Every write refreshes the touched items (and,
for small writes, their search terms; see ``index``).
"""

from __future__ import annotations

import builtins
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, cast
from uuid import UUID, uuid4

from almanac.errors import InvalidInput, NotFound, StoreDamaged
from almanac.model import KINDS, apply_patch, dump_content, load_content, validate_content
from almanac.store import fallback, index, notes, search, wave
from almanac.store.batch import Batch
from almanac.store.builder import STEP
from almanac.store.changes import Changes
from almanac.store.checks import check_kind, check_references, check_unique
from almanac.store.db import Database
from almanac.store.items import ITEM_COLUMNS, Item, ItemPage, guard, item_of
from almanac.store.recovery import open_check
from almanac.store.rows import (
    OUTBOX_COLUMNS,
    SHADOW_COLUMNS,
    chunks,
    dumps,
    marks,
    pending_of,
    pending_values,
    shadow_of,
)
from almanac.sync.decide import (
    Action,
    AddPending,
    DropPending,
    Notify,
    Pending,
    ReplacePending,
    ServerState,
    SetShadow,
    local_edit,
    on_pull,
    view,
)
from almanac.sync.protocol import ConflictRecord, Kind, Op, RecordChange

BULK_WAL_PAGES = 16_384
"""``checkpoints_deferred``: 64 MiB of WAL at most (~15 push waves) between checkpoints."""
SHADOW_READS = 500
"""After this many ``shadow()`` lookups the ids of all shadows are kept in memory."""


class LocalStore:
    """The encrypted local store of one profile (see the module docstring)."""

    def __init__(self, db: Database):
        self._db = db
        self.path = db.path
        self._batch = Batch()  # shadows and item refreshes held for one bulk write
        self._shadow_reads = 0
        # Ids that may have outbox rows (a superset): pending_for() of any other is [].
        self._queued: set[str] | None = None
        self._changes = Changes(db.conn)

    # -- opening ------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, key: bytes) -> LocalStore:
        """A new, empty store at ``path`` (``FileExistsError`` if there is one)."""
        if path.exists():
            raise FileExistsError(path)
        return cls(Database.open(path, key, create=True))

    @classmethod
    def open(cls, path: Path, key: bytes) -> LocalStore:
        """Open the store at ``path``; ``StoreDamaged`` when it does not pass the check."""
        db = Database.open(path, key, create=False)
        try:
            reason = open_check(db.conn, path)
            if reason is not None:
                raise StoreDamaged(path, reason)
        except BaseException:
            db.close()
            raise
        return cls(db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def checkpoints_deferred(self) -> AbstractContextManager[None]:
        """Bulk writes in several commits (a push's waves): the WAL is copied into the
        database every ``BULK_WAL_PAGES`` pages instead of every 1,000 (``Database``)."""
        return self._db.checkpoints_deferred(BULK_WAL_PAGES)

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt the store with ``new_key`` (every page; the outbox is untouched)."""
        self._db.rekey(new_key)

    @property
    def schema_version(self) -> int:
        return self._db.schema_version

    @property
    def changes(self) -> int:
        """A cheap counter of changes to the records (``almanac.store.changes``): equal values
        mean nothing the person sees changed in between, here or in another process.

        Under the connection's lock, as every other use of it should be (one snapshot; the
        triggers call no Python, so a use without it waits but cannot deadlock)."""
        with self._db.reading():
            return self._changes.count()

    def transaction(self) -> AbstractContextManager[None]:
        """Group several writes in one commit (nests: an inner failure undoes the inner part).
        The items touched are refreshed once, just before the outermost commit."""
        return self._transaction()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        outermost = not self._db.in_transaction
        if not outermost:  # the savepoint holds only its own work, so a rollback is exact
            self._batch.refresh(self._conn)
        try:
            with self._db.transaction():
                yield
                if outermost:
                    self._batch.refresh(self._conn)
        except BaseException:
            self._batch.rolled_back(outermost)
            self._changes.rolled_back()
            raise

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A transaction of its own, or none inside the caller's (no savepoint: a failure
        fails the caller's transaction)."""
        if self._db.in_transaction:
            yield
        else:
            with self._transaction():
                yield

    def _flush(self) -> None:
        """Write what the batch holds, so that reads of items see it."""
        if not self._batch.empty:
            with self._writing():
                self._batch.refresh(self._conn)

    @property
    def _conn(self) -> Any:
        return self._db.conn

    # -- meta ---------------------------------------------------------------------------

    def get_meta(self, name: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, name: str, value: str | None) -> None:
        with self.transaction():
            if value is None:
                self._conn.execute("DELETE FROM meta WHERE name = ?", (name,))
            else:
                self._conn.execute(
                    "INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value)
                )

    @property
    def cursor(self) -> int:
        value = self.get_meta("cursor")
        return int(value) if value else 0

    @cursor.setter
    def cursor(self, value: int) -> None:
        self.set_meta("cursor", str(int(value)))

    # -- what the person sees ---------------------------------------------------------------

    @guard
    def get(self, record_id: UUID) -> Item | None:
        self._flush()
        row = self._conn.execute(
            f"SELECT {ITEM_COLUMNS} FROM items WHERE id = ?", (str(record_id),)
        ).fetchone()
        return None if row is None else item_of(row)

    @guard
    def resolve_id(self, text: str, kind: str | None = None) -> UUID:
        """The live item whose id is ``text`` or starts with it (at least 4 hex digits);
        ``NotFound`` when none, ``InvalidInput("id")`` when malformed or ambiguous."""
        self._flush()
        prefix = notes.id_prefix(text, "record")
        sql = "SELECT id FROM items WHERE deleted = 0 AND id >= ? AND id < ?"
        args: list[Any] = [prefix, search.prefix_end(prefix)]
        if kind is not None:
            sql += " AND kind = ?"
            args.append(kind)
        found = [row[0] for row in self._conn.execute(sql + " LIMIT 2", args)]
        if not found:
            raise NotFound(kind or "record", text)
        if len(found) > 1:
            raise InvalidInput.one(
                "id", f"id {text!r} matches more than one record: give more of it.", "ambiguous"
            )
        return UUID(found[0])

    @guard
    def list(
        self,
        kind: str,
        q: str | None = None,
        filters: Mapping[str, str] | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> ItemPage:
        """A page of live items of ``kind`` in pinyin order, found by ``q`` and ``filters``
        under the server's conditions (``search``)."""
        check_kind(kind)
        if not 1 <= limit <= search.MAX_LIMIT:
            raise InvalidInput.one(
                "limit",
                f"limit must be between 1 and {search.MAX_LIMIT}, not {limit}.",
                "out_of_range",
            )
        start = search.decode_cursor(after) if after else None
        conds = search.conditions(kind, q, filters)
        self._flush()
        with self._db.reading():  # one snapshot: a chunk committed meanwhile is not seen twice
            if index.unindexed(self._conn, kind):
                keys = fallback.merge(
                    search.page_keys(self._conn, kind, conds, limit + 1, start, partial=True),
                    fallback.scan(self._conn, kind, conds, limit + 1, start),
                    limit + 1,
                )
            else:
                keys = search.page_keys(self._conn, kind, conds, limit + 1, start)
            items = self._items([k[1] for k in keys[:limit]])
        more = len(keys) > limit
        last = keys[limit - 1] if more else None
        return ItemPage(items, search.encode_cursor(*last) if last is not None else None)

    def _items(self, ids: Sequence[str]) -> builtins.list[Item]:
        found: dict[str, Item] = {}
        for part in chunks(ids):
            rows = self._conn.execute(
                f"SELECT {ITEM_COLUMNS} FROM items WHERE id IN ({marks(len(part))})", list(part)
            )
            found.update((row[0], item_of(row)) for row in rows)
        return [found[i] for i in ids if i in found]

    @guard
    def count(self, kind: str | None = None) -> int:
        """Live items (of ``kind``)."""
        self._flush()
        if kind is None:
            row = self._conn.execute("SELECT count(*) FROM items WHERE deleted = 0").fetchone()
        else:
            row = self._conn.execute(
                "SELECT count(*) FROM items WHERE kind = ? AND deleted = 0", (kind,)
            ).fetchone()
        return int(row[0])

    @guard
    def live_as_written(self, ids: Iterable[UUID] | None = None) -> int:
        """Live items in the ``items`` table as written, without first writing what the
        transaction holds: inside a pull's transaction, the records as they were before the
        pull (its items are written at the commit). ``ids``: among those only."""
        sql = "SELECT count(*) FROM items WHERE deleted = 0"
        if ids is None:
            return int(self._conn.execute(sql).fetchone()[0])
        keys, total = [str(i) for i in ids], 0
        for part in chunks(keys):
            found = self._conn.execute(f"{sql} AND id IN ({marks(len(part))})", list(part))
            total += int(found.fetchone()[0])
        return total

    @guard
    def waiting(self) -> int:
        """How many items wait for their search index (a bulk pull deferred it)."""
        self._flush()
        return index.waiting(self._conn)

    @guard
    def index_step(self, limit: int = STEP) -> int:
        """Index up to ``limit`` waiting items in one transaction; returns how many (0: the
        index is complete). ``builder.IndexBuilder`` does the same on a connection of its own,
        off the thread that searches."""
        with self.transaction():
            self._batch.refresh(self._conn)
            return index.index_step(self._conn, limit)

    @guard
    def reindex(self) -> int:
        """Index every item whose terms a bulk pull deferred; returns how many."""
        done = 0
        with self.transaction():
            self._flush()
            for kind in KINDS:
                done += index.ensure_indexed(self._conn, kind)
        return done

    # -- edits --------------------------------------------------------------------------

    @guard
    def edit(
        self,
        op: Op,
        kind: str,
        record_id: UUID,
        changes: Mapping[str, Any],
        resolves: Sequence[UUID] = (),
    ) -> Item | None:
        """One edit by the person, in one transaction: validated (``InvalidInput`` naming the
        field; nothing changes), references and unique values checked, queued (compacted
        with unsent edits of the record). Returns the item after the edit."""
        check_kind(kind)
        with self.transaction():
            self._flush()
            shadow = self.shadow(record_id)
            pending = self.pending_for(record_id)
            now = view(shadow, pending)
            if op != "create" and (now is None or now.deleted or now.kind != kind):
                raise NotFound(kind, record_id)
            if op == "create" and now is not None:
                raise InvalidInput.one("id", f"a record with id {record_id} exists.", "exists")
            fields: dict[str, Any] = {}
            if op == "create":
                model = validate_content(kind, changes)
                check_references(self._conn, kind, model)
            elif op == "update":
                assert now is not None
                model = apply_patch(kind, load_content(kind, now.content), changes)
                check_references(self._conn, kind, model, {str(k) for k in changes})
            if op != "delete":
                check_unique(self._conn, kind, model, record_id)
                fields = dump_content(model)
            actions = local_edit(
                op,
                fields,
                record_id=record_id,
                kind=cast(Kind, kind),
                mutation_id=uuid4(),
                shadow=shadow,
                pending=pending,
                resolves=resolves,
                whole=True,  # a field the new content leaves out went back to its default
            )
            self.apply(actions)
        return self.get(record_id)

    # -- sync support -------------------------------------------------------------------

    @guard
    def shadow(self, record_id: UUID) -> ServerState | None:
        batch = self._batch
        held = batch.shadow(record_id)
        if held is not None:
            return held
        if batch.shadow_ids is None:
            self._shadow_reads += 1
            if self._shadow_reads > SHADOW_READS:  # a bulk pull: keep the ids in memory
                ids = self._conn.execute("SELECT id FROM shadows")
                batch.shadow_ids = {UUID(row[0]) for row in ids}
        if batch.shadow_ids is not None and record_id not in batch.shadow_ids:
            return None
        row = self._conn.execute(
            f"SELECT {SHADOW_COLUMNS} FROM shadows WHERE id = ?", (str(record_id),)
        ).fetchone()
        return None if row is None else shadow_of(row)

    @guard
    def pending_for(self, record_id: UUID) -> builtins.list[Pending]:
        key = str(record_id)
        if self._queued is None:
            self._queued = {r[0] for r in self._conn.execute("SELECT record_id FROM outbox")}
        if key not in self._queued:
            return []
        rows = self._conn.execute(
            f"SELECT {OUTBOX_COLUMNS} FROM outbox WHERE record_id = ? ORDER BY seq", (key,)
        )
        return [pending_of(row) for row in rows]

    @guard
    def outbox(self, limit: int | None = None) -> builtins.list[Pending]:
        """Pending mutations, oldest first."""
        sql = f"SELECT {OUTBOX_COLUMNS} FROM outbox ORDER BY seq"
        rows = (
            self._conn.execute(sql + " LIMIT ?", (limit,))
            if limit is not None
            else self._conn.execute(sql)
        )
        return [pending_of(row) for row in rows]

    def outbox_size(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def outbox_counts(self) -> tuple[int, int]:
        """(pending mutations, pending deletes), without reading the mutations."""
        row = self._conn.execute(
            "SELECT count(*), coalesce(sum(json_extract(mutation, '$.op') = 'delete'), 0)"
            " FROM outbox"
        ).fetchone()
        return int(row[0]), int(row[1])

    @guard
    def push_heads(self, limit: int, skip: Collection[UUID] = ()) -> builtins.list[Pending]:
        """The next mutations to push: the oldest pending mutation of each record, oldest
        first, at most ``limit`` (``decide.push_batch`` of the outbox, without reading it
        all: a push of 10,000 edits read it 20 times). ``skip``: records left out (those
        whose mutation is on its way to the server: their next one waits for its answer)."""
        return [pending_of(row) for row in wave.heads(self._conn, limit, skip)]

    @guard
    def take_wave(self, limit: int, skip: Collection[UUID] = ()) -> builtins.list[Pending]:
        """``push_heads`` marked sent, in one transaction (the caller's, if any, which must
        commit before the wave goes out); returned as sent."""
        with self._writing():
            return wave.take(self._conn, limit, skip)

    @guard
    def push_context(
        self, batch: Sequence[Pending]
    ) -> tuple[dict[UUID, ServerState], dict[UUID, builtins.list[Pending]]]:
        """The shadows and the pending edits of a sent wave's records, read in bulk (``shadow``
        and ``pending_for`` of each; ``wave.context``: a shadow's content is parsed only if
        read)."""
        held: dict[UUID, ServerState] = {}
        if self._batch.pending_shadows:  # set earlier in this transaction, not written yet
            for entry in batch:
                state = self._batch.shadow(entry.record_id)
                if state is not None:
                    held[entry.record_id] = state
        return wave.context(self._conn, batch, held)

    @guard
    def apply_results(self, actions: Sequence[Action]) -> builtins.list[Notify]:
        """``apply`` for the ``on_result`` actions of a push wave: the answered mutations
        are dropped in bulk first (no other action of a wave writes their rows; if one
        would, the actions are applied one by one)."""
        drops = [str(a.mutation_id) for a in actions if isinstance(a, DropPending)]
        made = {
            str(a.pending.mutation_id)
            for a in actions
            if isinstance(a, (AddPending, ReplacePending))
        }
        if made.intersection(drops):
            return self.apply(actions)
        with self._writing():
            self._batch.touch(wave.drop(self._conn, drops), changed=False)
            return self.apply([a for a in actions if not isinstance(a, DropPending)])

    def mark_sent(self, mutation_ids: Sequence[UUID]) -> None:
        """Mark mutations as sent (committed before the push goes out: from now on they are
        frozen, since the server may apply them)."""
        with self.transaction():
            for part in chunks([str(m) for m in mutation_ids]):
                where = f"mutation_id IN ({marks(len(part))})"
                self._conn.execute(f"UPDATE outbox SET sent = 1 WHERE {where}", list(part))

    def _queue(self, record_id: UUID) -> None:
        if self._queued is not None:
            self._queued.add(str(record_id))

    @guard
    def apply(self, actions: Iterable[Action]) -> builtins.list[Notify]:
        """Apply ``decide`` actions in order (in the current transaction, or one of its own),
        refresh the touched items; returns the ``Notify`` actions."""
        conn, batch = self._conn, self._batch
        notes: builtins.list[Notify] = []
        with self._writing():
            for action in actions:
                if isinstance(action, SetShadow):
                    state = action.state
                    batch.set_shadow(state, dumps(dict(state.content)))
                elif isinstance(action, AddPending):
                    self._queue(action.pending.record_id)
                    conn.execute(
                        "INSERT INTO outbox (mutation_id, record_id, mutation, previous, sent)"
                        " VALUES (?, ?, ?, ?, ?)",
                        pending_values(action.pending),
                    )
                    batch.touch([action.pending.record_id], changed=False)
                elif isinstance(action, ReplacePending):
                    self._queue(action.pending.record_id)
                    conn.execute(
                        "UPDATE outbox SET mutation_id = ?, record_id = ?, mutation = ?,"
                        " previous = ?, sent = ? WHERE mutation_id = ?",
                        (*pending_values(action.pending), str(action.mutation_id)),
                    )
                    batch.touch([action.pending.record_id], changed=False)
                elif isinstance(action, DropPending):
                    row = conn.execute(
                        "DELETE FROM outbox WHERE mutation_id = ? RETURNING record_id",
                        (str(action.mutation_id),),
                    ).fetchone()
                    if row is not None:
                        batch.touch([UUID(row[0])], changed=False)
                elif isinstance(action, Notify):
                    notes.append(action)
        return notes

    @guard
    def apply_pulled(self, changes: Sequence[RecordChange]) -> builtins.list[Notify]:
        """A page of pulled changes at once: ``decide.on_pull`` for each (against the shadows
        and pending edits read in bulk), the actions applied — the same as calling ``apply``
        per change, at a fraction of the cost (a first sync pulls 20,000)."""
        ids = [str(c.id) for c in changes]
        batch = self._batch
        with self._writing():
            shadows = index.shadows_of_ids(self._conn, ids)
            for change in changes:  # shadows set earlier in this transaction, not written yet
                held = batch.shadow(change.id)
                if held is not None:
                    shadows[change.id] = held
            pending = index.pending_of_ids(self._conn, ids)
            actions: builtins.list[Action] = []
            for change in changes:
                known = shadows.get(change.id)
                queued = pending.get(change.id)
                if not queued:  # no pending edit: on_pull would only set the shadow
                    if known is None or change.version > known.version:
                        state = ServerState.from_change(change, known)
                        shadows[change.id] = state
                        batch.set_shadow(state, dumps(dict(state.content)))
                    continue
                for action in on_pull(change, known, queued):
                    if isinstance(action, SetShadow):
                        shadows[change.id] = action.state  # a page lists a record once
                    actions.append(action)
            return self.apply(actions)

    def add_pending(self, entries: Sequence[Pending]) -> None:
        """Re-queue salvaged edits (their mutation ids kept; ids already queued are skipped)."""
        for entry in entries:
            self._queue(entry.record_id)
        with self.transaction():
            self._conn.executemany(
                "INSERT OR IGNORE INTO outbox (mutation_id, record_id, mutation, previous, sent)"
                " VALUES (?, ?, ?, ?, ?)",
                [pending_values(e) for e in entries],
            )
            self._batch.touch((e.record_id for e in entries), changed=False)

    @guard
    def known_ids(self) -> set[UUID]:
        self._flush()
        return {UUID(row[0]) for row in self._conn.execute("SELECT id FROM shadows")}

    def forget(self, record_ids: Iterable[UUID]) -> None:
        """Drop the shadows of records the server no longer has (their pending edits stay)."""
        ids = list(dict.fromkeys(record_ids))
        with self.transaction():
            self._batch.write_shadows(self._conn)
            self._conn.executemany("DELETE FROM shadows WHERE id = ?", [(str(i),) for i in ids])
            self._batch.touch(ids)

    # -- conflicts and notices (``notes``) -------------------------------------------------

    def put_conflicts(self, conflicts: Iterable[ConflictRecord]) -> None:
        """Store the server's conflicts (upsert by id)."""
        with self.transaction():
            notes.put_conflicts(self._conn, conflicts)

    def conflicts(self, resolved: bool | None = False) -> builtins.list[ConflictRecord]:
        return notes.conflicts(self._conn, resolved)

    def conflict(self, text: str) -> ConflictRecord:
        """The stored conflict whose id is ``text`` or starts with it (≥ 4 hex digits)."""
        return notes.conflict(self._conn, text)

    def add_notices(self, notices: Iterable[Notify]) -> None:
        with self.transaction():
            notes.add_notices(self._conn, notices)

    def notices(self, limit: int = 50) -> builtins.list[dict[str, Any]]:
        """The latest notices, newest first (each with ``at``, its time)."""
        return notes.notices(self._conn, limit)


@contextmanager
def opened(path: Path, key: bytes) -> Iterator[LocalStore]:
    """``LocalStore.open`` as a context manager."""
    store = LocalStore.open(path, key)
    try:
        yield store
    finally:
        store.close()


__all__ = ["Item", "ItemPage", "LocalStore", "opened"]
