"""apply() of the sync's actions: pulls, push results, tombstones, conflicts and notices
(issue 3 §2–§3; docs/sync.md client decisions)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from almanac.errors import InvalidInput
from almanac.model import dump_content, validate_content
from almanac.store.local import LocalStore
from almanac.sync.decide import on_pull, on_result
from almanac.sync.protocol import (
    ConflictRecord,
    ErrorInfo,
    FieldConflict,
    MutationResult,
    RecordChange,
)

from .support import contact

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def change(
    record_id: UUID,
    kind: str,
    data: dict[str, Any] | None,
    version: int,
    change_no: int,
    deleted: bool = False,
) -> RecordChange:
    content = None if data is None else dump_content(validate_content(kind, data))
    return RecordChange(
        id=record_id,
        kind=kind,
        version=version,
        change_no=change_no,  # type: ignore[arg-type]
        deleted=deleted,
        content=content,
        updated_at=NOW,
    )


def pulled(store: LocalStore, *changes: RecordChange) -> None:
    with store.transaction():
        for c in changes:
            store.apply(list(on_pull(c, store.shadow(c.id), store.pending_for(c.id))))


def test_pull_shows_records_and_keeps_local_edits_on_top(store: LocalStore) -> None:
    """A pulled record shows with its version; a pending local edit stays visible on top of a
    newer pulled version (rebased when the server holds what the person saw)."""
    rid = uuid4()
    pulled(store, change(rid, "contact", contact("贾宝玉", "13600001111"), 1, 10))
    item = store.get(rid)
    assert item is not None and item.version == 1 and not item.pending
    assert store.known_ids() == {rid}
    store.edit("update", "contact", rid, {"company": "荣国府"})
    pulled(store, change(rid, "contact", contact("贾宝玉", "13600002222"), 2, 11))
    item = store.get(rid)
    assert item is not None and item.version == 2 and item.pending
    assert item.content["company"] == "荣国府"
    assert item.content["phones"][0]["value"] == "13600002222"
    [entry] = store.outbox()
    assert entry.mutation.base_version == 2  # rebased: nobody else touched company
    assert [i.id for i in store.list("contact", q="rgf").items] == [rid]


def test_tombstone_hides_the_record(store: LocalStore) -> None:
    rid = uuid4()
    data = contact("王熙凤", "13600003333")
    pulled(store, change(rid, "contact", data, 1, 5))
    assert store.count("contact") == 1
    pulled(store, change(rid, "contact", None, 2, 6, deleted=True))
    item = store.get(rid)
    assert item is not None and item.deleted and item.content["name"] == "王熙凤"
    assert store.count("contact") == 0 and store.list("contact", q="wxf").items == []


def test_push_result_drops_the_mutation_and_notifies(store: LocalStore) -> None:
    """on_result: the mutation leaves the outbox, the returned record becomes the shadow,
    conflicts come back as Notify; a rejection is dropped and reported."""
    rid = uuid4()
    pulled(store, change(rid, "memo", {"title": "端午节包粽子"}, 3, 20))
    store.edit("update", "memo", rid, {"body": "买糯米和粽叶"})
    [entry] = store.outbox()
    store.mark_sent([entry.mutation_id])
    record = change(rid, "memo", {"title": "端午节包粽子", "body": "买糯米和粽叶"}, 4, 21)
    result = MutationResult(
        mutation_id=entry.mutation_id,
        status="conflict",
        record=record,
        conflicts=[FieldConflict(field="body", kept_value="买糯米和粽叶", other_value="买肉")],
    )
    notes = store.apply(list(on_result(result, store.shadow(rid), store.pending_for(rid))))
    assert store.outbox() == []
    item = store.get(rid)
    assert item is not None and item.version == 4 and not item.pending
    assert [n.what for n in notes] == ["conflict"]
    store.add_notices(notes)
    [told] = store.notices()
    assert told["what"] == "conflict" and told["conflicts"][0]["other_value"] == "买肉"

    new = uuid4()
    store.edit("create", "memo", new, {"title": "重阳登高"})
    [entry] = store.outbox()
    rejected = MutationResult(
        mutation_id=entry.mutation_id,
        status="rejected",
        error=ErrorInfo(code="invalid", message="bad", field="title"),
    )
    notes = store.apply(list(on_result(rejected, None, store.pending_for(new))))
    assert store.outbox() == [] and store.get(new) is None
    assert notes[0].what == "rejected"


def test_bulk_pull_defers_the_index_and_search_still_finds_everything(store: LocalStore) -> None:
    """A pull of many records defers sort keys and terms; a listing meanwhile scans the
    waiting items (and writes nothing), and finds what it finds once the index is built."""
    changes = [
        change(
            uuid4(),
            "contact",
            contact(f"欧阳{'一二三四五六七八九十'[i % 10]}{i}", f"1380013{i:04d}"),
            1,
            i + 1,
        )
        for i in range(600)
    ]
    pulled(store, *changes)
    unindexed = store._conn.execute("SELECT count(*) FROM items WHERE indexed = 0").fetchone()
    assert unindexed[0] == 600
    page = store.list("contact", q="oyy", limit=1000)
    assert len(page.items) == 60
    assert store.waiting() == 600
    assert store.index_step(250) == 250 and store.waiting() == 350
    assert store.list("contact", q="oyy", limit=1000) == page
    assert store.reindex() == 350
    assert store.list("contact", q="oyy", limit=1000) == page
    assert store.reindex() == 0 and store.waiting() == 0


def test_forget_and_add_pending(store: LocalStore) -> None:
    """Resync: forget drops shadows the server no longer has, pending edits stay; salvaged
    edits are re-queued with their ids (a second time is a no-op)."""
    kept, gone = uuid4(), uuid4()
    pulled(
        store,
        change(kept, "group", {"name": "亲戚"}, 1, 1),
        change(gone, "group", {"name": "旧同事"}, 1, 2),
    )
    store.edit("update", "group", kept, {"name": "亲戚们"})
    queued = store.outbox()
    store.forget([kept, gone])
    assert store.known_ids() == set() and store.get(gone) is None
    assert store.outbox() == queued
    other = LocalStore.create(store.path.with_name("other.db"), bytes(32))
    other.add_pending(queued)
    other.add_pending(queued)
    assert other.outbox() == queued
    other.close()


def test_conflicts_upsert_and_prefix(store: LocalStore) -> None:
    rid = uuid4()
    cid = UUID("abcd1234-0000-4000-8000-000000000001")
    record = ConflictRecord(
        id=cid,
        record_id=rid,
        kind="contact",
        field="name",
        kept_value="张三",
        other_value="张叁",
        kept_version=3,
        other_version=2,
        change_no=7,
        created_at=NOW,
    )
    store.put_conflicts([record])
    assert store.conflicts() == [record] and store.conflict("abcd1") == record
    settled = record.model_copy(update={"resolved": True, "change_no": 9})
    store.put_conflicts([settled])
    assert store.conflicts() == [] and store.conflicts(resolved=True) == [settled]
    assert store.conflicts(resolved=None) == [settled]


def test_a_failed_part_of_a_transaction_undoes_only_itself(store: LocalStore) -> None:
    """A failing edit inside a pull's transaction (a savepoint) undoes only the edit: the
    records pulled before and after it are committed and visible."""
    first, second = uuid4(), uuid4()
    with store.transaction():
        pulled(store, change(first, "group", {"name": "驴友"}, 1, 1))
        with pytest.raises(InvalidInput):
            store.edit("create", "group", uuid4(), {"name": ""})
        pulled(store, change(second, "group", {"name": "书友"}, 1, 2))
    assert {i.content["name"] for i in store.list("group").items} == {"驴友", "书友"}
    assert store.outbox() == [] and store.known_ids() == {first, second}


def test_a_failed_transaction_leaves_nothing(store: LocalStore) -> None:
    """A pull page that fails half way leaves no shadow, item or cursor behind."""
    rid = uuid4()
    with pytest.raises(RuntimeError), store.transaction():
        pulled(store, change(rid, "group", {"name": "牌友"}, 1, 1))
        assert store.shadow(rid) is not None
        store.cursor = 1
        raise RuntimeError("the network went away")
    assert store.shadow(rid) is None and store.get(rid) is None
    assert store.known_ids() == set() and store.cursor == 0 and store.count() == 0


def test_apply_pulled_equals_applying_record_by_record(tmp_path: Path) -> None:
    """apply_pulled (one page at once) leaves the same shadows, items, outbox and notices as
    on_pull + apply per change — with a pending edit rebased and a tombstone among them."""
    stores = [LocalStore.create(tmp_path / f"{n}.db", bytes(32)) for n in ("bulk", "one")]
    ids = [uuid4() for _ in range(300)]
    first = [change(i, "memo", {"title": f"第{n}条"}, 1, n + 1) for n, i in enumerate(ids)]
    for store in stores:
        store.apply_pulled(first[:2]) if store is stores[0] else pulled(store, *first[:2])
        store.edit("update", "memo", ids[0], {"body": "本地改的"})
    second = [
        change(ids[0], "memo", {"title": "第0条改"}, 2, 400),
        change(ids[1], "memo", None, 2, 401, deleted=True),
        *first[2:],
    ]
    with stores[0].transaction():
        stores[0].apply_pulled(second)
    pulled(stores[1], *second)
    for s in stores:  # which rows a write indexes at once and which it defers may differ
        s.reindex()
    bulk, one = (
        (
            s._conn.execute("SELECT * FROM shadows ORDER BY id").fetchall(),
            s._conn.execute("SELECT * FROM items ORDER BY id").fetchall(),
            s._conn.execute("SELECT * FROM terms ORDER BY record_id, term").fetchall(),
            [(p.mutation.model_dump(exclude={"mutation_id"}), p.previous) for p in s.outbox()],
        )
        for s in stores
    )
    assert bulk == one
    assert stores[0].get(ids[0]).content == {
        **first[0].content,
        "title": "第0条改",
        "body": "本地改的",
    }  # type: ignore[union-attr]
    for store in stores:
        store.close()
