"""Fixtures of the record-storage tests: a ``RecordStore`` over the shared ``engine`` (each
test runs on SQLite, PostgreSQL and MariaDB) and sample content for every kind."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from almanac.server.records import RecordStore


@pytest.fixture
def store(engine: sa.Engine) -> RecordStore:
    return RecordStore(engine)
