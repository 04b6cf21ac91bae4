"""Shared fixtures: one migrated database per backend for the whole run (for each pytest-xdist
worker process), and one headless Chromium (``browser``) likewise.

``engine`` is parametrized over every backend in ``ALMANAC_TEST_DATABASES`` (default
``sqlite,postgresql,mariadb``): tests using it run three times. Each run creates its own
throw-away databases on the PostgreSQL and MariaDB servers (started by scripts/test when down)
and drops them at the end. Tests isolate themselves by creating their own people
(``new_owner``), never by emptying tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from hypothesis import settings
from playwright.sync_api import Browser, sync_playwright

from almanac.server.db import migrate
from almanac.server.db.engine import make_engine
from almanac.server.db.tables import users
from almanac.store import keys

# Hypothesis's per-example deadline (200 ms) measures the machine, not the code: on the shared
# 2-core machine a loaded moment failed a correct test. Properties are checked, never timed
# (timings live in bench/).
settings.register_profile("almanac", deadline=None)
settings.load_profile("almanac")

ADMIN_URLS = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    "mariadb": "mysql+pymysql://root@127.0.0.1:3306/mysql",
}


def _backends() -> list[str]:
    raw = os.environ.get("ALMANAC_TEST_DATABASES", "sqlite,postgresql,mariadb")
    return [b.strip() for b in raw.split(",") if b.strip()]


def _create_database(backend: str, name: str) -> str:
    admin = sa.create_engine(ADMIN_URLS[backend], isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if backend == "postgresql":
            conn.exec_driver_sql(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
            url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        else:
            conn.exec_driver_sql(
                f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
            )
            url = f"mysql+pymysql://root@127.0.0.1:3306/{name}?charset=utf8mb4"
    admin.dispose()
    return url


def _drop_database(backend: str, name: str) -> None:
    admin = sa.create_engine(ADMIN_URLS[backend], isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if backend == "postgresql":
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
    admin.dispose()


@pytest.fixture(scope="session")
def database_url_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str], str]]:
    """Make a fresh, empty database on ``backend`` and return its URL (dropped at the end)."""
    made: list[tuple[str, str]] = []

    def make(backend: str) -> str:
        if backend == "sqlite":
            path = tmp_path_factory.mktemp("db") / f"almanac-{uuid.uuid4().hex[:8]}.db"
            return f"sqlite:///{path}"
        name = f"almanac_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        url = _create_database(backend, name)
        made.append((backend, name))
        return url

    yield make
    for backend, name in made:
        _drop_database(backend, name)


@pytest.fixture(scope="session", params=_backends())
def database_url(request: pytest.FixtureRequest, database_url_factory: Callable[[str], str]) -> str:
    """A migrated database on each backend in turn (shared by the tests of one backend)."""
    url = database_url_factory(request.param)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[sa.Engine]:
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def new_owner(engine: sa.Engine) -> Callable[[], int]:
    """Insert a bare person row (no real password) and return its id: a fresh, empty owner."""

    def make() -> int:
        now = datetime.now(UTC)
        with engine.begin() as conn:
            result = conn.execute(
                users.insert().values(
                    username=f"owner-{uuid.uuid4().hex[:12]}",
                    password_hash="!",
                    created_at=now,
                    password_changed_at=now,
                )
            )
            return int(result.inserted_primary_key[0])

    return make


@pytest.fixture(autouse=True)
def cheap_store_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Key files made by the tests use the cheapest Argon2id costs, as the server's tests use
    cheap password hashing: every login and every CLI call derives a key, at ~0.2–1 s each
    at the default costs. The costs are kept in the key file, so unlocking (also in a
    subprocess) follows them; the KDF and the encryption are real. ``bench/store.py`` and
    ``bench/sync.py`` measure the default costs."""
    cheap = keys.KdfCosts(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(keys, "DEFAULT_COSTS", cheap)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session, for every test that drives one (the web
    pages', the API docs'). One Playwright per process: a second ``sync_playwright()`` while
    one is open fails ("Sync API inside the asyncio loop"), whichever test file comes first
    in the process (``pytest -n``). Once it has started, Playwright's event loop is the running
    loop of this process's main thread until the end: no test may run its own there
    (``asyncio.run``); none does (servers in tests run in threads or subprocesses)."""
    from web.browser_support import CHROMIUM, CHROMIUM_ARGS, CHROMIUM_ENV

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        try:
            yield chromium
        finally:
            chromium.close()
