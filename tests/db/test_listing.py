"""Listing, paging and search (R4 "find all contacts that satisfy given conditions").

Every search test runs with each query plan (driven from the rarest condition, with probes,
walking the listing index) by setting the planner's thresholds."""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Callable, Iterator
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from almanac.errors import InvalidInput
from almanac.model import index_terms, query_terms, sort_key
from almanac.server.records import RecordStore, StoredRecord, decode_cursor, encode_cursor
from almanac.server.records import query as query_module

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗曾单欧阳司马"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华国志晓海燕春梅玉文博涵浩然"


PLANS = {  # plan → (SMALL_SET, PROBE_RATIO) that make the planner choose it here
    "drive": (1000, 1),  # every condition is small: drive from the rarest
    "probe": (2, 0),  # broad conditions probed on the rarest one's few holders
    "intersect": (1, 1),  # every condition broad (the planner walks the listing index)
    "walk": (0, 1),  # nothing is small enough: walk the listing index
}


def use_plan(name: str) -> None:
    query_module.SMALL_SET, query_module.PROBE_RATIO = PLANS[name]


@pytest.fixture(params=sorted(PLANS))
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(query_module, "SMALL_SET", query_module.SMALL_SET)
    monkeypatch.setattr(query_module, "PROBE_RATIO", query_module.PROBE_RATIO)
    use_plan(request.param)
    yield request.param


def names(count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return [
        rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.randint(1, 2)))
        for _ in range(count)
    ]


def walk(store: RecordStore, owner: int, kind: str, limit: int, **kw: object) -> list[StoredRecord]:
    seen: list[StoredRecord] = []
    cursor: str | None = None
    while True:
        page = store.list(owner, kind, limit=limit, cursor=cursor, **kw)  # type: ignore[arg-type]
        assert len(page.items) <= limit
        seen.extend(page.items)
        if page.next_cursor is None:
            return seen
        assert len(page.items) == limit
        cursor = page.next_cursor


def in_order(records: list[StoredRecord]) -> list[UUID]:
    return [
        r.id
        for r in sorted(records, key=lambda r: (sort_key(r.kind, r.content), str(r.id)))  # type: ignore[arg-type]
    ]


def test_paging_walks_every_record_once_in_order(
    store: RecordStore, new_owner: Callable[[], int]
) -> None:
    owner = new_owner()
    made = store.create_many(
        owner,
        "contact",
        [{"name": n, "phones": [{"value": f"139{i:08d}"}]} for i, n in enumerate(names(300, 1))],
    )
    gone = made[::10]
    for record in gone:
        store.delete(owner, "contact", record.id)
    live = [r for r in made if r not in gone]
    expected = in_order(live)
    assert len(expected) == 270
    for limit in (1, 7, 50, 269, 270, 500):
        assert [r.id for r in walk(store, owner, "contact", limit)] == expected, limit


def test_search_by_name_pinyin_and_phone(
    plan: str, store: RecordStore, new_owner: Callable[[], int]
) -> None:
    owner = new_owner()
    people = {
        "张三": {"phones": [{"value": "138 0013 8000"}], "emails": [{"value": "zs@example.com"}]},
        "张伟": {"company": "北京百花科技有限公司"},
        "曾小明": {"phones": [{"value": "+86 139 1234 5678"}]},
        "单田芳": {"title": "评书演员"},
        "欧阳娜娜": {},
        "李四": {"emails": [{"value": "lisi@example.com"}]},
    }
    ids = {
        name: store.create(owner, "contact", {"name": name, **extra}).id
        for name, extra in people.items()
    }

    def found(q: str) -> set[str]:
        by_id = {v: k for k, v in ids.items()}
        return {by_id[r.id] for r in walk(store, owner, "contact", 2, q=q)}

    assert found("zs") == {"张三"}
    assert found("zhangsan") == {"张三"}
    assert found("zhang") == {"张三", "张伟"}
    assert found("张") == {"张三", "张伟"}
    assert found("张三") == {"张三"}
    assert found("8000") == {"张三"}
    assert found("5678") == {"曾小明"}
    assert found("zeng") == {"曾小明"}
    assert found("zxm") == {"曾小明"}
    assert found("shan") == {"单田芳"}
    assert found("ouyang") == {"欧阳娜娜"}
    assert found("百花") == {"张伟"}
    assert found("lisi") == {"李四"}
    assert found("zhang 8000") == {"张三"}
    assert found("zhang wei") == {"张伟"}
    assert found("zhang 5678") == set()
    assert found("nobody") == set()
    assert found("   ") == set(people)


def test_filters_combine_with_search(
    plan: str, store: RecordStore, new_owner: Callable[[], int]
) -> None:
    owner = new_owner()
    family = str(store.create(owner, "group", {"name": "家人"}).id)
    work = str(store.create(owner, "group", {"name": "同事"}).id)
    day = {"month": 5, "day": 1}
    rows = [
        ("张三", [family], day),
        ("张伟", [work], None),
        ("张丽", [family, work], None),
        ("李娜", [family], day),
    ]
    ids = {
        name: store.create(
            owner, "contact", {"name": name, "groups": groups, "birthday": birthday}
        ).id
        for name, groups, birthday in rows
    }
    by_id = {v: k for k, v in ids.items()}

    def found(q: str | None = None, **filters: str) -> list[str]:
        return [by_id[r.id] for r in walk(store, owner, "contact", 1, q=q, filters=filters)]

    assert found(group=family) == ["李娜", "张丽", "张三"]
    assert found("zhang", group=family) == ["张丽", "张三"]
    assert found("zhang", group=family, has_birthday="true") == ["张三"]
    assert found("zhang", has_birthday="false") == ["张丽", "张伟"]
    assert found(group=work, has_birthday="1") == []
    assert found("li", group=work) == ["张丽"]


def test_bad_list_arguments(store: RecordStore, new_owner: Callable[[], int]) -> None:
    owner = new_owner()
    for limit in (0, -1, 501):
        with pytest.raises(InvalidInput) as info:
            store.list(owner, "contact", limit=limit)
        assert info.value.field == "limit"
    for cursor in ("x", "!!!!", encode_cursor("a", "not-a-uuid"), "W10", "a" * 5000):
        with pytest.raises(InvalidInput) as info:
            store.list(owner, "contact", cursor=cursor)
        assert info.value.field == "cursor"
    with pytest.raises(InvalidInput) as info:
        store.list(owner, "contact", filters={"colour": "red"})
    assert info.value.field == "colour"
    with pytest.raises(InvalidInput) as info:
        store.list(owner, "contact", filters={"group": "not-a-uuid"})
    assert info.value.field == "group"
    with pytest.raises(InvalidInput) as info:
        store.list(owner, "contact", filters={"has_birthday": "maybe"})
    assert info.value.field == "has_birthday"


@given(st.text(st.characters(blacklist_categories=["Cs"]), max_size=60), st.uuids())
def test_cursor_round_trip(sort_key_text: str, record_id: UUID) -> None:
    cursor = encode_cursor(sort_key_text, str(record_id))
    assert cursor.isascii() and "=" not in cursor and "/" not in cursor and "+" not in cursor
    if "\x00" in sort_key_text:  # no sort key holds one; a cursor with one is forged
        with pytest.raises(InvalidInput):
            decode_cursor(cursor)
    else:
        assert decode_cursor(cursor) == (sort_key_text, str(record_id))


def test_search_matches_the_model_definition(
    store: RecordStore, new_owner: Callable[[], int]
) -> None:
    """Property: ``list(q=…)`` returns exactly the records whose index terms have every
    query prefix, in list order, whatever the plan."""
    owner = new_owner()
    made = store.create_many(owner, "contact", [{"name": n} for n in names(120, 7)])
    terms = {r.id: index_terms("contact", r.content) for r in made}  # type: ignore[arg-type]
    words = sorted({t[2:] for ts in terms.values() for t in ts if t.startswith("t:")})

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        st.lists(
            st.sampled_from(words).flatmap(lambda w: st.integers(1, len(w)).map(lambda n: w[:n])),
            min_size=1,
            max_size=2,
        ),
        st.sampled_from(sorted(PLANS)),
    )
    def check(prefixes: list[str], plan_name: str) -> None:
        use_plan(plan_name)
        q = " ".join(prefixes)
        wanted = query_terms(q)
        expected = in_order(
            [r for r in made if all(any(t.startswith(p) for t in terms[r.id]) for p in wanted)]
        )
        assert [r.id for r in walk(store, owner, "contact", 25, q=q)] == expected

    saved = query_module.SMALL_SET, query_module.PROBE_RATIO
    try:
        check()
    finally:
        query_module.SMALL_SET, query_module.PROBE_RATIO = saved


@pytest.mark.parametrize(
    "q", ["\x00", "张\x00三", "\ud800", "%", "_", "'", "\U0010ffff", "z" * 500]
)
def test_odd_queries_give_results_or_invalid_input(
    q: str, store: RecordStore, new_owner: Callable[[], int]
) -> None:
    owner = new_owner()
    store.create(owner, "contact", {"name": "张三"})
    try:
        page = store.list(owner, "contact", q=q)
    except InvalidInput as exc:
        assert exc.field == "q" and ("\x00" in q or "\ud800" in q)
    else:
        assert page.items == []


def test_forged_cursors_are_invalid_input(store: RecordStore, new_owner: Callable[[], int]) -> None:
    owner = new_owner()
    record_id = "6d858273-f9ba-409b-ae26-a4157ccd4e7f"
    forged = [
        base64.urlsafe_b64encode(json.dumps([key, record_id]).encode()).decode().rstrip("=")
        for key in ("a\x00", "\ud800")
    ]
    for cursor in forged:
        with pytest.raises(InvalidInput) as info:
            store.list(owner, "contact", cursor=cursor)
        assert info.value.field == "cursor"
    assert store.list(owner, "contact", cursor=encode_cursor("a" * 300, record_id)).items == []
