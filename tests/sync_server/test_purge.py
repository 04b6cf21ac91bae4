"""Tombstone purge and resync (issue 3 §3 "a cursor the server can no longer serve answers
'resync required'"; R8, R13; docs/sync.md "Purge and resync"): tombstones older than
``ALMANAC_TOMBSTONE_DAYS`` go with their history and conflicts; a pull from below the purge
must start over; the app purges at start-up."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from almanac.server.app import create_app
from almanac.server.db.tables import applied_mutations, record_conflicts, record_versions, records
from almanac.server.sync import purge
from api.support import Person, cheap_settings, new_person

from .support import last_cursor, mutation, new_contact, pull_page, push

LATER = datetime.now(UTC) + timedelta(days=91)


def count(engine: sa.Engine, table: sa.Table, column: sa.Column[str], value: object) -> int:
    with engine.connect() as conn:
        query = sa.select(sa.func.count()).select_from(table).where(column == value)
        return int(conn.execute(query).scalar_one())


def engine_of(app: FastAPI) -> sa.Engine:
    engine: sa.Engine = app.state.ctx.engine
    return engine


def test_old_tombstones_go_and_an_older_cursor_must_resync(person: Person, app: FastAPI) -> None:
    engine = engine_of(app)
    kept, gone = new_contact(person), new_contact(person)
    # A conflict on the record that will be deleted: purged with it.
    rid = gone["id"]
    push(person, mutation("update", rid, base_version=1, changes={"company": "腾讯"}))
    push(person, mutation("update", rid, base_version=1, changes={"company": "百度"}))
    early = gone["change_no"]  # a device that synced before the delete
    [deleted] = push(person, mutation("delete", rid, base_version=3))
    assert deleted["record"]["deleted"] is True
    synced = last_cursor(person)  # a device that saw the delete
    assert purge(engine, 90, owner_ids=[person.user_id]).tombstones == 0  # too recent
    report = purge(engine, 90, now=LATER, owner_ids=[person.user_id])
    assert report.tombstones == 1
    assert count(engine, records, records.c.id, rid) == 0
    assert count(engine, record_versions, record_versions.c.record_id, rid) == 0
    assert count(engine, record_conflicts, record_conflicts.c.record_id, rid) == 0
    assert count(engine, applied_mutations, applied_mutations.c.owner_id, person.user_id) == 0
    assert count(engine, records, records.c.id, kept["id"]) == 1
    stale = pull_page(person, early)
    assert stale == {**stale, "resync_required": True, "changes": [], "conflicts": []}
    assert pull_page(person, synced)["resync_required"] is False
    fresh = pull_page(person, 0)
    assert fresh["resync_required"] is False
    assert {c["id"] for c in fresh["changes"]} == {kept["id"]}
    assert fresh["next_cursor"] == synced


def test_a_purge_touches_only_the_people_asked_for(
    person: Person, make_person: object, app: FastAPI
) -> None:
    engine = engine_of(app)
    other: Person = make_person()  # type: ignore[operator]
    for who in (person, other):
        record = new_contact(who)
        push(who, mutation("delete", record["id"], base_version=1))
    assert purge(engine, 90, now=LATER, owner_ids=[person.user_id]).tombstones == 1
    assert pull_page(other, 1)["resync_required"] is False
    assert pull_page(person, 1)["resync_required"] is True


def test_the_app_purges_at_start_up(database_url: str, tmp_path: Path) -> None:
    """The lifespan runs the purge when the server starts (and daily after)."""
    app = create_app(cheap_settings(tmp_path, database_url, tombstone_days=30))
    engine = engine_of(app)
    with TestClient(app) as client:
        person = new_person(client)
        record = new_contact(person)
        push(person, mutation("delete", record["id"], base_version=1))
    with engine.begin() as conn:
        conn.execute(
            sa.update(records)
            .where(records.c.id == record["id"])
            .values(updated_at=datetime.now(UTC) - timedelta(days=31))
        )
    with TestClient(app) as client:
        deadline = time.monotonic() + 10
        while count(engine, records, records.c.id, record["id"]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert count(engine, records, records.c.id, record["id"]) == 0
        assert pull_page(Person(**{**person.__dict__, "client": client}), 1)["resync_required"]


@pytest.mark.parametrize("days", [0, -1])
def test_tombstone_days_must_be_positive(days: int, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="tombstone_days"):
        cheap_settings(tmp_path, "sqlite://", tombstone_days=days)
