"""An edit back to a field's default is saved by the local store and queued as a reset
(``null``) — removing the last reminder, all phones, a birthday's reminders (R8, R14: nothing
typed is lost; docs/sync.md "Resets")."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from almanac.model import apply_patch, dump_content, load_content
from almanac.store.local import LocalStore

from .support import contact, pull, server_state

REMINDER = {"days_before": 1, "at": "09:00"}
HOLIDAY = {
    "name": "结婚纪念日",
    "date": {"calendar": "solar", "month": 5, "day": 20},
    "reminders": [REMINDER],
}
MEMO = {"title": "交房租", "body": "月底前", "pinned": True, "reminders": [REMINDER]}
BIRTHDAY = {"name": "外婆", "date": {"calendar": "lunar", "month": 8, "day": 15}}


@pytest.mark.parametrize(
    ("kind", "data", "patch"),
    [
        ("holiday", HOLIDAY, {"reminders": []}),
        ("holiday", HOLIDAY, {"reminders": None}),
        ("memo", MEMO, {"reminders": []}),
        ("memo", MEMO, {"pinned": False}),
        ("memo", MEMO, {"body": ""}),
        ("contact", contact("钱多多", "13500001111"), {"phones": []}),
        ("birthday", {**BIRTHDAY, "reminders": [REMINDER]}, {"reminders": None}),
        ("birthday", {**BIRTHDAY, "reminders": [REMINDER]}, {"reminders": []}),
        ("birthday", {**BIRTHDAY, "reminders": []}, {"reminders": None}),
    ],
)
def test_an_edit_to_the_default_is_saved_and_queued(
    store: LocalStore, kind: str, data: dict[str, Any], patch: dict[str, Any]
) -> None:
    """The item shows the edit at once, and the queued update carries it — as a reset
    (``null``) when the model leaves the default out of the content."""
    state = server_state(kind, data, version=3)
    [record_id] = pull(store, state)
    item = store.edit("update", kind, record_id, patch)
    assert item is not None
    [name] = patch
    wanted = dump_content(apply_patch(kind, load_content(kind, state.content), patch))
    assert dump_content(load_content(kind, item.content)) == wanted
    assert wanted != dump_content(load_content(kind, state.content))
    [pending] = store.outbox()
    m = pending.mutation
    assert (m.op, m.base_version, list(m.changes)) == ("update", 3, [name])
    assert m.changes[name] == wanted.get(name)  # null: the key is gone from the content
    assert pending.previous == {name: state.content[name]}


def test_a_birthdays_no_reminder_and_default_reminder_are_both_reachable(
    store: LocalStore,
) -> None:
    """A birthday's ``null`` reminders is the same-day 09:00 default, ``[]`` no reminder."""
    record_id = uuid4()
    store.edit("create", "birthday", record_id, BIRTHDAY)
    steps: list[Any] = [[], None, [REMINDER], [], None]
    for value in steps:
        item = store.edit("update", "birthday", record_id, {"reminders": value})
        assert item is not None
        assert item.content.get("reminders") == value
    [create] = store.outbox()
    assert create.mutation.op == "create" and "reminders" not in create.mutation.changes


def test_a_reset_then_the_old_value_again_leaves_nothing_to_send(store: LocalStore) -> None:
    [record_id] = pull(store, server_state("holiday", HOLIDAY, version=2))
    store.edit("update", "holiday", record_id, {"reminders": []})
    assert len(store.outbox()) == 1
    item = store.edit("update", "holiday", record_id, {"reminders": [REMINDER]})
    assert item is not None and item.content["reminders"] == [REMINDER]
    assert store.outbox() == []


def test_a_reset_survives_reopening(store: LocalStore, db_path: Any, key: bytes) -> None:
    [record_id] = pull(store, server_state("holiday", HOLIDAY, version=2))
    store.edit("update", "holiday", record_id, {"reminders": []})
    store.close()
    again = LocalStore.open(db_path, key)
    try:
        item = again.get(record_id)
        assert item is not None and "reminders" not in item.content
        [pending] = again.outbox()
        assert pending.mutation.changes == {"reminders": None}
    finally:
        again.close()
