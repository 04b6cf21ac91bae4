"""R1: the account throttle checked against a plain model over random sequences of wrong
passwords, right passwords and waits (Hypothesis), on every database."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from almanac.errors import BadCredentials, Throttled
from almanac.server.accounts import Accounts

from .support import PASSWORD, FakeClock, cheap_settings, fresh_name

LIMIT, BASE, CAP = 3, 2.0, 30.0
DAY = 86400


@dataclass
class Model:
    """What issue 2 §4 says should happen to one account tried from no particular address."""

    failures: int = 0
    last_failure: datetime | None = None
    locked_until: datetime | None = None

    def locked(self, now: datetime) -> int | None:
        if self.locked_until is not None and now < self.locked_until:
            return math.ceil((self.locked_until - now).total_seconds())
        return None

    def wrong(self, now: datetime) -> None:
        stale = self.last_failure is not None and now - self.last_failure >= timedelta(days=1)
        self.failures = 1 if stale else self.failures + 1
        self.last_failure = now
        if self.failures >= LIMIT:
            delay = min(BASE * 2 ** (self.failures - LIMIT), CAP)
            self.locked_until = now + timedelta(seconds=math.ceil(delay))
        else:
            self.locked_until = None

    def right(self) -> None:
        self.failures, self.last_failure, self.locked_until = 0, None, None


steps = st.lists(
    st.one_of(
        st.just(("wrong", 0)),
        st.just(("right", 0)),
        st.tuples(st.just("wait"), st.integers(0, 40)),
        st.tuples(st.just("wait"), st.sampled_from([DAY - 1, DAY, 2 * DAY])),
    ),
    max_size=25,
)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("throttle-model")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps)
def test_the_throttle_behaves_like_the_model(
    engine: sa.Engine, data_dir: Path, steps: list[tuple[str, int]]
) -> None:
    clock = FakeClock()
    overrides = {
        "throttle_max_failures": LIMIT,
        "throttle_base_delay": BASE,
        "throttle_max_delay": CAP,
    }
    accounts = Accounts(engine, cheap_settings(data_dir, **overrides), clock=clock)
    name = fresh_name()
    user = accounts.register(name, PASSWORD)
    model = Model()
    for action, seconds in steps:
        if action == "wait":
            clock.advance(seconds)
            continue
        expected_wait = model.locked(clock.now)
        password = PASSWORD if action == "right" else "wrong password"
        if expected_wait is not None:
            with pytest.raises(Throttled) as caught:
                accounts.authenticate(name, password, None)
            assert caught.value.retry_after == expected_wait
        elif action == "right":
            assert accounts.authenticate(name, password, None) == user
            model.right()
        else:
            with pytest.raises(BadCredentials):
                accounts.authenticate(name, password, None)
            model.wrong(clock.now)
