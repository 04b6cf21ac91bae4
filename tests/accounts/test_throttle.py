"""R1: login throttling — per account and per client address, growing delays, persisted."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from almanac.errors import BadCredentials, Throttled
from almanac.server.accounts import Accounts
from almanac.server.accounts.throttle import Policy, addr_key, user_key
from almanac.server.db.tables import login_failures

from .support import PASSWORD, FakeClock, fresh_addr, fresh_name


def fail(accounts: Accounts, name: str, addr: str | None, times: int) -> None:
    for _ in range(times):
        with pytest.raises(BadCredentials):
            accounts.authenticate(name, "not the password", addr)


def refused(accounts: Accounts, name: str, password: str, addr: str | None) -> int:
    with pytest.raises(Throttled) as caught:
        accounts.authenticate(name, password, addr)
    return caught.value.retry_after


def failures_of(engine: sa.Engine, key: str) -> int | None:
    with engine.connect() as conn:
        return conn.execute(
            sa.select(login_failures.c.failures).where(login_failures.c.key == key)
        ).scalar_one_or_none()


def test_five_wrong_then_even_the_right_password_is_refused(
    accounts: Accounts, clock: FakeClock
) -> None:
    name = fresh_name()
    accounts.register(name, PASSWORD)
    fail(accounts, name, fresh_addr(), 5)
    assert refused(accounts, name, PASSWORD, fresh_addr()) == 2  # base delay, 2 s
    clock.advance(1)
    assert refused(accounts, name, PASSWORD, None) == 1


def test_refusal_does_not_look_at_the_password_or_count(
    accounts: Accounts, engine: sa.Engine
) -> None:
    name = fresh_name()
    accounts.register(name, PASSWORD)
    fail(accounts, name, None, 5)
    for _ in range(10):
        refused(accounts, name, "whatever", None)
    assert failures_of(engine, user_key(name)) == 5


def test_the_delay_doubles_with_each_further_failure_up_to_the_cap(
    make_accounts: Callable[..., Accounts], clock: FakeClock
) -> None:
    accounts = make_accounts(throttle_max_delay=20.0)
    name = fresh_name()
    accounts.register(name, PASSWORD)
    fail(accounts, name, None, 5)
    seen = []
    for _ in range(5):
        wait = refused(accounts, name, PASSWORD, None)
        seen.append(wait)
        clock.advance(wait)
        fail(accounts, name, None, 1)
    assert seen == [2, 4, 8, 16, 20]
    assert refused(accounts, name, PASSWORD, None) == 20


def test_after_the_delay_the_right_password_works_and_resets_the_count(
    accounts: Accounts, clock: FakeClock, engine: sa.Engine
) -> None:
    name = fresh_name()
    user = accounts.register(name, PASSWORD)
    addr = fresh_addr()
    fail(accounts, name, addr, 5)
    clock.advance(refused(accounts, name, PASSWORD, addr))
    assert accounts.authenticate(name, PASSWORD, addr) == user
    assert failures_of(engine, user_key(name)) is None
    assert failures_of(engine, addr_key(addr)) == 5  # the address keeps its count
    fail(accounts, name, None, 4)  # a fresh allowance of five
    assert accounts.authenticate(name, PASSWORD, None) == user


def test_unknown_names_are_throttled_like_real_ones(accounts: Accounts) -> None:
    ghost = fresh_name()
    fail(accounts, ghost, None, 5)
    assert refused(accounts, ghost, PASSWORD, None) == 2


def test_one_address_trying_many_names_is_throttled(accounts: Accounts, clock: FakeClock) -> None:
    victim = fresh_name()
    user = accounts.register(victim, PASSWORD)
    addr = fresh_addr()
    for _ in range(20):  # throttle_addr_max_failures, each name tried once
        fail(accounts, fresh_name(), addr, 1)
    assert refused(accounts, victim, PASSWORD, addr) == 2
    assert refused(accounts, fresh_name(), PASSWORD, addr) == 2
    # The account itself is not locked: from another address the owner gets in.
    assert accounts.authenticate(victim, PASSWORD, fresh_addr()) == user
    clock.advance(2)
    assert accounts.authenticate(victim, PASSWORD, addr) == user


def test_the_throttle_survives_a_restart(
    accounts: Accounts, make_accounts: Callable[..., Accounts]
) -> None:
    name = fresh_name()
    accounts.register(name, PASSWORD)
    fail(accounts, name, None, 5)
    assert refused(make_accounts(), name, PASSWORD, None) == 2


def test_a_wrong_password_while_changing_it_counts_too(accounts: Accounts) -> None:
    name = fresh_name()
    user = accounts.register(name, PASSWORD)
    for _ in range(5):
        with pytest.raises(BadCredentials):
            accounts.change_password(user.id, "not it at all", "a new password")
    assert refused(accounts, name, PASSWORD, None) == 2
    with pytest.raises(Throttled):
        accounts.change_password(user.id, PASSWORD, "a new password")
    with pytest.raises(Throttled):
        accounts.delete_account(user.id, PASSWORD)


def test_failures_long_ago_are_forgotten(accounts: Accounts, clock: FakeClock) -> None:
    name = fresh_name()
    user = accounts.register(name, PASSWORD)
    fail(accounts, name, None, 4)
    clock.advance(2 * 24 * 3600)
    fail(accounts, name, None, 4)  # counts from one again: still under five
    assert accounts.authenticate(name, PASSWORD, None) == user


def test_registering_a_probed_name_starts_with_a_clean_slate(accounts: Accounts) -> None:
    name = fresh_name()
    fail(accounts, name, None, 5)
    user = accounts.register(name, PASSWORD)
    assert accounts.authenticate(name, PASSWORD, None) == user


def test_very_long_addresses_get_bounded_keys() -> None:
    assert len(addr_key("x" * 1000)) <= 200
    assert addr_key("x" * 1000) != addr_key("x" * 1001)
    assert addr_key("203.0.113.9") == "addr:203.0.113.9"


def test_policy_grows_from_the_limit_and_caps() -> None:
    policy = Policy(limit=5, base_delay=2.0, max_delay=3600.0)
    assert policy.lock_for(4) is None
    assert [policy.lock_for(n).total_seconds() for n in (5, 6, 7)] == [2, 4, 8]  # type: ignore[union-attr]
    assert policy.lock_for(10_000).total_seconds() == 3600  # type: ignore[union-attr]


def test_housekeeping_deletes_only_forgotten_unlocked_entries(
    make_accounts: Callable[..., Accounts], clock: FakeClock, engine: sa.Engine
) -> None:
    accounts = make_accounts(throttle_base_delay=2 * 86400.0, throttle_max_delay=3 * 86400.0)
    old, locked, recent = fresh_name(), fresh_name(), fresh_name()
    fail(accounts, old, None, 2)
    fail(accounts, locked, None, 5)  # locked for two days
    clock.advance(1.5 * 86400)
    fail(accounts, recent, None, 1)
    assert accounts.purge_expired() >= 1
    assert failures_of(engine, user_key(old)) is None
    assert failures_of(engine, user_key(locked)) == 5
    assert failures_of(engine, user_key(recent)) == 1
    assert refused(accounts, locked, PASSWORD, None) == 86400 // 2
