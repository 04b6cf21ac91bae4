"""Settling a stored conflict for a person without a device (the web pages; issue 5 §1,
R8, R14; docs/sync.md "Settling from the web"), on each test database: the choice goes
through the push path, so the person's devices pull it exactly as a device's settlement."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from fastapi import FastAPI

from almanac.errors import InvalidInput, NotFound
from almanac.server.sync import settle
from api.support import Person

from .support import last_cursor, mutation, pull_page, push, second_device
from .test_stored_conflicts import conflicts, make_conflict


def test_keep_other_is_pulled_by_the_other_devices(app: FastAPI, person: Person) -> None:
    laptop = second_device(person)
    conflict, result = make_conflict(person)
    seen = last_cursor(laptop)
    assert settle.open_count(app.state.ctx.engine, person.user_id) == 1
    done = settle.settle(app.state.ctx.engine, person.user_id, uuid.UUID(conflict["id"]), "other")
    assert done.status == "applied"
    assert done.record is not None and done.record.content["company"] == "腾讯"
    page = pull_page(laptop, seen)
    [change] = page["changes"]
    assert change["content"]["company"] == "腾讯"
    assert change["version"] == result["record"]["version"] + 1
    assert [(c["id"], c["resolved"]) for c in page["conflicts"]] == [(conflict["id"], True)]
    assert conflicts(person) == []
    assert settle.open_count(app.state.ctx.engine, person.user_id) == 0


def test_keep_kept_changes_nothing_yet_moves_the_cursor(app: FastAPI, person: Person) -> None:
    conflict, result = make_conflict(person)
    seen = last_cursor(person)
    done = settle.settle(app.state.ctx.engine, person.user_id, uuid.UUID(conflict["id"]), "kept")
    assert done.record is not None and done.record.version == result["record"]["version"]
    page = pull_page(person, seen)
    assert page["changes"] == []
    assert [(c["id"], c["resolved"]) for c in page["conflicts"]] == [(conflict["id"], True)]
    assert page["next_cursor"] > seen


def test_changed_since_follows_the_merge_rules(app: FastAPI, person: Person) -> None:
    """The kept value is no longer current: keeping the other one is a concurrent edit like
    any device's — it wins as the later arrival and the newer value becomes a new conflict."""
    conflict, result = make_conflict(person)
    rid, version = result["record"]["id"], result["record"]["version"]
    push(person, mutation("update", rid, base_version=version, changes={"company": "华为"}))
    engine = app.state.ctx.engine
    settle.settle(engine, person.user_id, uuid.UUID(conflict["id"]), "other")
    [new] = conflicts(person)
    assert (new["kept_value"], new["other_value"]) == ("腾讯", "华为")
    assert [c["id"] for c in conflicts(person, resolved=True)] == [conflict["id"]]


def test_another_persons_or_a_settled_conflict_or_a_wrong_choice(
    app: FastAPI, person: Person, make_person: Callable[[], Person]
) -> None:
    conflict, _ = make_conflict(person)
    cid, engine = uuid.UUID(conflict["id"]), app.state.ctx.engine
    stranger = make_person()
    with pytest.raises(NotFound):
        settle.settle(engine, stranger.user_id, cid, "other")
    with pytest.raises(NotFound):
        settle.settle(engine, person.user_id, uuid.uuid4(), "other")
    with pytest.raises(InvalidInput) as wrong:
        settle.settle(engine, person.user_id, cid, "mine")
    assert wrong.value.field == "keep"
    assert [c["id"] for c in conflicts(person)] == [conflict["id"]]
    settle.settle(engine, person.user_id, cid, "kept")
    with pytest.raises(settle.AlreadySettled):
        settle.settle(engine, person.user_id, cid, "other")
    assert conflicts(person) == []


def test_the_settled_ones_newest_first(app: FastAPI, person: Person) -> None:
    engine = app.state.ctx.engine
    made = [make_conflict(person)[0]["id"] for _ in range(3)]
    for cid in (made[1], made[0], made[2]):
        settle.settle(engine, person.user_id, uuid.UUID(cid), "kept")
    newest = settle.newest_settled(engine, person.user_id, 2)
    assert [str(c.id) for c in newest] == [made[2], made[0]]
    assert all(c.resolved for c in newest)
