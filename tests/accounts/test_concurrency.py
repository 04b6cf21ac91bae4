"""R1, R15: accounts under concurrent use — no lost failure counts, one winner per name."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from almanac.errors import AlmanacError, BadCredentials, Duplicate, Throttled
from almanac.server.accounts import Accounts, User
from almanac.server.accounts.throttle import user_key
from almanac.server.db.tables import login_failures

from .support import PASSWORD, fresh_addr, fresh_name

THREADS = 8


def run_together(action: Callable[[int], object]) -> list[object]:
    """Run ``action(0..THREADS-1)`` on parallel threads; return results or raised errors."""

    def guarded(n: int) -> object:
        try:
            return action(n)
        except AlmanacError as error:
            return error

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(guarded, range(THREADS)))


def test_parallel_wrong_passwords_are_all_counted(
    make_accounts: Callable[..., Accounts], engine: sa.Engine
) -> None:
    accounts = make_accounts(throttle_max_failures=1000, throttle_addr_max_failures=1000)
    name = fresh_name()  # nobody holds it: the first failures race to create the row
    addr = fresh_addr()
    outcomes = run_together(lambda _n: accounts.authenticate(name, "wrong password", addr))
    assert all(isinstance(o, BadCredentials) for o in outcomes)
    with engine.connect() as conn:
        counts = dict(
            conn.execute(
                sa.select(login_failures.c.key, login_failures.c.failures).where(
                    login_failures.c.key.in_([user_key(name), f"addr:{addr}"])
                )
            ).all()
        )
    assert counts == {user_key(name): THREADS, f"addr:{addr}": THREADS}


def test_parallel_registrations_of_one_name_have_one_winner(accounts: Accounts) -> None:
    name = fresh_name()
    variants = [name.upper() if n % 2 else name for n in range(THREADS)]
    outcomes = run_together(lambda n: accounts.register(variants[n], PASSWORD))
    winners = [o for o in outcomes if isinstance(o, User)]
    assert len(winners) == 1
    assert all(isinstance(o, Duplicate) for o in outcomes if o is not winners[0])
    assert accounts.authenticate(name, PASSWORD, None) == winners[0]


def test_parallel_right_logins_within_the_limit_all_succeed(accounts: Accounts) -> None:
    name = fresh_name()
    user = accounts.register(name, PASSWORD)
    with pytest.raises(BadCredentials):  # a failure to clear, so successes write too
        accounts.authenticate(name, "wrong password", None)
    with ThreadPoolExecutor(max_workers=3) as pool:
        outcomes = list(
            pool.map(lambda _n: accounts.authenticate(name, PASSWORD, fresh_addr()), range(3))
        )
    assert outcomes == [user] * 3
    assert failures_of(accounts, user_key(name)) is None


def test_parallel_wrong_passwords_cannot_slip_past_the_limit(accounts: Accounts) -> None:
    """Each attempt is counted before its password is checked, under a row lock: of many
    attempts at once, exactly ``throttle_max_failures`` get an answer."""
    name = fresh_name()
    accounts.register(name, PASSWORD)
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(lambda _n: _attempt(accounts, name), range(3 * THREADS)))
    assert outcomes.count("wrong") == 5
    assert outcomes.count("throttled") == 3 * THREADS - 5
    assert failures_of(accounts, user_key(name)) == 5


def test_parallel_attempts_from_one_address_stop_at_its_limit(accounts: Accounts) -> None:
    addr = fresh_addr()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(lambda _n: _attempt(accounts, fresh_name(), addr), range(30)))
    assert outcomes.count("wrong") == 20  # throttle_addr_max_failures
    assert outcomes.count("throttled") == 10


def _attempt(accounts: Accounts, name: str, addr: str | None = None) -> str:
    try:
        accounts.authenticate(name, "wrong password", addr)
    except BadCredentials:
        return "wrong"
    except Throttled:
        return "throttled"
    return "in"


def failures_of(accounts: Accounts, key: str) -> int | None:
    with accounts._engine.connect() as conn:
        return conn.execute(
            sa.select(login_failures.c.failures).where(login_failures.c.key == key)
        ).scalar_one_or_none()
