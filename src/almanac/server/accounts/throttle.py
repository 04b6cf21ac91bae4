"""Login throttling, persisted in ``login_failures`` (R1, issue 2 §4).

Two kinds of key: ``user:<folded name>`` (an account, or a name nobody holds: probing counts
too) and ``addr:<client address>``. Each wrong password adds one failure to both. Once a key
has ``limit`` failures it is locked for ``base × 2^(n − limit)`` seconds (capped), and a try
while any of its keys is locked is refused with ``Throttled`` before the password is looked
at. A key that has seen no failure for ``FORGET_AFTER`` starts again from zero. All times are
computed here in Python, aware UTC, from the clock the caller passes in.

Every attempt is *reserved* as a failure (checked and counted under a row lock) before its
password is checked, and given back when it succeeds, so parallel attempts cannot exceed the
limit.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from almanac.errors import Throttled
from almanac.server.accounts.entities import as_utc, as_utc_or_none
from almanac.server.accounts.rules import is_storable
from almanac.server.db.tables import login_failures

FORGET_AFTER = timedelta(days=1)
KEY_MAX = 200


def _key(prefix: str, value: str) -> str:
    """``prefix:value``, or ``prefix#<sha256>`` when the value is long or odd (control
    characters, broken UTF-8), so any input makes a key every database can store."""
    key = f"{prefix}:{value}"
    if len(key) <= KEY_MAX and value.isprintable() and is_storable(value):
        return key
    return f"{prefix}#{hashlib.sha256(value.encode('utf-8', 'surrogatepass')).hexdigest()}"


def user_key(folded_name: str) -> str:
    """The throttle key of an account name (already folded)."""
    return _key("user", folded_name)


def addr_key(client_addr: str) -> str:
    """The throttle key of a client address."""
    return _key("addr", client_addr)


@dataclass(frozen=True)
class Policy:
    """How many failures a key tolerates and how long its lock-outs last."""

    limit: int
    base_delay: float
    max_delay: float

    def lock_for(self, failures: int) -> timedelta | None:
        """The lock-out after ``failures`` failures, or None while under the limit."""
        if failures < self.limit:
            return None
        exponent = min(failures - self.limit, 64)
        return timedelta(seconds=min(self.base_delay * 2.0**exponent, self.max_delay))


@dataclass(frozen=True)
class KeyState:
    failures: int
    last_failure_at: datetime
    locked_until: datetime | None


def read_states(conn: sa.Connection, keys: list[str]) -> dict[str, KeyState]:
    """The stored state of each of ``keys`` that has one."""
    t = login_failures
    rows = conn.execute(sa.select(t).where(t.c.key.in_(keys))).all()
    return {
        row.key: KeyState(
            failures=row.failures,
            last_failure_at=as_utc(row.last_failure_at),
            locked_until=as_utc_or_none(row.locked_until),
        )
        for row in rows
    }


def check(states: dict[str, KeyState], now: datetime) -> None:
    """Raise ``Throttled`` if any key is locked at ``now`` (retry_after: the longest wait)."""
    waits = [
        (state.locked_until - now).total_seconds()
        for state in states.values()
        if state.locked_until is not None and state.locked_until > now
    ]
    if waits:
        raise Throttled(math.ceil(max(waits)))


def _ceil_second(value: datetime) -> datetime:
    """Round up to a whole second: every database then stores the lock-out end exactly."""
    if value.microsecond == 0:
        return value
    return value.replace(microsecond=0) + timedelta(seconds=1)


def _next_failures(previous: KeyState | None, now: datetime) -> int:
    if previous is None:
        return 1
    locked = previous.locked_until is not None and previous.locked_until > now
    if not locked and now - previous.last_failure_at >= FORGET_AFTER:
        return 1
    return previous.failures + 1


def ensure_row(engine: sa.Engine, key: str, now: datetime) -> None:
    """Make sure ``key`` has a row (with no failures yet), in its own short transaction.

    Counting then only ever updates an existing row, which every database locks as a single
    row: no racing INSERTs, and no gap locks, which deadlock concurrent first failures on
    MariaDB.
    """
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.insert(login_failures).values(
                    key=key, failures=0, last_failure_at=now, locked_until=None
                )
            )
    except sa.exc.IntegrityError:
        pass  # somebody else made it: just as good


def _lock_and_read(conn: sa.Connection, key: str) -> KeyState | None:
    """Lock ``key``'s row and read it. The no-op UPDATE makes a write the transaction's first
    statement (SQLite takes its write lock); FOR UPDATE reads the newest committed row, not
    the snapshot InnoDB's repeatable read would keep from an earlier read in the transaction."""
    t = login_failures
    conn.execute(sa.update(t).where(t.c.key == key).values(failures=t.c.failures))
    row = conn.execute(sa.select(t).where(t.c.key == key).with_for_update()).first()
    if row is None:
        return None
    return KeyState(row.failures, as_utc(row.last_failure_at), as_utc_or_none(row.locked_until))


def reserve(conn: sa.Connection, key: str, policy: Policy, now: datetime) -> int:
    """Count an attempt as a failure *before* the password is checked, in the caller's write
    transaction; return the count. ``Throttled`` if the key is locked by now (then the caller's
    transaction rolls back and nothing is counted).

    Check and count happen under one row lock, so parallel attempts cannot slip past the limit:
    once a key is locked, every attempt still in flight or arriving later is refused. A
    successful attempt takes its count back with ``clear`` (accounts) or ``refund``
    (addresses). Call ``ensure_row`` first; should the row vanish in between (a login cleared
    it), it is inserted here, and a lost race surfaces as IntegrityError for the caller to
    retry.
    """
    previous = _lock_and_read(conn, key)
    if previous is not None:
        check({key: previous}, now)
    failures = _next_failures(previous, now)
    lock = policy.lock_for(failures)
    values = {
        "failures": failures,
        "last_failure_at": now,
        "locked_until": None if lock is None else _ceil_second(now + lock),
    }
    t = login_failures
    if previous is None:
        conn.execute(sa.insert(t).values(key=key, **values))
    else:
        conn.execute(sa.update(t).where(t.c.key == key).values(**values))
    return failures


def refund(conn: sa.Connection, key: str, policy: Policy) -> None:
    """Take back one reserved failure of ``key`` (the attempt succeeded). A lock that only
    that reservation caused goes too; a key left with no failures is deleted."""
    previous = _lock_and_read(conn, key)
    if previous is None:
        return
    failures = max(previous.failures - 1, 0)
    t = login_failures
    if failures == 0:
        conn.execute(sa.delete(t).where(t.c.key == key))
        return
    values: dict[str, object] = {"failures": failures}
    if policy.lock_for(failures) is None:
        values["locked_until"] = None
    conn.execute(sa.update(t).where(t.c.key == key).values(**values))


def clear(conn: sa.Connection, key: str) -> None:
    """Forget every failure of ``key`` (after a successful login for that account)."""
    conn.execute(sa.delete(login_failures).where(login_failures.c.key == key))


def delete_forgotten(conn: sa.Connection, now: datetime) -> int:
    """Delete the keys whose failures are forgotten (``FORGET_AFTER``) and that are not locked."""
    t = login_failures
    query = sa.delete(t).where(
        t.c.last_failure_at <= now - FORGET_AFTER,
        sa.or_(t.c.locked_until.is_(None), t.c.locked_until <= now),
    )
    return conn.execute(query).rowcount
