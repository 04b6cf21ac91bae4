"""R1: login is timing-safe for unknown names — an unknown name costs as much as a wrong
password, because it is checked against a dummy hash made with the same Argon2 costs.

Costs here are modest (a few ms per hash) so the test is quick while the hash still
dominates; medians of interleaved runs keep it steady on a busy machine."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import pytest

from almanac.errors import BadCredentials
from almanac.server.accounts import Accounts
from almanac.server.accounts.passwords import Passwords

from .support import PASSWORD, fresh_name

COSTS = {"argon2_time_cost": 2, "argon2_memory_kib": 16384, "argon2_parallelism": 1}


def median_seconds(action: Callable[[], object], runs: list[float]) -> None:
    start = time.perf_counter()
    action()
    runs.append(time.perf_counter() - start)


def test_verifying_against_nothing_costs_as_much_as_a_wrong_password() -> None:
    passwords = Passwords(time_cost=2, memory_kib=16384, parallelism=1)
    stored = passwords.hash(PASSWORD)
    wrong: list[float] = []
    unknown: list[float] = []
    for _ in range(7):
        median_seconds(lambda: passwords.verify(stored, "wrong password"), wrong)
        median_seconds(lambda: passwords.verify(None, "wrong password"), unknown)
    ratio = statistics.median(unknown) / statistics.median(wrong)
    assert 0.5 <= ratio <= 2.0, (wrong, unknown)
    assert passwords.verify(stored, PASSWORD)
    assert not passwords.verify(None, PASSWORD)


def test_an_unknown_name_costs_as_much_as_a_wrong_password(
    make_accounts: Callable[..., Accounts],
) -> None:
    accounts = make_accounts(throttle_max_failures=1000, **COSTS)
    name = fresh_name()
    accounts.register(name, PASSWORD)

    def attempt(username: str) -> None:
        with pytest.raises(BadCredentials):
            accounts.authenticate(username, "wrong password", None)

    wrong: list[float] = []
    unknown: list[float] = []
    ghost = fresh_name()
    attempt(name)  # warm up connections and caches on both paths
    attempt(ghost)
    for _ in range(5):
        median_seconds(lambda: attempt(name), wrong)
        median_seconds(lambda: attempt(ghost), unknown)
    hash_time = min(wrong)
    assert hash_time > 0.002  # the hash, not the database, is what is measured
    ratio = statistics.median(unknown) / statistics.median(wrong)
    assert 0.5 <= ratio <= 2.0, (wrong, unknown)
