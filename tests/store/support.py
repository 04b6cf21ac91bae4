"""Helpers of the local-store tests: cheap Argon2id costs and realistic Chinese records."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from almanac.model import dump_content, validate_content
from almanac.store.keys import KdfCosts
from almanac.store.local import LocalStore
from almanac.sync.decide import ServerState, SetShadow

CHEAP = KdfCosts(time_cost=1, memory_cost=1024, parallelism=1)


def contact(name: str, phone: str, **more: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": name, "phones": [{"label": "mobile", "value": phone}]}
    data.update(more)
    return data


def server_state(kind: str, data: dict[str, Any], version: int = 1, **kw: Any) -> ServerState:
    """A record as a pull delivers it (content normalised by the model, like the server's)."""
    content = dump_content(validate_content(kind, data))
    record_id = kw.pop("record_id", None) or uuid4()
    return ServerState(record_id, kind, version, kw.pop("deleted", False), content)  # type: ignore[arg-type]


def pull(store: LocalStore, *states: ServerState) -> list[UUID]:
    """Apply states as a pull would (no pending edits in the way)."""
    store.apply([SetShadow(s) for s in states])
    return [s.record_id for s in states]
