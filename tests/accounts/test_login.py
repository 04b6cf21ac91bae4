"""R1: logging in — right, wrong and unknown names; rehash on login; no password in errors."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from almanac.errors import BadCredentials, InvalidInput, NotFound, Throttled
from almanac.server.accounts import Accounts
from almanac.server.db.tables import users

from .support import PASSWORD, fresh_addr, fresh_name
from .test_register import stored_hash


def test_the_right_password_logs_in_under_any_case_of_the_name(accounts: Accounts) -> None:
    name = fresh_name("Wang")
    user = accounts.register(name, PASSWORD)
    assert accounts.authenticate(name, PASSWORD, fresh_addr()) == user
    assert accounts.authenticate(name.upper(), PASSWORD, None) == user


def test_a_wrong_password_and_an_unknown_name_give_the_same_error(accounts: Accounts) -> None:
    name = fresh_name()
    accounts.register(name, PASSWORD)
    with pytest.raises(BadCredentials) as wrong:
        accounts.authenticate(name, PASSWORD + "x", fresh_addr())
    with pytest.raises(BadCredentials) as unknown:
        accounts.authenticate(fresh_name(), PASSWORD, fresh_addr())
    assert wrong.value.message == unknown.value.message
    assert wrong.value.code == unknown.value.code == "bad_credentials"


@pytest.mark.parametrize("password", ["", "x" * 5000, None])
def test_odd_passwords_are_simply_wrong(accounts: Accounts, password: object) -> None:
    name = fresh_name()
    accounts.register(name, PASSWORD)
    with pytest.raises(BadCredentials):
        accounts.authenticate(name, password, None)  # type: ignore[arg-type]


def test_odd_names_are_simply_wrong(accounts: Accounts) -> None:
    for name in ["", "x" * 500, "no such person", None]:
        with pytest.raises(BadCredentials):
            accounts.authenticate(name, PASSWORD, fresh_addr())  # type: ignore[arg-type]


def test_a_row_without_a_real_hash_never_logs_in(
    accounts: Accounts, new_owner: Callable[[], int]
) -> None:
    owner_id = new_owner()
    name = accounts.get_user(owner_id).username
    with pytest.raises(BadCredentials):
        accounts.authenticate(name, "!", None)


def test_passwords_compare_in_nfc(accounts: Accounts) -> None:
    name = fresh_name()
    composed = "café-au-lait 咖啡"
    decomposed = "cafe\u0301-au-lait 咖啡"
    user = accounts.register(name, composed)
    assert accounts.authenticate(name, decomposed, None) == user


def test_login_upgrades_a_hash_made_with_older_costs(
    engine: sa.Engine, make_accounts: Callable[..., Accounts]
) -> None:
    old = make_accounts(argon2_time_cost=1)
    name = fresh_name()
    user = old.register(name, PASSWORD)
    assert ",t=1," in stored_hash(engine, user.id)
    new = make_accounts(argon2_time_cost=2)
    assert new.authenticate(name, PASSWORD, None) == user
    upgraded = stored_hash(engine, user.id)
    assert upgraded.startswith("$argon2id$") and ",t=2," in upgraded
    assert new.authenticate(name, PASSWORD, None) == user
    with engine.connect() as conn:
        assert conn.execute(sa.select(users.c.username).where(users.c.id == user.id)).scalar_one()


def test_no_password_reaches_the_logs(accounts: Accounts, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    name = fresh_name()
    user = accounts.register(name, PASSWORD)
    accounts.authenticate(name, PASSWORD, None)
    with pytest.raises(BadCredentials) as caught:
        accounts.authenticate(name, "wrong " + PASSWORD, None)
    accounts.change_password(user.id, PASSWORD, "the next " + PASSWORD)
    assert PASSWORD not in caplog.text
    assert PASSWORD not in str(caught.value) and PASSWORD not in repr(caught.value)


@pytest.mark.parametrize(
    "name",
    ["nul\x00name", "lone\ud800surrogate", "\x00" * 300, "ctrl\x1bname", "a\u2028b"],
)
def test_names_no_database_can_store_are_simply_wrong_and_still_throttled(
    accounts: Accounts, name: str
) -> None:
    addr = fresh_addr()
    for _ in range(5):
        with pytest.raises(BadCredentials):
            accounts.authenticate(name, PASSWORD, addr)
    with pytest.raises(Throttled):
        accounts.authenticate(name, PASSWORD, addr)


@pytest.mark.parametrize("addr", ["bad\x00addr", "\udfffx", "x" * 5000])
def test_odd_client_addresses_are_keyed_safely(accounts: Accounts, addr: str) -> None:
    name = fresh_name()
    user = accounts.register(name, PASSWORD)
    with pytest.raises(BadCredentials):
        accounts.authenticate(name, "wrong password", addr)
    assert accounts.authenticate(name, PASSWORD, addr) == user


def test_passwords_with_nul_work_and_broken_text_is_refused(accounts: Accounts) -> None:
    name = fresh_name()
    user = accounts.register(name, "pass\x00word 12")
    assert accounts.authenticate(name, "pass\x00word 12", None) == user
    with pytest.raises(BadCredentials):
        accounts.authenticate(name, "pass\ud800word", None)
    with pytest.raises(InvalidInput) as caught:
        accounts.register(fresh_name(), "broken \ud800 password")
    assert caught.value.field == "password"


def test_user_by_name_with_odd_text_is_not_found(accounts: Accounts) -> None:
    for odd in ["nul\x00", "\ud800abc", "x" * 100]:
        with pytest.raises(NotFound):
            accounts.user_by_name(odd)
