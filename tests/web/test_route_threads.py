"""The server process runs its sync (``def``) routes on a few threads, not anyio's 40: the
``threads`` setting (``ALMANAC_THREADS``, docs/configuration.md; fewer threads take fewer
turns at the GIL, and enough of them keep pages going past a slow request, docs/web.md)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import anyio.to_thread
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from almanac.server.settings import ServerSettings


def _limit(client: TestClient) -> int:
    limiter = client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter())
    return int(limiter.total_tokens)


def test_the_app_limits_its_route_threads_to_the_setting(client: TestClient) -> None:
    default = ServerSettings.model_fields["threads"].default
    assert _limit(client) == default < 40


@pytest.mark.parametrize("threads", [1, 3, 8])
def test_many_sync_calls_run_on_at_most_that_many_threads(
    app_factory: Callable[..., FastAPI], threads: int
) -> None:
    seen: set[int] = set()
    with TestClient(app_factory(threads=threads)) as client:
        assert _limit(client) == threads
        limiter = client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter())

        async def many() -> None:
            async def one() -> None:
                await anyio.to_thread.run_sync(lambda: seen.add(threading.get_ident()))

            async with anyio.create_task_group() as group:
                for _ in range(20):
                    group.start_soon(one)
            assert limiter.borrowed_tokens == 0

        client.portal.call(many)
    assert 1 <= len(seen) <= threads


def test_the_setting_comes_from_its_environment_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALMANAC_THREADS", "6")
    assert ServerSettings().threads == 6
