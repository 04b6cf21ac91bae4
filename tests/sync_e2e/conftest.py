"""Fixtures of the end-to-end sync tests: one real server in a thread per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .threaded import ThreadedServer


@pytest.fixture(scope="module")
def threaded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadedServer]:
    server = ThreadedServer(tmp_path_factory.mktemp("e2e-server"))
    server.start()
    yield server
    server.stop()
