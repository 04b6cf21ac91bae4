"""Reminders on this device, offline (issue 4 §6, issue 6 §2; R6, R7, R9): which are due now,
each once per occurrence across restarts, and those that came due while the app was closed.

The rules are ``almanac.calendar.reminders.due``; this module keeps what its caller must keep,
in the local store's ``meta`` table (encrypted with the rest) under ``reminders``, as JSON
``{"since": <the moment of the last check>, "fired": {<key>: <when it was due>}}``:

- ``due_now(store, agenda, now)`` returns the reminders due in ``(since, now]`` that were not
  shown yet, with ``missed`` set for those that came due a while ago (the app was closed).
  It reads only. The window reaches back at most ``LOOKBACK`` (a week; also on the first
  check on this device): older reminders are not shown any more;
- ``mark_fired(store, reminders, now)`` records them as shown and the check as done at
  ``now`` (one small write), pruning the keys older than ``LOOKBACK`` (they can never be due
  again). A face calls it after it has shown what ``due_now`` returned.

Time runs in the person's zone (``Client.preferences().time_zone``), which the agenda carries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from almanac.calendar.agenda import Agenda
from almanac.calendar.reminders import DEFAULT_LOOKBACK, DueReminder, due
from almanac.store.local import LocalStore

__all__ = ["LOOKBACK", "META", "State", "due_now", "mark_fired", "read_state"]

META = "reminders"
LOOKBACK: timedelta = DEFAULT_LOOKBACK


@dataclass
class State:
    """The moment of the last check (None: never on this device) and the keys shown, each
    with the moment it was due."""

    since: datetime | None = None
    fired: dict[str, datetime] = field(default_factory=dict)


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def read_state(store: LocalStore) -> State:
    """What the store keeps (anything unreadable counts as never checked: it must open)."""
    text = store.get_meta(META)
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        return State()
    fired_raw = data.get("fired")
    fired: dict[str, datetime] = {}
    if isinstance(fired_raw, dict):
        for key, value in fired_raw.items():
            moment = _moment(value)
            if isinstance(key, str) and moment is not None:
                fired[key] = moment
    return State(_moment(data.get("since")), fired)


def _write(store: LocalStore, state: State) -> None:
    data = {
        "since": state.since.isoformat() if state.since else None,
        "fired": {k: v.isoformat() for k, v in sorted(state.fired.items())},
    }
    store.set_meta(META, json.dumps(data, ensure_ascii=False, sort_keys=True))


def window_start(state: State, now: datetime) -> datetime:
    """Where this check's window begins: the last check, at most ``LOOKBACK`` back (and not
    after ``now``, should the clock have gone back)."""
    floor = now - LOOKBACK
    if state.since is None or state.since < floor or state.since > now:
        return floor
    return state.since


def due_now(store: LocalStore, agenda: Agenda, now: datetime) -> list[DueReminder]:
    """The reminders to show at ``now`` (aware; a naive one is in the agenda's zone), oldest
    first, each at most once; ``missed`` when it came due a while before ``now``."""
    now = now if now.tzinfo else now.replace(tzinfo=agenda.zone)
    state = read_state(store)
    return due(agenda, now, since=window_start(state, now), fired=state.fired.keys())


def mark_fired(store: LocalStore, reminders: Iterable[DueReminder], now: datetime) -> None:
    """Record ``reminders`` as shown and the check as done at ``now``; forget the keys that
    came due more than ``LOOKBACK`` before ``now``."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    with store.transaction():
        state = read_state(store)
        for reminder in reminders:
            state.fired[reminder.key] = reminder.fire_at
        floor = now - LOOKBACK
        state.fired = {k: v for k, v in state.fired.items() if v > floor}
        state.since = now
        _write(store, state)
