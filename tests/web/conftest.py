"""Fixtures for the web pages' in-process tests: a fresh app on its own SQLite file per test,
a TestClient, and helpers to register, log in and read forms (R1, R2)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from almanac.server.app import create_app

from .support import login, make_settings, register


@pytest.fixture
def app_factory(tmp_path: Path) -> Callable[..., FastAPI]:
    """Build an app on this test's SQLite file (same file for every call)."""

    def make(**overrides: Any) -> FastAPI:
        return create_app(make_settings(tmp_path, **overrides))

    return make


@pytest.fixture
def app(app_factory: Callable[..., FastAPI]) -> FastAPI:
    return app_factory()


@pytest.fixture
def client_factory(app: FastAPI) -> Iterator[Callable[..., TestClient]]:
    """More browsers on the same app (each with its own cookies)."""
    made: list[TestClient] = []

    def make(**kwargs: Any) -> TestClient:
        client = TestClient(app, follow_redirects=False, **kwargs)
        client.__enter__()
        made.append(client)
        return client

    yield make
    for client in made:
        client.__exit__(None, None, None)


@pytest.fixture
def client(client_factory: Callable[..., TestClient]) -> TestClient:
    return client_factory()


@pytest.fixture
def logged_in(client: TestClient) -> TestClient:
    """``client`` as the registered, logged-in person ``wang``."""
    assert register(client, "wang").status_code == 303
    assert login(client, "wang").status_code == 303
    return client
