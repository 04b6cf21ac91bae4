"""Concurrent writers for one person (R8, R13: change numbers are what sync stands on).

Threads write at the same time through their own connections; the owner's counter row lock
(PostgreSQL, MariaDB) or the database write lock (SQLite) must hand out unique, gap-free,
increasing change numbers, lose no update, and let only one of two equal group names in."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from almanac.errors import Duplicate
from almanac.server.records import RecordStore, StoredRecord

THREADS = 4
EACH = 8


def test_concurrent_writers_get_gap_free_change_numbers(
    store: RecordStore, new_owner: Callable[[], int]
) -> None:
    owner, other = new_owner(), new_owner()
    shared = store.create(owner, "memo", {"title": "共享"})
    start = Barrier(THREADS)

    def work(n: int) -> list[int]:
        start.wait()
        numbers = []
        for i in range(EACH):
            if i % 2:
                numbers.append(
                    store.update(owner, "memo", shared.id, {"body": f"{n}-{i}"}).change_no
                )
            else:
                numbers.append(store.create(owner, "memo", {"title": f"线程{n}第{i}条"}).change_no)
            store.create(other, "memo", {"title": "别人的"})
        return numbers

    with ThreadPoolExecutor(THREADS) as pool:
        results = [n for numbers in pool.map(work, range(THREADS)) for n in numbers]

    total = THREADS * EACH
    assert sorted(results) == list(range(2, total + 2))
    for numbers in (results[i : i + EACH] for i in range(0, total, EACH)):
        assert numbers == sorted(numbers)  # each thread sees its own numbers increase
    assert store.get(owner, "memo", shared.id).version == 1 + THREADS * EACH // 2
    assert store.last_change_no(owner) == total + 1
    assert store.last_change_no(other) == total
    changes = store.changes_since(owner, 0, limit=5000)
    assert len({c.id for c in changes}) == len(changes) == 1 + THREADS * EACH // 2


def test_concurrent_equal_group_names_let_one_in(
    store: RecordStore, new_owner: Callable[[], int]
) -> None:
    owner = new_owner()
    start = Barrier(THREADS)

    def attempt(_: int) -> StoredRecord | None:
        start.wait()
        try:
            return store.create(owner, "group", {"name": "同一个名字"})
        except Duplicate:
            return None

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(attempt, range(THREADS)))
    assert sum(o is not None for o in outcomes) == 1
    assert len(store.list(owner, "group").items) == 1
    assert store.last_change_no(owner) == 1
