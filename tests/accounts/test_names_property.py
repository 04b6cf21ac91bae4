"""R1: any valid user name — Chinese, Greek, Latin with accents, full-width forms — can
register and log in under its folded form (Hypothesis, on every database)."""

from __future__ import annotations

import unicodedata
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from almanac.errors import Duplicate
from almanac.server.accounts import Accounts, fold_username

from .support import PASSWORD, FakeClock, cheap_settings

name_chars = st.characters(categories=("Lu", "Ll", "Lo", "Nd"), include_characters="_.-")


@pytest.fixture(scope="module")
def property_accounts(engine: sa.Engine, tmp_path_factory: pytest.TempPathFactory) -> Accounts:
    data_dir: Path = tmp_path_factory.mktemp("names")
    return Accounts(engine, cheap_settings(data_dir), clock=FakeClock())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tail=st.text(name_chars, min_size=1, max_size=16))
def test_valid_names_register_fold_and_log_in(property_accounts: Accounts, tail: str) -> None:
    accounts = property_accounts
    raw = f"n{uuid.uuid4().hex[:8]}{tail}"
    folded = fold_username(raw)
    if not 3 <= len(folded) <= 32 or any(
        not (unicodedata.category(c)[0] == "L" or unicodedata.category(c) == "Nd" or c in "_.-")
        for c in folded
    ):
        return  # folding made it too long or brought in other characters: not this test
    user = accounts.register(raw, PASSWORD)
    assert user.username == folded
    assert accounts.authenticate(raw, PASSWORD, None) == user
    assert accounts.authenticate(folded, PASSWORD, None) == user
    shouted = raw.upper()
    if fold_username(shouted) == folded:
        assert accounts.authenticate(shouted, PASSWORD, None) == user
        with pytest.raises(Duplicate):
            accounts.register(shouted, PASSWORD)
