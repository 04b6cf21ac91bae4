"""Rows of the local store ⇄ the sync module's values (``ServerState``, ``Pending``), as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, cast
from uuid import UUID

from almanac.sync.decide import Notify, Pending, ServerState
from almanac.sync.protocol import Kind, Mutation

CHUNK = 500
"""Ids per ``IN (…)`` list (SQLite's default limit on parameters is far above)."""


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(value: Any) -> str:
    """Compact JSON, text as it is (one encoder for all: ``json.dumps`` with options builds a
    new one per call, a third of its cost on a small record)."""
    return _ENCODER.encode(value)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(n: int) -> str:
    return ",".join("?" * n)


class JsonObject(Mapping[str, Any]):
    """A JSON object's text, parsed on first use: a push wave reads 500 shadows for their
    version and takes 500 outbox entries whose ``previous`` its answers never read."""

    __slots__ = ("_text", "_value")

    def __init__(self, text: str) -> None:
        self._text = text
        self._value: dict[str, Any] | None = None

    def _data(self) -> dict[str, Any]:
        if self._value is None:
            self._value = cast(dict[str, Any], json.loads(self._text))
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())

    def __repr__(self) -> str:
        return repr(self._data())


SHADOW_COLUMNS = "id, kind, version, deleted, content"
OUTBOX_COLUMNS = "seq, mutation_id, record_id, mutation, previous, sent"


def shadow_row(state: ServerState, content_json: str | None = None) -> tuple[Any, ...]:
    text = content_json if content_json is not None else dumps(dict(state.content))
    return (str(state.record_id), state.kind, state.version, int(state.deleted), text)


def shadow_of(
    row: Sequence[Any], content: Callable[[str], Mapping[str, Any]] = json.loads
) -> ServerState:
    """A ``shadows`` row (``SHADOW_COLUMNS``); ``content`` makes its content from the JSON
    text (``JsonObject``: parsed only if read)."""
    return ServerState(UUID(row[0]), cast(Kind, row[1]), int(row[2]), bool(row[3]), content(row[4]))


def pending_values(entry: Pending) -> tuple[str, str, str, str, int]:
    """``(mutation_id, record_id, mutation, previous, sent)``."""
    return (
        str(entry.mutation_id),
        str(entry.record_id),
        entry.mutation.model_dump_json(),
        dumps(dict(entry.previous)),
        int(entry.sent),
    )


def pending_of(row: Sequence[Any]) -> Pending:
    """A ``Pending`` from an outbox row (``OUTBOX_COLUMNS``)."""
    return Pending(Mutation.model_validate_json(row[3]), json.loads(row[4]), sent=bool(row[5]))


def group_pending(rows: Iterable[Sequence[Any]]) -> dict[UUID, list[Pending]]:
    found: dict[UUID, list[Pending]] = {}
    for row in rows:
        entry = pending_of(row)
        found.setdefault(entry.record_id, []).append(entry)
    return found


def notice_body(notify: Notify) -> dict[str, Any]:
    return {
        "record_id": str(notify.record_id),
        "kind": notify.kind,
        "what": notify.what,
        "conflicts": [c.model_dump(mode="json") for c in notify.conflicts],
        "notices": list(notify.notices),
        "error": None if notify.error is None else notify.error.model_dump(mode="json"),
    }


def as_mapping(value: Any) -> Mapping[str, Any]:
    return cast(Mapping[str, Any], value)
