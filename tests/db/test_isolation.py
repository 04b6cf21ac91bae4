"""One person never sees or changes another's records (R1): every id of person A is
``NotFound`` for person B, on every operation, and A's records stay as they were."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from almanac.errors import NotFound
from almanac.model import KINDS
from almanac.server.records import RecordStore

from .samples import CHANGES, SAMPLES


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_other_peoples_ids_are_not_found(
    kind: str, store: RecordStore, new_owner: Callable[[], int]
) -> None:
    alice, bob = new_owner(), new_owner()
    record = store.create(alice, kind, SAMPLES[kind])
    with pytest.raises(NotFound) as info:
        store.get(bob, kind, record.id)
    assert "张三" not in str(info.value)
    with pytest.raises(NotFound):
        store.update(bob, kind, record.id, CHANGES[kind])
    with pytest.raises(NotFound):
        store.delete(bob, kind, record.id)
    assert store.get(alice, kind, record.id) == record
    assert store.changes_since(bob, 0) == [] and store.last_change_no(bob) == 0
    assert store.list(bob, kind).items == []


def test_another_kinds_id_is_not_found(store: RecordStore, new_owner: Callable[[], int]) -> None:
    owner = new_owner()
    memo = store.create(owner, "memo", {"title": "备忘"})
    for kind in sorted(set(KINDS) - {"memo"}):
        with pytest.raises(NotFound):
            store.get(owner, kind, memo.id)
        with pytest.raises(NotFound):
            store.delete(owner, kind, memo.id)
    assert store.get(owner, "memo", memo.id) == memo


def test_change_numbers_are_per_person(store: RecordStore, new_owner: Callable[[], int]) -> None:
    alice, bob = new_owner(), new_owner()
    numbers: dict[int, list[int]] = {alice: [], bob: []}
    for i in range(6):
        owner = (alice, bob, alice)[i % 3]
        numbers[owner].append(store.create(owner, "memo", {"title": f"第{i}条"}).change_no)
    assert numbers[alice] == [1, 2, 3, 4] and numbers[bob] == [1, 2]
    assert [r.change_no for r in store.changes_since(alice, 2)] == [3, 4]
    assert [r.change_no for r in store.changes_since(alice, 0, limit=3)] == [1, 2, 3]
