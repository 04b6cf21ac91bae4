"""Tombstone purge (docs/sync.md "Purge and resync"): tombstones older than
``ALMANAC_TOMBSTONE_DAYS`` go, with their history and conflicts, and so do remembered push
results of the same age; the person's ``purged_change_no`` records the highest change number
removed, and a pull from below it answers ``resync_required``. ``Purger`` runs it at start-up
and once a day in a background thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from almanac.server.db.tables import (
    applied_mutations,
    record_conflicts,
    record_terms,
    record_versions,
    records,
    users,
)
from almanac.server.records.stored import now_utc
from almanac.server.records.writes import bump

log = logging.getLogger(__name__)

BATCH = 500
"""Tombstones removed per statement (bounded IN lists)."""


@dataclass(frozen=True)
class PurgeReport:
    tombstones: int
    mutations: int
    people: int


def purge(
    engine: sa.Engine,
    days: int,
    *,
    now: datetime | None = None,
    owner_ids: Iterable[int] | None = None,
) -> PurgeReport:
    """Remove tombstones whose delete is older than ``days`` days (before ``now``), their
    ``record_versions`` and ``record_conflicts``, and ``applied_mutations`` older than that;
    ``owner_ids`` limits it to those people. One transaction per person, holding their lock."""
    owner_ids = None if owner_ids is None else list(owner_ids)
    cutoff = (now or now_utc()) - timedelta(days=days)
    old = sa.and_(records.c.deleted == sa.true(), records.c.updated_at < cutoff)
    with engine.connect() as conn:
        query = sa.select(records.c.owner_id).where(old).distinct()
        if owner_ids is not None:
            query = query.where(records.c.owner_id.in_(list(owner_ids)))
        owners = sorted(int(o) for o in conn.execute(query).scalars())
    tombstones = sum(_purge_owner(engine, owner, cutoff) for owner in owners)
    mutations = _forget_mutations(engine, cutoff, owner_ids)
    if tombstones or mutations:
        log.info(
            "purge: %d tombstones of %d people, %d push results", tombstones, len(owners), mutations
        )
    return PurgeReport(tombstones, mutations, len(owners))


def _purge_owner(engine: sa.Engine, owner_id: int, cutoff: datetime) -> int:
    with engine.begin() as conn:
        bump(conn, owner_id, 0)
        found = conn.execute(
            sa.select(records.c.id, records.c.change_no).where(
                records.c.owner_id == owner_id,
                records.c.deleted == sa.true(),
                records.c.updated_at < cutoff,
            )
        ).all()
        ids = [str(row.id) for row in found]
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            for table in (record_versions, record_conflicts, record_terms):
                conn.execute(sa.delete(table).where(table.c.record_id.in_(chunk)))
            conn.execute(sa.delete(records).where(records.c.id.in_(chunk)))
        if found:
            highest = max(int(row.change_no) for row in found)
            conn.execute(
                sa.update(users)
                .where(users.c.id == owner_id, users.c.purged_change_no < highest)
                .values(purged_change_no=highest)
            )
    return len(ids)


def _forget_mutations(engine: sa.Engine, cutoff: datetime, owner_ids: Iterable[int] | None) -> int:
    where = applied_mutations.c.created_at < cutoff
    if owner_ids is not None:
        where = sa.and_(where, applied_mutations.c.owner_id.in_(list(owner_ids)))
    with engine.connect() as conn:
        any_old = conn.execute(sa.select(applied_mutations.c.owner_id).where(where).limit(1))
        if any_old.first() is None:
            return 0  # no write at all (SQLite: no write lock taken for nothing)
    with engine.begin() as conn:
        return int(conn.execute(sa.delete(applied_mutations).where(where)).rowcount)


class Purger:
    """Runs ``purge`` at start and then every ``interval`` seconds, in a daemon thread."""

    def __init__(self, engine: sa.Engine, days: int, interval: float = 86400.0) -> None:
        self.engine = engine
        self.days = days
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="tombstone-purge", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def _run(self) -> None:
        while True:
            try:
                purge(self.engine, self.days)
            except sa.exc.SQLAlchemyError:
                log.exception("tombstone purge failed; it runs again in %s s", self.interval)
            if self._stop.wait(self.interval):
                return
