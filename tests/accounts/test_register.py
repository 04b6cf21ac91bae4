"""R1: registering an account — folded unique names, field-named errors, Argon2id hashes."""

from __future__ import annotations

from datetime import UTC

import pytest
import sqlalchemy as sa

from almanac.errors import Duplicate, InvalidInput, NotFound
from almanac.server.accounts import Accounts
from almanac.server.db.tables import users

from .support import PASSWORD, FakeClock, fresh_name


def stored_hash(engine: sa.Engine, user_id: int) -> str:
    with engine.connect() as conn:
        return str(
            conn.execute(sa.select(users.c.password_hash).where(users.c.id == user_id)).scalar_one()
        )


def test_register_returns_the_folded_user_with_an_aware_utc_creation_time(
    accounts: Accounts, clock: FakeClock
) -> None:
    name = fresh_name("Zhang")
    user = accounts.register(name, PASSWORD)
    assert user.username == name.lower()
    assert user.id > 0
    assert user.created_at == clock.now
    assert user.created_at.tzinfo is not None and user.created_at.utcoffset().total_seconds() == 0
    assert accounts.get_user(user.id) == user
    assert accounts.user_by_name(name.upper()) == user


def test_chinese_user_names_register(accounts: Accounts) -> None:
    name = "张三" + fresh_name()[:6]
    assert accounts.register(name, PASSWORD).username == name


def test_names_differing_only_in_case_or_width_are_one_account(accounts: Accounts) -> None:
    name = fresh_name("li")
    accounts.register(name, PASSWORD)
    for variant in (name.upper(), name.title(), name.upper().translate(_FULL_WIDTH)):
        with pytest.raises(Duplicate) as caught:
            accounts.register(variant, "another password")
        assert caught.value.field == "username"
        assert caught.value.code == "duplicate"
        assert name in caught.value.message


_FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}


@pytest.mark.parametrize(
    ("username", "password", "field"),
    [
        ("ab", PASSWORD, "username"),
        ("has space", PASSWORD, "username"),
        ("x" * 33, PASSWORD, "username"),
        ("fine_name", "short", "password"),
        ("fine_name", " " * 10, "password"),
        ("fine_name", "p" * 1025, "password"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    accounts: Accounts, engine: sa.Engine, username: str, password: str, field: str
) -> None:
    with engine.connect() as conn:
        before = conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one()
    with pytest.raises(InvalidInput) as caught:
        accounts.register(username, password)
    assert caught.value.field == field
    assert password not in caught.value.message or not password.strip()
    with engine.connect() as conn:
        after = conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one()
    assert after == before


def test_the_stored_hash_is_argon2id_and_never_the_password(
    accounts: Accounts, engine: sa.Engine
) -> None:
    user = accounts.register(fresh_name(), PASSWORD)
    hashed = stored_hash(engine, user.id)
    assert hashed.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert PASSWORD not in hashed
    with engine.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.id == user.id)).one()
    assert all(PASSWORD not in str(value) for value in row)


def test_user_and_service_reprs_hold_no_secret(accounts: Accounts, engine: sa.Engine) -> None:
    user = accounts.register(fresh_name(), PASSWORD)
    for text in (repr(user), repr(accounts), repr(accounts._passwords)):
        assert PASSWORD not in text
        assert "$argon2" not in text


def test_unknown_ids_and_names_are_not_found(accounts: Accounts) -> None:
    with pytest.raises(NotFound):
        accounts.get_user(2_000_000_000)
    with pytest.raises(NotFound):
        accounts.user_by_name(fresh_name())


def test_created_at_comes_back_aware_from_every_database(accounts: Accounts) -> None:
    user = accounts.register(fresh_name(), PASSWORD)
    again = accounts.get_user(user.id)
    assert again.created_at.tzinfo is not None
    assert again.created_at.astimezone(UTC) == again.created_at
