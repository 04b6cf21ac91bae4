"""Edits through the local store: validation, references, unique values, outbox compaction,
one transaction each (issue 3 §1–§2; R4–R6)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from almanac.errors import Duplicate, InvalidInput, NotFound
from almanac.store.local import LocalStore

from .support import contact, pull, server_state


def _snapshot(store: LocalStore) -> tuple[object, ...]:
    rows = store._conn.execute("SELECT * FROM items ORDER BY id").fetchall()
    terms = store._conn.execute("SELECT count(*) FROM terms").fetchone()
    return (store.outbox(), rows, terms)


@pytest.mark.parametrize(
    ("kind", "data", "field"),
    [
        ("contact", {"name": ""}, "name"),
        (
            "contact",
            contact("钱多多", "13500001111", emails=[{"value": "不是邮箱"}]),
            "emails.0.value",
        ),
        ("contact", {"name": "钱多多", "nickname": "多多"}, "nickname"),
        (
            "birthday",
            {"name": "外婆", "date": {"calendar": "lunar", "month": 13, "day": 1}},
            "date",
        ),
        ("memo", {"title": "买菜", "pinned": "也许"}, "pinned"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    store: LocalStore, kind: str, data: dict, field: str
) -> None:
    """Issue 3 §1: a bad edit raises InvalidInput naming the field; nothing changes."""
    store.edit("create", "contact", uuid4(), contact("孙悟空", "13800000000"))
    before = _snapshot(store)
    with pytest.raises(InvalidInput) as err:
        store.edit("create", kind, uuid4(), data)
    assert any(p.field.startswith(field) for p in err.value.problems), err.value.problems
    assert _snapshot(store) == before


def test_bad_update_changes_nothing(store: LocalStore) -> None:
    record = uuid4()
    store.edit("create", "contact", record, contact("猪八戒", "13800000001"))
    before = _snapshot(store)
    with pytest.raises(InvalidInput) as err:
        store.edit("update", "contact", record, {"phones": [{"value": "没有号码"}]})
    assert err.value.field.startswith("phones.0")
    with pytest.raises(InvalidInput) as err:
        store.edit("update", "contact", record, {"name": None})
    assert err.value.field == "name"
    assert _snapshot(store) == before


def test_references_must_be_live_records_here(store: LocalStore) -> None:
    """R4, R6: a contact's groups and a birthday's contact must exist here, live, of the right
    kind — else InvalidInput naming the field."""
    group, person = uuid4(), uuid4()
    store.edit("create", "group", group, {"name": "同事"})
    store.edit("create", "contact", person, contact("沙僧", "13800000002", groups=[str(group)]))
    with pytest.raises(InvalidInput) as err:
        store.edit(
            "create",
            "contact",
            uuid4(),
            contact("唐僧", "13800000003", groups=[str(group), str(uuid4())]),
        )
    assert err.value.field == "groups.1"
    with pytest.raises(InvalidInput) as err:  # a contact id where a group is wanted
        store.edit("create", "contact", uuid4(), contact("白龙马", "1380000", groups=[str(person)]))
    assert err.value.field == "groups.0"
    birthday = {
        "name": "沙僧生日",
        "date": {"calendar": "lunar", "month": 8, "day": 15},
        "contact_id": str(person),
    }
    assert store.edit("create", "birthday", uuid4(), birthday) is not None
    store.edit("delete", "group", group, {})
    with pytest.raises(InvalidInput) as err:
        store.edit(
            "create", "contact", uuid4(), contact("观音", "13800000004", groups=[str(group)])
        )
    assert err.value.field == "groups.0"
    # an edit of another field is not blocked by the (now dangling) group link
    item = store.edit("update", "contact", person, {"title": "卷帘大将"})
    assert item is not None and item.content["title"] == "卷帘大将"


def test_unique_group_names(store: LocalStore) -> None:
    """R4: group names are unique among live groups (folded), as on the server."""
    first = uuid4()
    store.edit("create", "group", first, {"name": "Friends 朋友"})
    with pytest.raises(Duplicate) as err:
        store.edit("create", "group", uuid4(), {"name": "friends 朋友"})
    assert err.value.field == "name"
    assert store.edit("update", "group", first, {"name": "Friends 朋友"}) is not None
    store.edit("delete", "group", first, {})
    assert store.edit("create", "group", uuid4(), {"name": "friends 朋友"}) is not None


def test_unique_check_sees_records_from_a_bulk_pull(store: LocalStore) -> None:
    """Groups pulled in bulk (index deferred) still count for uniqueness."""
    states = [server_state("group", {"name": f"分组{i}"}) for i in range(300)]
    pull(store, *states)
    with pytest.raises(Duplicate):
        store.edit("create", "group", uuid4(), {"name": "分组299"})


def test_missing_or_wrong_kind_is_not_found(store: LocalStore) -> None:
    record = uuid4()
    store.edit("create", "memo", record, {"title": "还书"})
    with pytest.raises(NotFound):
        store.edit("update", "contact", record, {"name": "还书"})
    with pytest.raises(NotFound):
        store.edit("delete", "memo", uuid4(), {})
    with pytest.raises(InvalidInput) as err:
        store.edit("create", "memo", record, {"title": "again"})
    assert err.value.field == "id"
    with pytest.raises(InvalidInput) as err:
        store.edit("create", "stock", uuid4(), {"title": "贵州茅台"})
    assert err.value.field == "kind"


def test_compaction_through_edit(store: LocalStore) -> None:
    """Issue 3 §2 / decide.local_edit: an edit joins the unsent create; a delete of a never-
    sent create cancels it; an edit back to the synced value cancels the update; a sent
    mutation is frozen and a new edit makes a new one."""
    new = uuid4()
    store.edit("create", "contact", new, contact("林黛玉", "13911112222"))
    store.edit("update", "contact", new, {"company": "大观园"})
    [entry] = store.outbox()
    assert entry.mutation.op == "create" and entry.mutation.changes["company"] == "大观园"
    store.edit("delete", "contact", new, {})
    assert store.outbox() == [] and store.get(new) is None

    [synced] = pull(store, server_state("contact", contact("薛宝钗", "13922223333"), version=4))
    store.edit("update", "contact", synced, {"title": "掌柜"})
    [entry] = store.outbox()
    assert entry.mutation.base_version == 4 and entry.mutation.changes == {"title": "掌柜"}
    assert entry.previous == {"title": ""}
    item = store.get(synced)
    assert item is not None and item.pending and item.version == 4
    store.edit("update", "contact", synced, {"title": ""})
    assert store.outbox() == []
    item = store.get(synced)
    assert item is not None and not item.pending and item.content["title"] == ""

    store.edit("update", "contact", synced, {"title": "掌柜"})
    store.mark_sent([store.outbox()[0].mutation_id])
    store.edit("update", "contact", synced, {"title": "东家"})
    first, second = store.outbox()
    assert first.sent and first.mutation.changes == {"title": "掌柜"}
    assert not second.sent and second.mutation.changes == {"title": "东家"}
    item = store.get(synced)
    assert item is not None and item.content["title"] == "东家"


def test_resolves_travels_with_the_edit(store: LocalStore) -> None:
    [synced] = pull(store, server_state("memo", {"title": "年夜饭菜单"}, version=2))
    conflict = uuid4()
    store.edit("update", "memo", synced, {}, resolves=[conflict])
    [entry] = store.outbox()
    assert entry.mutation.resolves == [conflict]


def test_resolve_id_by_prefix(store: LocalStore) -> None:
    ids = [
        UUID("1234abcd-0000-4000-8000-000000000001"),
        UUID("1234abce-0000-4000-8000-000000000002"),
    ]
    for i, record in enumerate(ids):
        store.edit("create", "memo", record, {"title": f"便签{i}"})
    assert store.resolve_id("1234abcd") == ids[0]
    assert store.resolve_id(str(ids[1]).upper(), "memo") == ids[1]
    with pytest.raises(InvalidInput) as err:
        store.resolve_id("1234")
    assert err.value.field == "id"
    with pytest.raises(InvalidInput):
        store.resolve_id("12")
    with pytest.raises(InvalidInput):
        store.resolve_id("zzzz-not-hex")
    with pytest.raises(NotFound):
        store.resolve_id("1234abcd", "contact")
    with pytest.raises(NotFound):
        store.resolve_id("ffff")


def test_meta_and_cursor(store: LocalStore) -> None:
    assert store.cursor == 0 and store.get_meta("last_sync") is None
    store.cursor = 1234
    stamp = datetime.now(UTC).isoformat()
    store.set_meta("last_sync", stamp)
    assert store.cursor == 1234 and store.get_meta("last_sync") == stamp
    store.set_meta("last_sync", None)
    assert store.get_meta("last_sync") is None
