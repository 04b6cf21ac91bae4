"""The address book's advanced search (R4; issue 6 §2) on a real encrypted store: conditions
combined with AND, each text condition on its own field (a company word does not find a
name), pinyin and initials and the last digits of a phone like the quick search, the group
and has-birthday filters; bad input named. Hypothesis: for random conditions the search
finds exactly the contacts that meet them when every contact is checked one by one (the
index narrowing loses none)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from almanac.client.contact_search import ContactCriteria, matches, search
from almanac.errors import InvalidInput
from almanac.store.local import LocalStore

from .conftest import Account

PEOPLE: list[dict[str, Any]] = [
    {"name": "张三", "phones": [{"value": "13800138000"}], "company": "华为技术",
     "emails": [{"value": "zhangsan@example.com"}], "birthday": {"calendar": "solar",
                                                             "month": 3, "day": 5}},
    {"name": "张伟", "phones": [{"value": "13912345678"}], "company": "腾讯"},
    {"name": "李华为", "phones": [{"value": "021-5566 7788"}], "company": "小米科技",
     "emails": [{"value": "lihw@mi.com"}]},
    {"name": "王芳", "company": "华为终端", "emails": [{"value": "wangfang@huawei.com"}],
     "birthday": {"calendar": "lunar", "month": 8, "day": 15}},
    {"name": "Zhang Wei", "phones": [{"value": "+86 138 0000 1234"}], "company": "Acme Ltd"},
]  # fmt: skip


def names(found: tuple[list[Any], bool]) -> list[str]:
    items, complete = found
    assert complete
    return sorted(i.content["name"] for i in items)


def test_conditions_combined(account: Account, tmp_path: Path) -> None:
    client = account.login(tmp_path / "home")
    try:
        colleagues = client.add("group", {"name": "同事"})
        for person in PEOPLE:
            groups = [str(colleagues.id)] if "华为" in person.get("company", "") else []
            client.add("contact", {**person, "groups": groups})

        def find(**conditions: Any) -> list[str]:
            return names(client.search_contacts(ContactCriteria(**conditions)))

        assert find(name="张") == ["张三", "张伟"]
        assert find(name="zhang") == ["Zhang Wei", "张三", "张伟"]
        assert find(name="zs") == ["张三"]
        assert find(name="华为") == ["李华为"]  # the name, not the company
        assert find(company="华为") == ["张三", "王芳"]  # the company, not the name
        assert find(name="张", company="华为") == ["张三"]
        assert find(phone="138") == ["Zhang Wei", "张三"]
        assert find(phone="7788") == ["李华为"]
        assert find(email="huawei.com") == ["王芳"]
        assert find(has_birthday=True) == ["张三", "王芳"]
        assert find(has_birthday=False, name="张") == ["张伟"]
        assert find(group=str(colleagues.id), has_birthday=True) == ["张三", "王芳"]
        assert find(group=str(colleagues.id), email="example") == ["张三"]
        assert find(name="张", phone="7788") == []
        first, complete = client.search_contacts(ContactCriteria(name="张"), limit=1)
        assert [i.content["name"] for i in first] == ["张三"] and not complete
    finally:
        client.close()


@pytest.mark.parametrize(
    ("conditions", "field"),
    [({}, "conditions"), ({"name": "a\x00b"}, "name"), ({"company": "x" * 201}, "company"),
     ({"group": "not-a-uuid"}, "group")],
)  # fmt: skip
def test_bad_conditions_are_named(tmp_path: Path, conditions: dict[str, Any], field: str) -> None:
    store = LocalStore.create(tmp_path / "store.db", b"k" * 32)
    try:
        with pytest.raises(InvalidInput) as caught:
            search(store, ContactCriteria(**conditions))
        assert [p.field for p in caught.value.problems] == [field]
    finally:
        store.close()


WORDS = st.sampled_from(
    ["张", "zhang", "zs", "三", "wei", "华为", "hua", "138", "1234", "7788", "example",
     "mi.com", "科技", "acme", "li", "王", "x"]
)  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    conditions=st.fixed_dictionaries(
        {},
        optional={
            "name": WORDS,
            "phone": WORDS,
            "email": WORDS,
            "company": WORDS,
            "has_birthday": st.booleans(),
        },
    ).filter(bool)
)
def test_finds_exactly_the_contacts_that_meet_the_conditions(
    tmp_path_factory: pytest.TempPathFactory, conditions: dict[str, Any]
) -> None:
    store = LocalStore.create(tmp_path_factory.mktemp("search") / "store.db", b"k" * 32)
    try:
        for person in PEOPLE:
            store.edit("create", "contact", uuid4(), person)
        criteria = ContactCriteria(**conditions)
        wanted = {
            k: [f"t:{w}" for w in [v.lower()]] for k, v in conditions.items() if isinstance(v, str)
        }
        expected = sorted(
            i.content["name"]
            for i in store.list("contact", limit=100).items
            if matches(i.content, wanted)
            and (
                criteria.has_birthday is None
                or (i.content.get("birthday") is not None) == criteria.has_birthday
            )
        )
        assert names(search(store, criteria)) == expected
    finally:
        store.close()
