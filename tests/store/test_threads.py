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
