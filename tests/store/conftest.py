"""Fixtures of the local-store tests: real SQLCipher files in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from almanac.store.local import LocalStore


@pytest.fixture
def key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "profile" / "store.db"


@pytest.fixture
def store(db_path: Path, key: bytes) -> Iterator[LocalStore]:
    opened = LocalStore.create(db_path, key)
    yield opened
    opened.close()
