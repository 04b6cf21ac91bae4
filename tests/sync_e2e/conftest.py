"""Fixtures of the end-to-end sync tests: one real server in a thread per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from almanac.store import keys

from .threaded import ThreadedServer


@pytest.fixture(scope="module")
def threaded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadedServer]:
    server = ThreadedServer(tmp_path_factory.mktemp("e2e-server"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def cheap_store_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Key files made in the test use the cheapest Argon2id costs (as the server uses cheap
    password hashing in tests): each run logs three devices in. The costs are kept in the key
    file, so unlocking follows them; the KDF and the encryption themselves are real."""
    cheap = keys.KdfCosts(time_cost=1, memory_cost=8, parallelism=1)
    for fn in (keys.new_keys, keys.rewrap):
        assert fn.__kwdefaults__ is not None
        monkeypatch.setitem(fn.__kwdefaults__, "costs", cheap)
