"""One app per test database for each test module (the suite stays fast), and fresh people:
tests isolate themselves by registering new user names, never by emptying tables."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from almanac.server.app import create_app

from .support import Person, cheap_settings, new_person, unique_name


@pytest.fixture(scope="module")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    data_dir: Path = tmp_path_factory.mktemp("api-data")
    return create_app(cheap_settings(data_dir, database_url))


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    # Its own client address: failed logins are also counted per address, across the run.
    with TestClient(app, client=(unique_name("peer-"), 50000)) as test_client:
        yield test_client


@pytest.fixture
def person(client: TestClient) -> Person:
    """A freshly registered person holding an API token."""
    return new_person(client)


@pytest.fixture
def make_person(client: TestClient) -> Callable[[], Person]:
    return lambda: new_person(client)
