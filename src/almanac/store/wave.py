"""A push wave's reads and writes in the local store, in bulk (docs/sync.md "One sync").

A push of 10,000 edits is 20 waves of 500, and the client's work per wave runs beside the
server's: it must cost far less. So a wave is taken from the outbox and marked sent with two
statements (``take``: the heads, then ``sent = 1`` by ``seq``), and the context its answer
is decided in (``context``) reads the shadows for their **version** only — their content is
a ``JsonObject``, parsed if something looks at it: ``decide.on_result`` does only for an
answer without content (a tombstone) — and the wave's own entries are not read again.
``drop`` deletes the answered entries and returns their records in one statement a chunk.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any
from uuid import UUID

from almanac.store import index
from almanac.store.rows import OUTBOX_COLUMNS, JsonObject, chunks, marks
from almanac.sync.decide import Pending, ServerState
from almanac.sync.protocol import Mutation

HEADS = (  # in seq order, each row probed in ix_outbox_record
    f"SELECT {OUTBOX_COLUMNS} FROM outbox AS o WHERE NOT EXISTS"
    " (SELECT 1 FROM outbox AS e WHERE e.record_id = o.record_id AND e.seq < o.seq)"
)


def heads(conn: Any, limit: int, skip: Collection[UUID]) -> list[Any]:
    """The outbox rows of the oldest pending mutation of each record not in ``skip``, oldest
    first, at most ``limit`` (``decide.push_batch`` of the outbox)."""
    keys = [str(i) for i in skip]
    where = f" AND o.record_id NOT IN ({marks(len(keys))})" if keys else ""
    return list(conn.execute(f"{HEADS}{where} ORDER BY seq LIMIT ?", (*keys, limit)))


def take(conn: Any, limit: int, skip: Collection[UUID]) -> list[Pending]:
    """``heads`` marked sent (in the caller's transaction), as sent entries; their
    ``previous`` is parsed when read (an answer to them never reads it)."""
    rows = heads(conn, limit, skip)
    for part in chunks([row[0] for row in rows]):
        conn.execute(f"UPDATE outbox SET sent = 1 WHERE seq IN ({marks(len(part))})", list(part))
    return [
        Pending(Mutation.model_validate_json(row[3]), JsonObject(row[4]), sent=True) for row in rows
    ]


def context(
    conn: Any, batch: Sequence[Pending], held: Mapping[UUID, ServerState]
) -> tuple[dict[UUID, ServerState], dict[UUID, list[Pending]]]:
    """The shadows and the pending edits of a sent wave's records (``held``: shadows set in
    this transaction, not written yet). A record whose only outbox entry is the one in
    ``batch`` (nearly all) gets that entry, as sent, instead of reading it again."""
    keys = list({str(p.record_id): None for p in batch})
    shadows = index.shadows_of_ids(conn, keys, JsonObject)
    several: list[str] = []
    for part in chunks(keys):
        rows = conn.execute(
            f"SELECT record_id FROM outbox WHERE record_id IN ({marks(len(part))})"
            " GROUP BY record_id HAVING count(*) > 1",
            list(part),
        )
        several.extend(row[0] for row in rows)
    for record_id, state in held.items():
        shadows[record_id] = state
    pending = index.pending_of_ids(conn, several) if several else {}
    for entry in batch:
        if entry.record_id not in pending:
            pending[entry.record_id] = [entry if entry.sent else Pending(
                entry.mutation, entry.previous, sent=True
            )]  # fmt: skip
    return shadows, pending


def drop(conn: Any, mutation_ids: Sequence[str]) -> list[UUID]:
    """Delete the outbox entries ``mutation_ids``; returns their records."""
    touched: list[UUID] = []
    for part in chunks(mutation_ids):
        rows = conn.execute(
            f"DELETE FROM outbox WHERE mutation_id IN ({marks(len(part))}) RETURNING record_id",
            list(part),
        )
        touched.extend(UUID(row[0]) for row in rows)
    return touched
