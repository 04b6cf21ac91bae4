"""One store used from two threads, as the desktop app does (a worker reads while the window
writes; R12, issue 6 §3): a transaction and a snapshot read on another thread wait for each
other instead of one's ``BEGIN`` landing inside the other's transaction."""

from __future__ import annotations

import threading
import uuid

from almanac.store.local import LocalStore


def test_a_worker_reading_while_the_window_writes_never_collides(store: LocalStore) -> None:
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                store.list("memo", limit=20)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=reader)
    worker.start()
    try:
        for n in range(60):
            store.edit("create", "memo", uuid.uuid4(), {"title": f"备忘 {n}", "body": "x"})
    finally:
        stop.set()
        worker.join(timeout=30)
    assert errors == []
    assert len(store.list("memo", limit=100).items) == 60


def test_the_change_counter_waits_for_a_write_on_another_thread(store: LocalStore) -> None:
    """``LocalStore.changes`` from a worker while the window's thread is inside a write
    transaction waits for its commit, as every other use of the shared connection does (it
    once went straight to the connection and deadlocked with the write's trigger), then
    sees the change."""
    before = store.changes
    seen: list[int] = []
    worker = threading.Thread(target=lambda: seen.append(store.changes))
    with store.transaction():
        store.edit("create", "memo", uuid.uuid4(), {"title": "体检预约"})
        worker.start()
        worker.join(timeout=0.3)
        assert worker.is_alive() and seen == []  # waiting for the commit
    worker.join(timeout=10)
    assert not worker.is_alive() and seen[0] != before


def test_a_worker_reading_a_setting_while_the_window_writes_never_hangs(
    store: LocalStore,
) -> None:
    """A desktop worker reads a setting (``get_meta``, straight on the shared connection)
    while the window's thread writes items. When the items' triggers called a Python
    function, the two could hang for good: the reader held the GIL waiting for SQLite's
    connection mutex, the write's trigger held the mutex waiting for the GIL (seen in the
    suite, session 9). Both run on daemon threads here, so a hang fails the test."""
    store.set_meta("language", "zh-CN")
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                assert store.get_meta("language") == "zh-CN"
        except BaseException as exc:
            errors.append(exc)

    def writer() -> None:
        try:
            for n in range(300):
                store.edit("create", "memo", uuid.uuid4(), {"title": f"备忘 {n}", "body": "x"})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=reader, daemon=True)]
    threads.append(threading.Thread(target=writer, daemon=True))
    for thread in threads:
        thread.start()
    threads[1].join(timeout=60)
    stop.set()
    threads[0].join(timeout=10)
    assert not any(thread.is_alive() for thread in threads), "the two threads hung"
    assert errors == []
    assert store.count() == 300


def test_a_count_read_inside_an_undone_transaction_is_never_taken_for_later(
    store: LocalStore,
) -> None:
    """The counter's table rolls back with its transaction: a count read inside a
    transaction that is then undone must differ from the count after another change brings
    the table to the same value again (``Changes.rolled_back``)."""
    store.changes  # noqa: B018 - the counter's first reading
    inside: list[int] = []
    try:
        with store.transaction():
            store.edit("create", "memo", uuid.uuid4(), {"title": "撤销的"})
            inside.append(store.changes)
            raise RuntimeError("undo")
    except RuntimeError:
        pass
    store.edit("create", "memo", uuid.uuid4(), {"title": "留下的"})
    assert store.changes != inside[0]
