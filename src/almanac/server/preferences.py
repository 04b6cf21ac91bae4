"""Each person's own settings on the server (R3; ``almanac.model.preferences``): the
``preferences`` table holds only the fields a person set, as JSON. A change is a patch,
settled field by field, last writer wins; bad input changes nothing."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from almanac.model.preferences import Preferences, load_stored
from almanac.server.db.tables import preferences as table

_ONE = sa.select(table.c.data, table.c.updated_at).where(table.c.user_id == sa.bindparam("user_id"))
"""One person's stored settings: built once (every page reads them), the id bound per call."""


class PreferencesStore:
    """Read and change one person's ``Preferences``."""

    def __init__(self, engine: sa.Engine):
        self._engine = engine

    def get(self, user_id: int) -> Preferences:
        return self.get_with_time(user_id)[0]

    def get_with_time(self, user_id: int) -> tuple[Preferences, datetime | None]:
        """The settings and when they last changed (``None``: never, all defaults)."""
        with self._engine.connect() as conn:
            row = conn.execute(_ONE, {"user_id": user_id}).first()
        if row is None:
            return Preferences(), None
        return parse_stored(row.data), _utc(row.updated_at)

    def update(self, user_id: int, patch: Mapping[str, Any]) -> Preferences:
        """Apply ``patch`` (``None`` resets a field) in one transaction; ``InvalidInput``
        naming the field leaves everything as it was."""
        with self._engine.begin() as conn:
            row = conn.execute(
                sa.select(table.c.data).where(table.c.user_id == user_id).with_for_update()
            ).first()
            current = load_stored(_loads(row.data)) if row else Preferences()
            changed = current.patched(patch)
            values = {
                "data": json.dumps(changed.stored(), ensure_ascii=False, sort_keys=True),
                "updated_at": datetime.now(UTC),
            }
            if row is None:
                conn.execute(sa.insert(table).values(user_id=user_id, **values))
            else:
                conn.execute(sa.update(table).where(table.c.user_id == user_id).values(**values))
        return changed


def parse_stored(text: str | None) -> Preferences:
    """The settings from the stored JSON text (``None``: none stored, all defaults)."""
    return Preferences() if text is None else load_stored(_loads(text))


def _loads(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value
