"""Fixtures for the accounts tests (R1): an ``Accounts`` on every test database with cheap
Argon2 costs and a fake clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from almanac.server.accounts import Accounts
from almanac.server.settings import ServerSettings

from .support import FakeClock, cheap_settings


@pytest.fixture
def settings(tmp_path: Path) -> ServerSettings:
    return cheap_settings(tmp_path)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def accounts(engine: sa.Engine, settings: ServerSettings, clock: FakeClock) -> Accounts:
    return Accounts(engine, settings, clock=clock)


@pytest.fixture
def make_accounts(engine: sa.Engine, tmp_path: Path, clock: FakeClock) -> Callable[..., Accounts]:
    """An Accounts on the test database with some settings changed (same fake clock)."""

    def make(**overrides: object) -> Accounts:
        return Accounts(engine, cheap_settings(tmp_path, **overrides), clock=clock)

    return make
