"""What a local edit must pass before it is queued: the model's validation, references to
records this device has (live, of the right kind), unique values (group names) — the checks
the server makes, so that an edit accepted offline is not rejected at sync."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from almanac.errors import Duplicate, FieldProblem, InvalidInput
from almanac.model import KINDS, dump_content, references, unique_terms
from almanac.store.index import ensure_indexed
from almanac.store.rows import chunks, marks


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        known = ", ".join(KINDS)
        raise InvalidInput.one("kind", f"kind {kind!r} is not one of {known}.", "not_a_choice")


def check_references(
    conn: Any, kind: str, content: BaseModel, fields: set[str] | None = None
) -> None:
    """Each record the content points at is a live item here of the named kind; ``fields``:
    check only references from these top-level fields (an update checks what it changes, so a
    link the server will unlink at the next sync does not block another edit)."""
    refs = [
        ref
        for ref in references(kind, content)
        if fields is None or ref.field.split(".")[0] in fields
    ]
    wanted = sorted({str(ref.id) for ref in refs})
    found: set[tuple[str, str]] = set()
    for part in chunks(wanted):
        rows = conn.execute(
            f"SELECT kind, id FROM items WHERE deleted = 0 AND id IN ({marks(len(part))})",
            list(part),
        )
        found.update((row[0], row[1]) for row in rows)
    problems = [
        FieldProblem(
            ref.field, f"{ref.field} names an unknown {ref.kind} {ref.id}.", "unknown_reference"
        )
        for ref in refs
        if (ref.kind, str(ref.id)) not in found
    ]
    if problems:
        raise InvalidInput(problems)


def check_unique(conn: Any, kind: str, content: BaseModel, record_id: UUID) -> None:
    """No other live item of ``kind`` holds one of the content's unique terms."""
    wanted = unique_terms(kind, content)
    if not wanted:
        return
    ensure_indexed(conn, kind)
    for term, field in wanted.items():
        taken = conn.execute(
            "SELECT 1 FROM terms WHERE kind = ? AND term = ? AND record_id != ? LIMIT 1",
            (kind, term, str(record_id)),
        ).fetchone()
        if taken is not None:
            value = dump_content(content).get(field)
            raise Duplicate(field, value, f"{field} {value!r} is already used by another {kind}.")


def changed_fields(changes: Mapping[str, Any]) -> set[str]:
    return {str(name) for name in changes}
