"""What every request handler of the server shares: one ``AppContext`` per app, kept in
``app.state.ctx`` by ``almanac.server.app.create_app`` (R13, R15)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from almanac.calendar import Schedule, builtin
from almanac.model.event import zone
from almanac.server.settings import ServerSettings

if TYPE_CHECKING:
    from almanac.server.accounts import Accounts
    from almanac.server.preferences import PreferencesStore
    from almanac.server.records import RecordStore
    from almanac.server.records.indexer import Indexer


@dataclass
class AppContext:
    """The server's long-lived parts: settings, the database engine, the account manager,
    the record store, each person's settings (R3), the secret key (signs CSRF tokens), the
    official holiday schedule (the shipped years, replaced or extended by the operator's
    file), the clock the pages and the API read "now" and "today" from (``now_in``; a
    test sets a fixed one) and ``reads``: the engine as the stores use it, whose reads inside
    ``db.shared.one_connection()`` (a web page) share one connection."""

    settings: ServerSettings
    engine: sa.Engine
    reads: Any  # db.shared.SharedReads(engine): what the stores read and write through
    accounts: Accounts
    records: RecordStore
    secret_key: str
    preferences: PreferencesStore
    schedule: Schedule = field(default_factory=builtin)
    indexer: Indexer | None = None
    """The term backlog's background thread (``records.indexer``), run by the app's
    lifespan; the sync route pokes it after a push."""
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def now_in(self, zone_name: str) -> datetime:
        """The time now as a wall clock in ``zone_name`` shows it (an IANA name, checked
        before); ``.date()`` is "today" there — a person's zone, not the server's."""
        return self.clock().astimezone(zone(zone_name))
