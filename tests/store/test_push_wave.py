"""The store's push-wave helpers (docs/sync.md "One sync"; issue 3 §3) do in bulk what the
engine did record by record: ``push_heads`` is ``decide.push_batch`` of the outbox,
``outbox_counts`` counts it, ``push_context`` + ``apply_results`` leave the store exactly as
``shadow``/``pending_for``/``apply`` per result do."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from almanac.model import dump_content, validate_content
from almanac.store.local import BULK_WAL_PAGES, LocalStore
from almanac.store.rows import JsonObject
from almanac.sync.decide import Pending, on_result, push_batch
from almanac.sync.protocol import ErrorInfo, MutationResult, RecordChange

from .support import contact, pull, server_state
from .test_apply import NOW


def prepared(store: LocalStore) -> list[UUID]:
    """Eight records with edits queued: some sent, some with a second edit after the send,
    one delete, one new record."""
    ids = pull(
        store, *(server_state("contact", contact(f"张{n}", f"1380000000{n}")) for n in range(6))
    )
    for n, rid in enumerate(ids[:5]):
        store.edit("update", "contact", rid, {"title": f"经理{n}"})
    store.mark_sent([p.mutation_id for p in store.outbox()[:3]])
    store.edit("update", "contact", ids[0], {"company": "腾讯"})  # a second entry for ids[0]
    store.edit("update", "contact", ids[2], {"company": "百度"})
    store.edit("delete", "contact", ids[5], None)
    new = uuid4()
    store.edit("create", "contact", new, contact("新人", "13900000000"))
    return [*ids, new]


def test_push_heads_is_push_batch_of_the_outbox(store: LocalStore) -> None:
    prepared(store)
    outbox = store.outbox()
    assert len(outbox) == 9
    for limit in (1, 3, 7, 500):
        assert store.push_heads(limit) == push_batch(outbox, limit)
    assert store.outbox_counts() == (9, 1)


def record(entry_content: dict[str, Any], rid: UUID, version: int) -> RecordChange:
    content = dump_content(validate_content("contact", entry_content))
    return RecordChange(
        id=rid, kind="contact", version=version, change_no=version + 10, content=content,
        updated_at=NOW,
    )  # fmt: skip


def answers(store: LocalStore) -> tuple[list[Any], list[MutationResult]]:
    """The wave's batch and the server's answers: applied, one rejected, one conflict."""
    batch = store.push_heads(500)
    store.mark_sent([p.mutation_id for p in batch])
    results = []
    for n, entry in enumerate(batch):
        if n == 1:
            error = ErrorInfo(code="invalid", message="bad", field="title")
            results.append(
                MutationResult(mutation_id=entry.mutation_id, status="rejected", error=error)
            )
            continue
        data = {"name": "x", **entry.previous, **entry.mutation.changes}
        data.pop("id", None)
        deleted = entry.mutation.op == "delete"
        base = entry.mutation.base_version or 0
        rec = record(data, entry.record_id, base + 1)
        if deleted:
            rec = rec.model_copy(update={"deleted": True})
        status = "conflict" if n == 2 else "applied"
        results.append(MutationResult(mutation_id=entry.mutation_id, status=status, record=rec))
    return batch, results


@pytest.fixture
def twin(tmp_path: Path, key: bytes) -> Iterator[LocalStore]:
    with LocalStore.create(tmp_path / "twin.db", key) as store:
        yield store


def test_apply_results_equals_apply_per_result(store: LocalStore, twin: LocalStore) -> None:
    for one in (store, twin):
        prepared(one)
    batch, results = answers(store)
    batch_twin, _ = answers(twin)
    # The same answers for the twin (its own mutation and record ids).
    renamed = {a.mutation_id: b for a, b in zip(batch, batch_twin, strict=True)}
    twin_results = [
        r.model_copy(
            update={
                "mutation_id": renamed[r.mutation_id].mutation_id,
                "record": None
                if r.record is None
                else r.record.model_copy(update={"id": renamed[r.mutation_id].record_id}),
            }
        )
        for r in results
    ]
    with store.transaction():
        told: list[Any] = []
        for result, entry in zip(results, batch, strict=True):
            rid = entry.record_id
            actions = on_result(result, store.shadow(rid), store.pending_for(rid))
            told.extend(store.apply(list(actions)))
    with twin.transaction():
        ids = [p.record_id for p in batch_twin]
        shadows, pending = twin.push_context(batch_twin)
        actions = [
            a
            for r, p in zip(twin_results, batch_twin, strict=True)
            for a in on_result(r, shadows.get(p.record_id), pending.get(p.record_id, []))
        ]
        told_twin = twin.apply_results(actions)
    assert [n.what for n in told] == [n.what for n in told_twin] == ["rejected", "conflict"]

    def seen(one: LocalStore, order: list[UUID]) -> list[Any]:
        items = [one.get(rid) for rid in order]
        rows = [(i.kind, i.version, i.deleted, i.pending, i.content) for i in items if i]
        queue = [(p.mutation.op, p.mutation.base_version, p.sent) for p in one.outbox()]
        return [rows, queue, one.outbox_counts()]

    assert seen(store, [p.record_id for p in batch]) == seen(twin, ids)
    assert store.outbox_counts() == (2, 0)  # the answered are gone; two later edits wait


def test_a_large_wave_written_back_keeps_the_index(store: LocalStore) -> None:
    """More than ``INLINE`` results whose content is what the store shows already: the items
    stay indexed (no 10,000 records waiting for the index after a big push); a result that
    changes the content is indexed again, and search finds the new words (R4, R12)."""
    ids = pull(
        store, *(server_state("contact", contact(f"张{n}", f"1380000{n:04d}")) for n in range(300))
    )
    store.reindex()
    for n, rid in enumerate(ids):
        store.edit("update", "contact", rid, {"title": f"经理{n}"})
    assert store.waiting() == 0
    batch = store.push_heads(500)
    store.mark_sent([p.mutation_id for p in batch])
    results = []
    for n, entry in enumerate(batch):
        shown = store.get(entry.record_id)
        assert shown is not None
        data = dict(shown.content)  # what the device shows: the server's answer, as a rule
        if n == 0:
            data["company"] = "腾讯"  # the server merged in another device's edit
        rec = record(data, entry.record_id, (entry.mutation.base_version or 0) + 1)
        results.append(MutationResult(mutation_id=entry.mutation_id, status="applied", record=rec))
    _apply_answers(store, batch, results)
    assert store.waiting() == 1  # only the record whose content changed
    assert [i.id for i in store.list("contact", q="经理299").items] == [ids[299]]
    assert [i.id for i in store.list("contact", q="腾讯").items] == [batch[0].record_id]
    written = store.get(ids[5])
    assert written is not None and written.version == 2 and not written.pending


def test_take_wave_is_push_heads_marked_sent(store: LocalStore) -> None:
    """``take_wave`` = ``push_heads`` + ``mark_sent``: the same entries, sent, committed so."""
    ids = prepared(store)
    skip = {ids[1]}
    expected = store.push_heads(4, skip)
    taken = store.take_wave(4, skip)
    assert [p.mutation for p in taken] == [p.mutation for p in expected]
    assert [dict(p.previous) for p in taken] == [dict(p.previous) for p in expected]
    assert all(p.sent for p in taken)
    sent = {p.mutation_id for p in store.outbox() if p.sent}
    assert {p.mutation_id for p in taken} <= sent
    assert store.take_wave(500, {p.record_id for p in store.outbox()}) == []


def test_push_context_reads_what_shadow_and_pending_for_read(store: LocalStore) -> None:
    ids = prepared(store)
    batch = store.take_wave(500)
    shadows, pending = store.push_context(batch)
    for entry in batch:
        rid = entry.record_id
        assert shadows.get(rid) == store.shadow(rid)
        assert pending[rid] == store.pending_for(rid)
    assert shadows[ids[0]].content == dict(shadows[ids[0]].content)  # parsed when read


def test_a_json_object_is_its_dict() -> None:
    text = '{"name":"张伟","phones":[{"value":"138"}],"pinned":false,"n":null}'
    lazy, data = JsonObject(text), json.loads(text)
    assert lazy == data and data == lazy and dict(lazy) == data
    assert lazy.get("name") == "张伟" and lazy.get("x") is None and "n" in lazy
    assert len(lazy) == 4 and list(lazy) == list(data) and repr(lazy) == repr(data)
    assert JsonObject("{}") != data


def test_checkpoints_deferred_for_a_push_and_back_after(store: LocalStore) -> None:
    def pages() -> int:
        return int(store._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])

    assert pages() == 1000  # SQLite's default
    with store.checkpoints_deferred():
        assert pages() == BULK_WAL_PAGES
        prepared(store)  # writes go on as usual
    assert pages() == 1000 and store.outbox_size() == 9


def test_answers_equal_to_what_shows_update_only_version_and_pending(store: LocalStore) -> None:
    """A wave whose every answer is what the device shows: the items get the new version, no
    pending mark, keep their index, and the change counter (kind, content, deletion) stays."""
    ids = pull(
        store, *(server_state("contact", contact(f"王{n}", f"1390000{n:04d}")) for n in range(5))
    )
    store.reindex()
    for n, rid in enumerate(ids):
        store.edit("update", "contact", rid, {"title": f"工程师{n}"})
    batch = store.take_wave(500)
    results = []
    for entry in batch:
        shown = store.get(entry.record_id)
        assert shown is not None and shown.pending
        rec = record(dict(shown.content), entry.record_id, 2)
        results.append(MutationResult(mutation_id=entry.mutation_id, status="applied", record=rec))
    counted = store.changes
    _apply_answers(store, batch, results)
    assert store.changes == counted and store.waiting() == 0
    for rid in ids:
        item = store.get(rid)
        assert item is not None and item.version == 2 and not item.pending
    assert [i.id for i in store.list("contact", q="工程师3").items] == [ids[3]]


def _apply_answers(store: LocalStore, batch: list[Pending], results: list[MutationResult]) -> None:
    """A wave's answers applied as the engine applies them, in one transaction."""
    with store.transaction():
        shadows, pending = store.push_context(batch)
        actions = [
            a
            for r, p in zip(results, batch, strict=True)
            for a in on_result(r, shadows.get(p.record_id), pending.get(p.record_id, []))
        ]
        store.apply_results(actions)
