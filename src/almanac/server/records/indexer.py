"""``Indexer``: the term backlog caught up in the background (``records.backlog``).

A push marks the records whose terms changed; the sync route tells the indexer (``poke``)
and the indexer's thread catches that owner up once their pushes have paused for ``quiet``
seconds — a device pushing 10,000 edits in 20 requests is not slowed by it, and the work is
done before the person's next search most of the time. A search that comes first catches up
itself; so the indexer only moves work out of the way, and nothing depends on it having run.
A failure is logged and the owner tried again at the next poke.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from almanac.server.records import backlog

log = logging.getLogger(__name__)

CHUNK = 100
"""Records per transaction: a push that comes while the indexer works waits for one chunk
(~20–40 ms of 100 contacts), and the indexer stops after it."""


class Indexer:
    def __init__(self, engine: Any, *, quiet: float = 0.3, interval: float = 0.05) -> None:
        self.engine = engine
        self.quiet = quiet
        self.interval = interval
        self._due: dict[int, float] = {}  # owner → when their last push was answered
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def poke(self, owner_id: int) -> None:
        """The owner's push just committed: catch them up once they pause."""
        with self._lock:
            self._due[owner_id] = time.monotonic()

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="term-indexer", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop after the chunk under way (a transaction of ``backlog.CHUNK`` records)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for owner_id in self._ready():
                if self._stop.is_set():
                    return
                try:
                    with self.engine.connect() as conn:
                        if not backlog.waiting(conn, owner_id):
                            continue
                    # between chunks: stopping, or the person pushing again (caught up
                    # once they pause: the push is not slowed by the catch-up)
                    backlog.catch_up_now(
                        self.engine, owner_id, stop=lambda o=owner_id: self._busy(o), chunk=CHUNK
                    )
                except Exception:  # a database hiccup: the next poke or read tries again
                    log.exception("term backlog of person %s not caught up", owner_id)

    def _busy(self, owner_id: int) -> bool:
        with self._lock:
            return self._stop.is_set() or owner_id in self._due

    def _ready(self) -> list[int]:
        """The owners quiet for ``quiet`` seconds, taken off the list."""
        now = time.monotonic()
        with self._lock:
            ready = [o for o, at in self._due.items() if now - at >= self.quiet]
            for owner_id in ready:
                del self._due[owner_id]
        return ready
