"""The term backlog (``almanac.server.records.backlog``; docs/sync.md "How a push is
applied"; issue 3 §3, R8, R14): a push's bulk path leaves a record's search terms to be
rewritten later, yet no reader ever sees them stale — a search finds the new words and not
the old ones, a group's delete unlinks the contacts a push put in it, a web page whose reads
share one snapshot sees the caught-up terms — and the background indexer empties the backlog
once the pushes pause. Run on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from almanac.model import load_content, sort_key
from almanac.server.db.shared import SharedReads, one_connection
from almanac.server.db.tables import record_terms, records, term_backlog
from almanac.server.records import RecordStore, backlog
from almanac.server.records.indexer import Indexer
from almanac.server.sync.push import push
from almanac.sync.protocol import PushRequest

from .support import held_terms, wanted_terms


def _push(engine: sa.Engine, owner: int, *mutations: dict[str, Any]) -> list[Any]:
    request = PushRequest.model_validate(
        {"mutations": [{"mutation_id": str(uuid.uuid4()), **m} for m in mutations]}
    )
    results = push(engine, owner, request).results
    assert [r.status for r in results] == ["applied"] * len(mutations), results
    return results


def _waiting(engine: sa.Engine, owner: int) -> set[str]:
    with engine.connect() as conn:
        query = sa.select(term_backlog.c.record_id).where(term_backlog.c.owner_id == owner)
        return set(conn.execute(query).scalars())


def _exact(engine: sa.Engine, owner: int) -> None:
    """Every record's term rows are ``terms_of`` its content, each carrying its sort key."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(records).where(records.c.owner_id == owner)).all()
    held = held_terms(engine, owner)
    for row in rows:
        assert held.get(row.id, set()) == wanted_terms(row), row.id
        if not row.deleted:
            assert row.sort_key == sort_key(row.kind, load_content(row.kind, json.loads(row.data)))


def _names(page: Any) -> list[str]:
    return [item.content.name for item in page.items]


def test_a_search_after_a_push_finds_the_new_words_and_not_the_old(
    engine: sa.Engine, new_owner: Callable[[], int]
) -> None:
    owner, rid = new_owner(), str(uuid.uuid4())
    store = RecordStore(engine)
    _push(engine, owner, {"record_id": rid, "kind": "contact", "op": "create",
                          "changes": {"name": "张三", "title": "设计师"}})  # fmt: skip
    _push(engine, owner, {"record_id": rid, "kind": "contact", "op": "update",
                          "base_version": 1, "changes": {"title": "主管"}})  # fmt: skip
    assert _waiting(engine, owner) == {rid}  # the push left the terms to the backlog
    assert _names(store.list(owner, "contact", q="zhuguan")) == ["张三"]
    assert _names(store.list(owner, "contact", q="设计")) == []
    assert _waiting(engine, owner) == set()
    _exact(engine, owner)


def test_a_group_deleted_after_a_push_unlinks_the_contacts_the_push_put_in_it(
    engine: sa.Engine, new_owner: Callable[[], int]
) -> None:
    owner, group, rid = new_owner(), str(uuid.uuid4()), str(uuid.uuid4())
    store = RecordStore(engine)
    _push(engine, owner, {"record_id": group, "kind": "group", "op": "create",
                          "changes": {"name": "同学"}},
          {"record_id": rid, "kind": "contact", "op": "create",
           "changes": {"name": "李四"}})  # fmt: skip
    _push(engine, owner, {"record_id": rid, "kind": "contact", "op": "update",
                          "base_version": 1, "changes": {"groups": [group]}})  # fmt: skip
    assert rid in _waiting(engine, owner)  # its reference term is not written yet
    store.delete(owner, "group", UUID(group))
    assert store.get(owner, "contact", UUID(rid)).content.groups == []
    _exact(engine, owner)


def test_a_name_changed_by_push_then_by_the_api_then_by_push_ends_exact(
    engine: sa.Engine, new_owner: Callable[[], int]
) -> None:
    # The backlog row names the sort key the term rows carry; a whole rewrite in between
    # (the API's update) takes the record out, so the last push's mark names the new key.
    owner, rid = new_owner(), str(uuid.uuid4())
    store = RecordStore(engine)
    _push(engine, owner, {"record_id": rid, "kind": "contact", "op": "create",
                          "changes": {"name": "安娜"}})  # fmt: skip
    _push(engine, owner, {"record_id": rid, "kind": "contact", "op": "update",
                          "base_version": 1, "changes": {"name": "白雪"}})  # fmt: skip
    store.update(owner, "contact", UUID(rid), {"name": "陈晨"})
    assert _waiting(engine, owner) == set()
    _exact(engine, owner)
    _push(engine, owner, {"record_id": rid, "kind": "contact", "op": "update",
                          "base_version": 3, "changes": {"name": "安娜"}})  # fmt: skip
    assert _waiting(engine, owner) == {rid}
    assert backlog.catch_up_now(engine, owner) == 1
    _exact(engine, owner)
    assert _names(store.list(owner, "contact", q="anna")) == ["安娜"]


def test_a_page_whose_reads_share_a_snapshot_sees_the_caught_up_terms(
    engine: sa.Engine, new_owner: Callable[[], int]
) -> None:
    owner, rid = new_owner(), str(uuid.uuid4())
    reads = SharedReads(engine)
    store = RecordStore(reads)
    _push(engine, owner, {"record_id": rid, "kind": "contact", "op": "create",
                          "changes": {"name": "王五", "company": "百度"}})  # fmt: skip
    _push(engine, owner, {"record_id": rid, "kind": "contact", "op": "update",
                          "base_version": 1, "changes": {"company": "腾讯"}})  # fmt: skip
    with one_connection():
        assert store.get(owner, "contact", UUID(rid)).content.company == "腾讯"  # read first
        assert _names(store.list(owner, "contact", q="tengxun")) == ["王五"]
        assert _names(store.list(owner, "contact", q="baidu")) == []


def test_the_indexer_empties_the_backlog_once_the_pushes_pause(
    engine: sa.Engine, new_owner: Callable[[], int]
) -> None:
    owner = new_owner()
    ids = [str(uuid.uuid4()) for _ in range(30)]
    creates = [
        {"record_id": rid, "kind": "contact", "op": "create", "changes": {"name": f"赵{n}"}}
        for n, rid in enumerate(ids)
    ]
    _push(engine, owner, *creates)
    assert _waiting(engine, owner) == set(ids)
    indexer = Indexer(engine, quiet=0.05, interval=0.01)
    indexer.start()
    try:
        indexer.poke(owner)
        deadline = time.monotonic() + 10
        while _waiting(engine, owner) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        indexer.stop()
    assert _waiting(engine, owner) == set()
    _exact(engine, owner)


def test_a_record_pushed_twice_whose_stored_sort_key_is_out_of_date_ends_exact(
    engine: sa.Engine, new_owner: Callable[[], int]
) -> None:
    # A stored sort key the model no longer computes (pinyin data or the key's rules moved
    # on). Two edits of a memo's body — no term field — in one push: the second one's row is
    # the push's own, with no key to keep, so it writes the new key; the memo must go to the
    # backlog and all its term rows be rewritten with that key, none left on the old one.
    owner, rid = new_owner(), str(uuid.uuid4())
    _push(engine, owner, {"record_id": rid, "kind": "memo", "op": "create",
                          "changes": {"title": "年货清单", "body": "糖"}})  # fmt: skip
    backlog.catch_up_now(engine, owner)  # its term rows written
    with engine.begin() as conn:
        conn.execute(sa.update(records).where(records.c.id == rid).values(sort_key="zzz"))
        conn.execute(
            sa.update(record_terms).where(record_terms.c.record_id == rid).values(sort_key="zzz")
        )
    _push(engine, owner, {"record_id": rid, "kind": "memo", "op": "update",
                          "base_version": 1, "changes": {"body": "糖、瓜子"}},
          {"record_id": rid, "kind": "memo", "op": "update",
           "base_version": 2, "changes": {"body": "糖、瓜子、春联"}})  # fmt: skip
    assert _waiting(engine, owner) == {rid}
    backlog.catch_up_now(engine, owner)
    _exact(engine, owner)
