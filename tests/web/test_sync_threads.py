"""The server process runs its sync routes on a few threads, not anyio's 40 (``SYNC_THREADS``
in ``almanac.server.app``: fewer threads taking turns at the GIL, bench/web.py)."""

from __future__ import annotations

import threading

import anyio.to_thread
from fastapi.testclient import TestClient

from almanac.server.app import SYNC_THREADS


def test_the_app_limits_its_sync_route_threads(client: TestClient) -> None:
    tokens = client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter())
    assert tokens.total_tokens == SYNC_THREADS < 40


def test_many_sync_calls_run_on_at_most_that_many_threads(client: TestClient) -> None:
    seen: set[int] = set()
    limiter = client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter())

    async def many() -> None:
        async def one() -> None:
            await anyio.to_thread.run_sync(lambda: seen.add(threading.get_ident()))

        async with anyio.create_task_group() as group:
            for _ in range(20):
                group.start_soon(one)
        assert limiter.borrowed_tokens == 0

    client.portal.call(many)
    assert 1 <= len(seen) <= SYNC_THREADS
