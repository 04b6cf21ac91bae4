"""Fixtures for the web pages' tests: for the in-process ones a fresh app on its own SQLite
file per test and a TestClient (R1, R2); for the browser ones one real server process and one
headless Chromium for the whole session (``browser``, in ``tests/conftest.py``), and a fresh
browser profile per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page

from almanac.server.app import create_app

from .browser_support import DESKTOP, running_server
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


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("browser-server")) as base_url:
        yield base_url


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A fresh browser profile at desktop size, and the list of CSP complaints it logs."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    tab = context.new_page()
    complaints: list[str] = []
    tab.on("console", lambda msg: _note_csp(complaints, msg))
    tab.on("pageerror", lambda exc: complaints.append(f"page error: {exc}"))
    try:
        yield tab, complaints
    finally:
        context.close()


def _note_csp(complaints: list[str], message: Any) -> None:
    text = message.text
    if "Content Security Policy" in text or "Refused to" in text:
        complaints.append(text)
