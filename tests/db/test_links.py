"""References between records and unique names (R4 groups and contacts, R6 birthdays):
unknown targets are refused, names are unique per person, deletes unlink what pointed at
the deleted record — each linked record gets a new version and change number."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from almanac.errors import Duplicate, InvalidInput, VersionConflict
from almanac.server.records import RecordStore


def test_unknown_group_is_refused_and_nothing_stored(
    store: RecordStore, new_owner: Callable[[], int]
) -> None:
    owner = new_owner()
    family = store.create(owner, "group", {"name": "家人"})
    ghost = uuid.uuid4()
    with pytest.raises(InvalidInput) as info:
        store.create(owner, "contact", {"name": "张三", "groups": [str(ghost)]})
    assert info.value.field == "groups.0" and info.value.code == "unknown_reference"
    assert str(ghost) in info.value.message
    with pytest.raises(InvalidInput) as info:
        store.create(owner, "contact", {"name": "张三", "groups": [str(family.id), str(ghost)]})
    assert info.value.field == "groups.1"
    assert store.list(owner, "contact").items == []
    assert store.last_change_no(owner) == 1
    contact = store.create(owner, "contact", {"name": "张三"})
    with pytest.raises(InvalidInput) as info:
        store.update(owner, "contact", contact.id, {"groups": [str(ghost)]})
    assert info.value.field == "groups.0"
    assert store.get(owner, "contact", contact.id) == contact


def test_references_must_be_the_owners_live_records_of_that_kind(
    store: RecordStore, new_owner: Callable[[], int]
) -> None:
    alice, bob = new_owner(), new_owner()
    alices_group = store.create(alice, "group", {"name": "家人"})
    memo = store.create(bob, "memo", {"title": "不是分组"})
    gone = store.create(bob, "group", {"name": "旧分组"})
    store.delete(bob, "group", gone.id)
    for wrong in (alices_group.id, memo.id, gone.id):
        with pytest.raises(InvalidInput) as info:
            store.create(bob, "contact", {"name": "李四", "groups": [str(wrong)]})
        assert info.value.field == "groups.0"
    with pytest.raises(InvalidInput) as info:
        store.create(
            bob,
            "birthday",
            {"name": "李四", "contact_id": str(memo.id), "date": {"month": 1, "day": 1}},
        )
    assert info.value.field == "contact_id"
    assert store.list(bob, "contact").items == [] and store.list(bob, "birthday").items == []


def test_group_names_are_unique_per_person(
    store: RecordStore, new_owner: Callable[[], int]
) -> None:
    alice, bob = new_owner(), new_owner()
    store.create(alice, "group", {"name": "同事"})
    with pytest.raises(Duplicate) as info:
        store.create(alice, "group", {"name": " 同事 "})
    assert info.value.field == "name"
    store.create(bob, "group", {"name": "同事"})  # another person may use the same name
    friends = store.create(alice, "group", {"name": "Friends"})
    with pytest.raises(Duplicate):
        store.create(alice, "group", {"name": "FRIENDS"})
    with pytest.raises(Duplicate):
        store.update(alice, "group", friends.id, {"name": "同事"})
    assert store.update(alice, "group", friends.id, {"name": "friends"}).version == 2
    assert sorted(r.public()["name"] for r in store.list(alice, "group").items) == [
        "friends",
        "同事",
    ]
    store.delete(alice, "group", friends.id)
    assert store.create(alice, "group", {"name": "Friends"}).version == 1


def test_deleting_a_group_takes_it_out_of_every_contact(
    store: RecordStore, new_owner: Callable[[], int]
) -> None:
    owner = new_owner()
    family = store.create(owner, "group", {"name": "家人"})
    work = store.create(owner, "group", {"name": "同事"})
    both = store.create(
        owner, "contact", {"name": "张三", "groups": [str(family.id), str(work.id)]}
    )
    only = store.create(owner, "contact", {"name": "李四", "groups": [str(family.id)]})
    other = store.create(owner, "contact", {"name": "王五", "groups": [str(work.id)]})
    before = store.last_change_no(owner)

    tomb = store.delete(owner, "group", family.id)

    after_both = store.get(owner, "contact", both.id)
    after_only = store.get(owner, "contact", only.id)
    assert after_both.public()["groups"] == [str(work.id)] and after_both.version == 2
    assert after_only.public()["groups"] == [] and after_only.version == 2
    assert store.get(owner, "contact", other.id) == other
    changes = store.changes_since(owner, before)
    assert [c.id for c in changes] == [*sorted([both.id, only.id], key=str), family.id]
    assert [c.change_no for c in changes] == [before + 1, before + 2, before + 3]
    assert tomb.change_no == before + 3
    found = store.list(owner, "contact", filters={"group": str(family.id)})
    assert found.items == []
    in_work = store.list(owner, "contact", filters={"group": str(work.id)})
    assert {r.id for r in in_work.items} == {both.id, other.id}


def test_deleting_a_contact_unlinks_its_birthdays(
    store: RecordStore, new_owner: Callable[[], int]
) -> None:
    owner = new_owner()
    contact = store.create(owner, "contact", {"name": "张三"})
    linked = store.create(
        owner,
        "birthday",
        {"name": "张三", "contact_id": str(contact.id), "date": {"month": 3, "day": 8}},
    )
    unlinked = store.create(owner, "birthday", {"name": "李四", "date": {"month": 4, "day": 1}})
    assert [
        r.id for r in store.list(owner, "birthday", filters={"contact": str(contact.id)}).items
    ] == [linked.id]

    store.delete(owner, "contact", contact.id)

    after = store.get(owner, "birthday", linked.id)
    assert after.public()["contact_id"] is None and after.version == 2
    assert after.public()["name"] == "张三"
    assert store.get(owner, "birthday", unlinked.id) == unlinked
    assert store.list(owner, "birthday", filters={"contact": str(contact.id)}).items == []
    # Deleting another contact later does not touch the unlinked birthday again.
    spare = store.create(owner, "contact", {"name": "王五"})
    store.delete(owner, "contact", spare.id)
    assert store.get(owner, "birthday", linked.id).version == 2


def test_a_failed_delete_unlinks_nothing(store: RecordStore, new_owner: Callable[[], int]) -> None:
    owner = new_owner()
    family = store.create(owner, "group", {"name": "家人"})
    contact = store.create(owner, "contact", {"name": "张三", "groups": [str(family.id)]})
    with pytest.raises(VersionConflict):
        store.delete(owner, "group", family.id, expected_version=7)
    assert store.get(owner, "contact", contact.id) == contact
    assert store.get(owner, "group", family.id) == family
    assert store.last_change_no(owner) == 2
