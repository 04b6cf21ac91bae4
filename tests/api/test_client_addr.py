"""Throttling per client address (R1, issue 2 §4) sees the real client: the socket peer, or —
only when ``trust_proxy_headers`` is on — the address the trusted proxy appended to
X-Forwarded-For (the last entry; earlier ones are the client's own claims)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from almanac.server.app import create_app

from .support import cheap_settings, login, unique_name


def _client(database_url: str, tmp: pytest.TempPathFactory, trust: bool) -> Iterator[TestClient]:
    settings = cheap_settings(
        tmp.mktemp("addr"),
        database_url,
        trust_proxy_headers=trust,
        throttle_addr_max_failures=3,
        throttle_max_failures=100,
    )
    with TestClient(create_app(settings), client=(unique_name("peer-"), 50000)) as client:
        yield client


@pytest.fixture(scope="module")
def behind_proxy(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    yield from _client(database_url, tmp_path_factory, trust=True)


@pytest.fixture(scope="module")
def direct(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from _client(database_url, tmp_path_factory, trust=False)


def fail_from(client: TestClient, forwarded: str) -> int:
    headers = {"X-Forwarded-For": forwarded}
    response = client.post(
        "/api/v1/auth/token",
        json={"username": unique_name(), "password": "wrong password", "device": "pc"},
        headers=headers,
    )
    return response.status_code


def test_behind_a_trusted_proxy_each_forwarded_address_counts_alone(
    behind_proxy: TestClient,
) -> None:
    proxy_seen = "203.0.113.7"
    for claimed in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):  # the client's own claims don't help
        assert fail_from(behind_proxy, f"{claimed}, {proxy_seen}") == 401
    assert fail_from(behind_proxy, f"9.9.9.9, {proxy_seen}") == 429
    assert fail_from(behind_proxy, "203.0.113.8") == 401  # another client is not locked out


def test_without_trust_the_header_is_ignored(direct: TestClient) -> None:
    for index in range(3):
        assert fail_from(direct, f"203.0.113.{index}") == 401
    assert fail_from(direct, "203.0.113.99") == 429  # same socket peer: locked
    assert login(direct, unique_name()).status_code == 429
