"""Stored conflicts and notices of the local store (issue 3 §3: the person sees conflicts
and can settle them; what sync told them stays readable)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from almanac.errors import InvalidInput, NotFound
from almanac.store.rows import dumps, notice_body
from almanac.store.search import prefix_end
from almanac.sync.decide import Notify
from almanac.sync.protocol import ConflictRecord

HEX = frozenset("0123456789abcdef-")


def id_prefix(text: str, what: str) -> str:
    """A full id or its first ≥ 4 hex digits, lower-case; ``InvalidInput("id")``."""
    prefix = text.strip().lower()
    if len(prefix.replace("-", "")) < 4 or not set(prefix) <= HEX or len(prefix) > 36:
        raise InvalidInput.one(
            "id", f"id must be a {what} id or at least its first 4 hex digits.", "invalid_id"
        )
    return prefix


def put_conflicts(conn: Any, conflicts: Iterable[ConflictRecord]) -> None:
    rows = [
        (str(c.id), str(c.record_id), int(c.resolved), c.change_no, c.model_dump_json())
        for c in conflicts
    ]
    conn.executemany(
        "INSERT OR REPLACE INTO conflicts (id, record_id, resolved, change_no, body)"
        " VALUES (?, ?, ?, ?, ?)",
        rows,
    )


def conflicts(conn: Any, resolved: bool | None) -> list[ConflictRecord]:
    sql = "SELECT body FROM conflicts"
    args: tuple[Any, ...] = ()
    if resolved is not None:
        sql += " WHERE resolved = ?"
        args = (int(resolved),)
    rows = conn.execute(sql + " ORDER BY change_no, id", args)
    return [ConflictRecord.model_validate_json(row[0]) for row in rows]


def conflict(conn: Any, text: str) -> ConflictRecord:
    prefix = id_prefix(text, "conflict")
    rows = conn.execute(
        "SELECT body FROM conflicts WHERE id >= ? AND id < ? LIMIT 2",
        (prefix, prefix_end(prefix)),
    ).fetchall()
    if not rows:
        raise NotFound("conflict", text)
    if len(rows) > 1:
        raise InvalidInput.one(
            "id", f"id {text!r} matches more than one conflict: give more of it.", "ambiguous"
        )
    return ConflictRecord.model_validate_json(rows[0][0])


def add_notices(conn: Any, notices: Iterable[Notify]) -> None:
    at = datetime.now(UTC).isoformat()
    conn.executemany(
        "INSERT INTO notices (created_at, body) VALUES (?, ?)",
        [(at, dumps(notice_body(n))) for n in notices],
    )


def notices(conn: Any, limit: int) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT created_at, body FROM notices ORDER BY seq DESC LIMIT ?", (limit,))
    return [{"at": row[0], **json.loads(row[1])} for row in rows]
