"""Search and listing in the local store follow the server's rules (issue 3 §1, §6: "same
conditions and pinyin matching as the server"; R4): pinyin initials, full pinyin, phone
suffixes, Chinese characters, facets; pinyin order; keyset pages."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Mapping
from pathlib import Path
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from almanac.errors import InvalidInput
from almanac.model import KINDS, index_terms, load_content, query_terms, sort_key, unique_terms
from almanac.store import search
from almanac.store.local import LocalStore

from .data import GROUPS, QUERIES, contact_data, group_ids
from .support import pull, server_state


def model_rows(store: LocalStore, kind: str) -> list[tuple[str, str, set[str]]]:
    """``(sort_key, id, terms)`` of every live item, computed from the model."""
    rows = store._conn.execute(
        "SELECT id, content FROM items WHERE kind = ? AND deleted = 0", (kind,)
    ).fetchall()
    found = []
    for record_id, text in rows:
        model = load_content(kind, json.loads(text))
        terms = set(index_terms(kind, model)) | set(unique_terms(kind, model))
        found.append((sort_key(kind, model), record_id, terms))
    return found


def brute_force(
    rows: list[tuple[str, str, set[str]]], kind: str, q: str, filters: Mapping[str, str]
) -> list[UUID]:
    """The listing computed the slow way: the server's rules applied to every live item's
    model terms one by one, sorted by (sort key, id)."""
    wanted = query_terms(q)
    facets = [KINDS[kind].filters[name].terms(raw) for name, raw in filters.items()]
    hits = [
        (key, record_id)
        for key, record_id, terms in rows
        if all(any(t.startswith(w) for t in terms) for w in wanted)
        and all((term in terms) == must for term, must in facets)
    ]
    return [UUID(record_id) for _, record_id in sorted(hits)]


def listed(
    store: LocalStore, kind: str, q: str, filters: Mapping[str, str], limit: int
) -> list[UUID]:
    """Every page of a listing, following the cursors."""
    found: list[UUID] = []
    after = None
    while True:
        page = store.list(kind, q=q, filters=filters, limit=limit, after=after)
        assert len(page.items) <= limit
        found += [item.id for item in page.items]
        if page.next_after is None:
            return found
        assert len(page.items) == limit
        after = page.next_after


Book = tuple[LocalStore, dict[str, UUID], list[tuple[str, str, set[str]]]]


@pytest.fixture(scope="module")
def address_book(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Book]:
    """300 contacts: 200 pulled (indexed lazily), 100 created offline, some deleted."""
    rnd = random.Random(20261127)
    path: Path = tmp_path_factory.mktemp("search") / "store.db"
    store = LocalStore.create(path, bytes(range(32)))
    groups = group_ids(rnd)
    pull(store, *[server_state("group", {"name": n}, record_id=gid) for n, gid in groups.items()])
    states = [server_state("contact", contact_data(rnd, groups)) for _ in range(200)]
    pull(store, *states)
    for _ in range(100):
        store.edit(
            "create",
            "contact",
            UUID(int=rnd.getrandbits(128), version=4),
            contact_data(rnd, groups),
        )
    for state in states[:20]:
        store.edit("delete", "contact", state.record_id, {})
    yield store, groups, model_rows(store, "contact")
    store.close()


@pytest.mark.parametrize("q", QUERIES)
def test_every_query_matches_brute_force(address_book: Book, q: str) -> None:
    """Each query of the list (pinyin, initials, surname readings, phone shapes, Latin names,
    punctuation) finds exactly what the model's rules find, in the same order."""
    store, _, rows = address_book
    assert listed(store, "contact", q, {}, 1000) == brute_force(rows, "contact", q, {})


def test_known_answers(address_book: Book) -> None:
    """Spot checks a person would make."""
    store, _, _ = address_book
    for item in store.list("contact", q="zeng", limit=1000).items:
        assert item.content["name"].startswith("曾")
    for item in store.list("contact", q="欧阳", limit=1000).items:
        assert "欧阳" in item.content["name"]
    some = store.list("contact", q="138", limit=5).items[0]
    last4 = "".join(ch for ch in some.content["phones"][0]["value"] if ch.isdigit())[-4:]
    assert some.id in [i.id for i in store.list("contact", q=last4, limit=1000).items]
    keys = [i.content["name"] for i in store.list("contact", limit=1000).items]
    assert len(keys) == store.count("contact") == 280


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(st.sampled_from([*QUERIES, "zh", "w", "1", "13", "wang", "王"]), max_size=3),
    group=st.sampled_from([None, *GROUPS]),
    birthday=st.sampled_from([None, "true", "false"]),
    limit=st.integers(1, 40),
    drive_cap=st.sampled_from([0, 5, 60, search.DRIVE_CAP]),
)
def test_property_list_equals_brute_force(
    address_book: Book,
    words: list[str],
    group: str | None,
    birthday: str | None,
    limit: int,
    drive_cap: int,
) -> None:
    """Hypothesis: for any combination of query words, facet filters, page size and plan (a
    small drive cap makes common words walk the listing), the pages, followed to the end,
    equal a brute-force filter over the items."""
    store, groups, rows = address_book
    default, search.DRIVE_CAP = search.DRIVE_CAP, drive_cap
    filters: dict[str, str] = {}
    if group is not None:
        filters["group"] = str(groups[group])
    if birthday is not None:
        filters["has_birthday"] = birthday
    q = " ".join(words)
    try:
        found = listed(store, "contact", q, filters, limit)
    finally:
        search.DRIVE_CAP = default
    assert found == brute_force(rows, "contact", q, filters)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32), edits=st.integers(0, 15))
def test_property_after_random_edits(
    tmp_path_factory: pytest.TempPathFactory, seed: int, edits: int
) -> None:
    """Hypothesis: after random creates, updates and deletes (index kept inline), every
    query still equals brute force."""
    rnd = random.Random(seed)
    store = LocalStore.create(tmp_path_factory.mktemp("prop") / "s.db", bytes(32))
    groups = group_ids(rnd)
    for name, gid in groups.items():
        store.edit("create", "group", gid, {"name": name})
    ids: list[UUID] = []
    for _ in range(edits + 5):
        choice = rnd.random()
        if ids and choice < 0.3:
            store.edit("update", "contact", rnd.choice(ids), contact_data(rnd, groups))
        elif ids and choice < 0.4:
            store.edit("delete", "contact", ids.pop(rnd.randrange(len(ids))), {})
        else:
            ids.append(UUID(int=rnd.getrandbits(128), version=4))
            store.edit("create", "contact", ids[-1], contact_data(rnd, groups))
    rows = model_rows(store, "contact")
    for q in rnd.sample(QUERIES, 8):
        assert listed(store, "contact", q, {}, 3) == brute_force(rows, "contact", q, {})
    store.close()


LUNAR = {"calendar": "lunar", "month": 8, "day": 15}
SOLAR = {"calendar": "solar", "month": 10, "day": 1}


def test_other_kinds_and_their_filters(store: LocalStore) -> None:
    """Memos pinned first, holidays by month and day, the calendar and flag filters."""
    pull(
        store,
        server_state("memo", {"title": "中秋节买月饼", "pinned": False}),
        server_state("memo", {"title": "续签合同", "pinned": True}),
        server_state(
            "holiday", {"name": "中秋节", "date": {"calendar": "lunar", "month": 8, "day": 15}}
        ),
        server_state(
            "holiday", {"name": "国庆节", "date": {"calendar": "solar", "month": 10, "day": 1}}
        ),
    )
    assert [i.content["title"] for i in store.list("memo").items] == ["续签合同", "中秋节买月饼"]
    assert [i.content["title"] for i in store.list("memo", filters={"pinned": "false"}).items] == [
        "中秋节买月饼"
    ]
    assert [i.content["name"] for i in store.list("holiday").items] == ["中秋节", "国庆节"]
    lunar = store.list("holiday", filters={"calendar": "lunar"}).items
    assert [i.content["name"] for i in lunar] == ["中秋节"]
    assert [i.content["title"] for i in store.list("memo", q="zqj").items] == ["中秋节买月饼"]


def test_bad_queries_name_the_field(store: LocalStore) -> None:
    with pytest.raises(InvalidInput) as err:
        store.list("contact", filters={"colour": "red"})
    assert err.value.field == "colour"
    with pytest.raises(InvalidInput) as err:
        store.list("contact", filters={"has_birthday": "maybe"})
    assert err.value.field == "has_birthday"
    with pytest.raises(InvalidInput) as err:
        store.list("contact", after="not-a-cursor")
    assert err.value.field == "after"
    with pytest.raises(InvalidInput) as err:
        store.list("contact", limit=0)
    assert err.value.field == "limit"
    with pytest.raises(InvalidInput) as err:
        store.list("contact", q="a\x00b")
    assert err.value.field == "q"
    with pytest.raises(InvalidInput) as err:
        store.list("stocks")
    assert err.value.field == "kind"
