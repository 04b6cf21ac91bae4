"""Create, read, update and delete every kind of record (R4 address book, R5 memos,
R6 birthdays and holidays, R7/R9 events), with versions, change numbers and tombstones."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from almanac.errors import Duplicate, InvalidInput, NotFound, VersionConflict
from almanac.model import KINDS
from almanac.server.records import RecordStore

from .samples import CHANGES, SAMPLES


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_crud_round_trip(kind: str, store: RecordStore, new_owner: Callable[[], int]) -> None:
    owner = new_owner()
    before = datetime.now(UTC) - timedelta(seconds=2)
    made = store.create(owner, kind, SAMPLES[kind])
    assert made.kind == kind and made.version == 1 and not made.deleted
    assert made.created_at.tzinfo is not None and made.created_at >= before
    again = store.get(owner, kind, made.id)
    assert again == made and again.content == made.content  # content rebuilt from stored JSON

    changed = store.update(owner, kind, made.id, CHANGES[kind], expected_version=1)
    assert changed.version == 2 and changed.change_no > made.change_no
    assert changed.created_at == made.created_at and changed.updated_at >= made.updated_at
    public = changed.public()
    for key, value in CHANGES[kind].items():
        assert public[key] == value
    assert store.get(owner, kind, made.id) == changed

    gone = store.delete(owner, kind, made.id, expected_version=2)
    assert gone.deleted and gone.version == 3 and gone.change_no > changed.change_no
    with pytest.raises(NotFound):
        store.get(owner, kind, made.id)
    with pytest.raises(NotFound):
        store.update(owner, kind, made.id, CHANGES[kind])
    with pytest.raises(NotFound):
        store.delete(owner, kind, made.id)
    assert store.list(owner, kind).items == []
    history = store.changes_since(owner, 0)
    assert [(r.id, r.version, r.deleted) for r in history] == [(made.id, 3, True)]
    assert history[0].change_no == gone.change_no
    assert history[0].public() == gone.public() and history[0].content == changed.content


def test_public_form_is_json_ready(store: RecordStore, new_owner: Callable[[], int]) -> None:
    owner = new_owner()
    made = store.create(owner, "contact", SAMPLES["contact"])
    public = made.public()
    assert public["id"] == str(made.id) and public["kind"] == "contact"
    assert public["version"] == 1 and public["deleted"] is False
    assert datetime.fromisoformat(public["created_at"]).utcoffset() == timedelta(0)
    assert public["name"] == "张三" and public["phones"][0]["value"] == "138 0013 8000"
    assert public["birthday"]["calendar"] == "lunar"


def test_chinese_and_emoji_round_trip(store: RecordStore, new_owner: Callable[[], int]) -> None:
    owner = new_owner()
    text = "生日快乐 🎂🎉 𠀀𪚥 — 「引号」\n第二行"
    made = store.create(owner, "memo", {"title": "祝福 🎂", "body": text})
    again = store.get(owner, "memo", made.id)
    assert again.public()["body"] == text and again.public()["title"] == "祝福 🎂"
    found = store.list(owner, "memo", q="祝福")
    assert [r.id for r in found.items] == [made.id]


def test_versions_and_expected_version(store: RecordStore, new_owner: Callable[[], int]) -> None:
    owner = new_owner()
    made = store.create(owner, "memo", {"title": "v1"})
    for n in range(2, 6):
        assert store.update(owner, "memo", made.id, {"title": f"v{n}"}).version == n
    with pytest.raises(VersionConflict) as info:
        store.update(owner, "memo", made.id, {"title": "stale"}, expected_version=3)
    assert (info.value.expected, info.value.actual) == (3, 5)
    with pytest.raises(VersionConflict):
        store.delete(owner, "memo", made.id, expected_version=4)
    current = store.get(owner, "memo", made.id)
    assert current.version == 5 and current.public()["title"] == "v5"


def test_patch_that_changes_nothing_keeps_the_version(
    store: RecordStore, new_owner: Callable[[], int]
) -> None:
    owner = new_owner()
    made = store.create(owner, "memo", {"title": "同一个"})
    same = store.update(owner, "memo", made.id, {"title": "同一个"})
    assert same == made
    assert store.changes_since(owner, 0) == [made]


def test_invalid_content_stores_nothing(store: RecordStore, new_owner: Callable[[], int]) -> None:
    owner = new_owner()
    with pytest.raises(InvalidInput) as info:
        store.create(owner, "birthday", {"name": "王五", "date": {"month": 2, "day": 30}})
    assert info.value.field.startswith("date")
    with pytest.raises(InvalidInput) as info:
        store.create(owner, "contact", {"name": ""})
    assert info.value.field == "name"
    made = store.create(owner, "contact", {"name": "赵六"})
    with pytest.raises(InvalidInput) as info:
        store.update(owner, "contact", made.id, {"emails": [{"value": "not-an-email"}]})
    assert info.value.field == "emails.0.value"
    assert store.get(owner, "contact", made.id) == made
    assert store.changes_since(owner, 0) == [made]


def test_client_chosen_id(store: RecordStore, new_owner: Callable[[], int]) -> None:
    alice, bob = new_owner(), new_owner()
    chosen = uuid.uuid4()
    made = store.create(alice, "memo", {"title": "a"}, record_id=chosen)
    assert made.id == chosen
    for owner in (alice, bob):
        with pytest.raises(Duplicate) as info:
            store.create(owner, "memo", {"title": "b"}, record_id=chosen)
        assert info.value.field == "id"
    assert store.changes_since(bob, 0) == []
    assert [r.public()["title"] for r in store.changes_since(alice, 0)] == ["a"]
    twice = uuid.uuid4()
    with pytest.raises(Duplicate):
        store.create_many(bob, "memo", [{"title": "x"}, {"title": "y"}], record_ids=[twice, twice])
    assert store.changes_since(bob, 0) == []


def test_unknown_kind_and_owner(store: RecordStore, new_owner: Callable[[], int]) -> None:
    owner = new_owner()
    with pytest.raises(InvalidInput) as info:
        store.create(owner, "stock", {"name": "x"})
    assert info.value.field == "kind"
    with pytest.raises(NotFound):
        store.create(2_000_000_000, "memo", {"title": "nobody"})


def test_create_many_is_all_or_nothing(store: RecordStore, new_owner: Callable[[], int]) -> None:
    owner = new_owner()
    made = store.create_many(owner, "group", [{"name": "家人"}, {"name": "同事"}])
    assert [r.change_no for r in made] == [1, 2]
    with pytest.raises(InvalidInput) as info:
        store.create_many(owner, "group", [{"name": "朋友"}, {"name": ""}])
    assert info.value.field == "1.name"
    with pytest.raises(Duplicate) as dup:
        store.create_many(owner, "group", [{"name": "朋友"}, {"name": "家人"}])
    assert dup.value.field == "name"
    with pytest.raises(Duplicate) as dup:
        store.create_many(owner, "group", [{"name": "同学"}, {"name": "同学"}])
    assert dup.value.field == "1.name"
    assert [r.public()["name"] for r in store.list(owner, "group").items] == ["家人", "同事"]
    assert store.last_change_no(owner) == 2
