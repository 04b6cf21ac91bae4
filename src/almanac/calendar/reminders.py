"""Reminders: which are due now, once per occurrence, missed ones included (issue 4 item 6;
R6, R7, R9).

A birthday, holiday, event or memo can carry reminders, each "``days_before`` days before, at
``at``" (a time of day in the person's zone). ``at=None`` means "at the item's own time" for a
timed event (its start) or a memo (its due time), and 09:00 for day-long items. A birthday
without reminders gets the default: the same day at 09:00 (``BIRTHDAY_DEFAULT``); other kinds
have none unless given.

``due(agenda, now, since=…, fired=…)`` returns the reminders whose firing moment lies in
``(since, now]``. The caller (the app, offline, or the server for the web pages) keeps two
things: the moment it last checked (``since``), so a reminder that came due while the app was
closed is returned when it opens (``missed`` is then true); and the ``key``\\s it has shown
(``fired``), so each reminder fires once per occurrence even when windows overlap. A key
names the record, the occurrence and the reminder: ``event:e1:2026-03-02T09:00:00+08:00:0``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from almanac.errors import FieldProblem, InvalidInput

if TYPE_CHECKING:
    from almanac.calendar.agenda import Agenda, Item

DEFAULT_TIME = time(9, 0)
MAX_DAYS_BEFORE = 366
MISSED_GRACE = timedelta(minutes=5)
DEFAULT_LOOKBACK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Reminder:
    """``days_before`` (0 = the same day) days before the occurrence, at ``at`` (None: at the
    item's own time, or 09:00 for a day-long item)."""

    days_before: int = 0
    at: time | None = DEFAULT_TIME


BIRTHDAY_DEFAULT: tuple[Reminder, ...] = (Reminder(0, DEFAULT_TIME),)


def parse_reminders(value: Any, path: str = "reminders") -> tuple[Reminder, ...]:
    """Reminders from JSON-like input: ``[{"days_before": 1, "at": "09:00"}, …]`` (``at`` may
    be null). ``InvalidInput`` names each bad field (``reminders.0.at``)."""
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise InvalidInput.one(path, f"{path} must be a list", "invalid_type")
    found: list[Reminder] = []
    problems: list[FieldProblem] = []
    for i, item in enumerate(value):
        if isinstance(item, Reminder):
            found.append(item)
            continue
        if not isinstance(item, Mapping):
            problems.append(
                FieldProblem(f"{path}.{i}", f"{path}.{i} must be an object", "invalid_type")
            )
            continue
        unknown = set(item) - {"days_before", "at"}
        for name in sorted(unknown):
            problems.append(
                FieldProblem(f"{path}.{i}.{name}", f"{path}.{i}.{name} is not a known field",
                             "unknown_field")
            )  # fmt: skip
        days = item.get("days_before", 0)
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_DAYS_BEFORE:
            problems.append(
                FieldProblem(f"{path}.{i}.days_before",
                             f"{path}.{i}.days_before must be a whole number 0–{MAX_DAYS_BEFORE}",
                             "out_of_range")
            )  # fmt: skip
            continue
        at = item.get("at", DEFAULT_TIME.isoformat("minutes"))
        if at is not None and not isinstance(at, time):
            try:
                at = time.fromisoformat(str(at))
            except ValueError:
                problems.append(
                    FieldProblem(f"{path}.{i}.at", f"{path}.{i}.at must be a time such as 09:00",
                                 "invalid_type")
                )  # fmt: skip
                continue
        found.append(Reminder(days, at))
    if problems:
        raise InvalidInput(problems)
    return tuple(found)


@dataclass(slots=True)
class DueReminder:
    """A reminder to show: the ``item`` it is for, the occurrence's own moment or day
    (``occurrence``), when it was due (``fire_at``, aware), and whether it came due a while ago
    (``missed``: before ``now`` minus a few minutes, e.g. while the app was closed)."""

    key: str
    item: Item
    reminder: Reminder
    occurrence: date | datetime
    fire_at: datetime
    missed: bool


def _occurrence(item: Item) -> date | datetime:
    if item.kind == "event" and item.start is not None:
        return item.start
    if item.kind == "memo" and item.moment is not None:
        return item.moment
    return item.day


def fire_moment(reminder: Reminder, occurrence: date | datetime, tz: Any) -> datetime:
    """When a reminder fires for one occurrence, in zone ``tz``."""
    before = timedelta(days=reminder.days_before)
    if isinstance(occurrence, datetime):
        moment = occurrence.astimezone(tz)
        if reminder.at is None:
            return moment - before
        return datetime.combine(moment.date() - before, reminder.at, tz)
    return datetime.combine(occurrence - before, reminder.at or DEFAULT_TIME, tz)


def due(
    agenda: Agenda,
    now: datetime,
    *,
    since: datetime | None = None,
    fired: Collection[str] = (),
) -> list[DueReminder]:
    """The reminders due in ``(since, now]`` (``since`` defaults to a week before ``now``),
    except those whose key is in ``fired``; ordered by ``fire_at``."""
    tz = agenda.zone
    now = now if now.tzinfo else now.replace(tzinfo=tz)
    since = (now - DEFAULT_LOOKBACK) if since is None else since
    since = since if since.tzinfo else since.replace(tzinfo=tz)
    if since >= now:
        return []
    lookahead = timedelta(days=agenda.max_days_before + 1)
    start = since.astimezone(tz).date() - timedelta(days=1)
    end = now.astimezone(tz).date() + lookahead
    found: list[DueReminder] = []
    for item in _with_reminders(agenda.reminder_candidates(start, end)):
        occurrence = _occurrence(item)
        for index, reminder in enumerate(item.reminders):
            fire_at = fire_moment(reminder, occurrence, tz)
            if not since < fire_at <= now:
                continue
            stamp = occurrence.isoformat()
            key = f"{item.kind}:{item.id or item.title}:{stamp}:{index}"
            if key in fired:
                continue
            found.append(
                DueReminder(key, item, reminder, occurrence, fire_at, fire_at < now - MISSED_GRACE)
            )
    found.sort(key=lambda d: (d.fire_at, d.key))
    return found


def _with_reminders(items: Iterable[Item]) -> Iterable[Item]:
    return (i for i in items if i.reminders)
