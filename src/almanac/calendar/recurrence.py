"""Events and their occurrences: RFC 5545 RRULE recurrence, exceptions, time zones (R7, R9).

An event is an ``almanac.model.event.Event`` (or a mapping of its fields). Rules:

- **Timed events** recur in *wall time of the event's own time zone* (``timezone``, default
  Asia/Shanghai): a weekly 09:00 meeting stays at 09:00 local across daylight-saving changes.
  A start given with an offset is first converted to that zone. Occurrences come back as aware
  datetimes in the event's zone; ``start_in(tz)`` gives them in the viewer's zone, which
  decides on which day they show.
- **All-day events** are floating dates (the same day everywhere); ``end`` is inclusive.
- **RRULE** is expanded with python-dateutil semantics. The simple and common rules (FREQ
  YEARLY … SECONDLY with INTERVAL, COUNT, UNTIL, WKST, and WEEKLY BYDAY) are computed
  arithmetically, which is much faster; everything else goes to ``dateutil.rrule``.
  Limits keep a hostile rule from hanging a server: at most ``MAX_INSTANCES`` occurrences of
  one event per expansion (the first ones), and dateutil generates at most ``MAX_SCAN``
  instants from DTSTART. Tests
  check both paths give the same instants. An ``UNTIL`` in UTC (``…Z``) is converted to the
  event's wall time; a date-only ``UNTIL`` ends the day before it at midnight, as in dateutil
  (so for an all-day event its own date is included).
- **Exceptions.** ``exdates`` cancels occurrences: a datetime cancels the occurrence that
  starts exactly then (the RFC's RECURRENCE-ID), a date cancels every occurrence starting on
  that day (in the event's zone). ``moves`` re-times one occurrence: the original is cancelled
  and the moved one is shown if it falls in the range, whether or not the original did.
- **Range.** ``expand(event, start, end)`` returns every occurrence that overlaps the days
  ``start``…``end`` (inclusive) in the viewer's zone ``tz``, ordered by start.
"""

from __future__ import annotations

import calendar as _calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from itertools import islice
from typing import Any

from dateutil.rrule import rrule, rrulestr
from pydantic import ValidationError

from almanac.model.event import DEFAULT_TIMEZONE, Event, zone
from almanac.model.validation import invalid_input

_DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_FAST_KEYS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "WKST"})
_DAY = timedelta(days=1)
_STEPS = {
    "DAILY": _DAY,
    "HOURLY": timedelta(hours=1),
    "MINUTELY": timedelta(minutes=1),
    "SECONDLY": timedelta(seconds=1),
}
MAX_INSTANCES = 10_000  # occurrences of one event in one expansion
MAX_SCAN = 50_000  # instants dateutil may generate from DTSTART for one expansion
_UNTIL_RE = re.compile(r"UNTIL=(\d{8})(T\d{6})?(Z?)")


@dataclass(frozen=True, slots=True)
class Move:
    """One occurrence moved: ``original`` is its recurrence id (original start), ``start`` and
    ``end`` (default: the original duration) its new times."""

    original: date | datetime
    start: date | datetime
    end: date | datetime | None = None


@dataclass(slots=True)
class EventOccurrence:
    """One occurrence of an event. Timed: aware datetimes in the event's zone; all-day: dates
    (``end`` inclusive). ``recurrence_id`` is the original start of a recurring occurrence."""

    start: date | datetime
    end: date | datetime
    all_day: bool
    recurrence_id: date | datetime | None = None
    moved: bool = False

    def start_in(self, tz: tzinfo) -> date | datetime:
        if isinstance(self.start, datetime):
            return self.start.astimezone(tz)
        return self.start

    def first_day(self, tz: tzinfo) -> date:
        """The day the occurrence starts on, as seen in zone ``tz``."""
        if isinstance(self.start, datetime):
            return self.start.astimezone(tz).date()
        return self.start


def as_event(event: Event | Mapping[str, Any]) -> Event:
    """An ``Event`` from a model or a mapping (``InvalidInput`` when invalid)."""
    if isinstance(event, Event):
        return event
    try:
        return Event.model_validate(dict(event))
    except ValidationError as exc:
        raise invalid_input(exc) from None


# --- instance generation (naive wall times) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Rule:
    freq: str
    interval: int
    count: int | None
    until: datetime | None
    byday: tuple[int, ...]
    wkst: int
    fallback: rrule | None


def _parse_until(rule: str, tz: tzinfo) -> tuple[str, datetime | None]:
    """Rewrite a UTC UNTIL to naive wall time in ``tz``; return the rule and the bound."""
    m = _UNTIL_RE.search(rule)
    if not m:
        return rule, None
    day, clock, utc = m.groups()
    value = datetime.strptime(day + (clock or "T000000"), "%Y%m%dT%H%M%S")
    if utc:
        value = value.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)
    text = rule[: m.start()] + "UNTIL=" + value.strftime("%Y%m%dT%H%M%S") + rule[m.end() :]
    return text, value


@lru_cache(maxsize=4096)
def _compile(rule: str, dtstart: datetime, tzname: str) -> _Rule:
    text, until = _parse_until(rule, zone(tzname))
    parts = dict(p.split("=", 1) for p in text.split(";") if "=" in p)
    freq = parts.get("FREQ", "")
    byday_text = parts.get("BYDAY", "")
    simple_byday = all(d in _DAYS for d in byday_text.split(",")) if byday_text else True
    fast = (
        set(parts) <= _FAST_KEYS
        and freq in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY", "MINUTELY", "SECONDLY")
        and (not byday_text or (freq == "WEEKLY" and simple_byday))
        and parts.get("WKST", "MO") in _DAYS
    )
    count = int(parts["COUNT"]) if "COUNT" in parts else None
    if fast and count is not None:
        # Skipped instances (a 31st in short months, Feb 29) shift COUNT: dateutil does those.
        if freq == "MONTHLY" and dtstart.day > 28:
            fast = False
        if freq == "YEARLY" and (dtstart.month, dtstart.day) == (2, 29):
            fast = False
    fallback = None if fast else rrulestr(text, dtstart=dtstart, cache=True)
    assert fallback is None or isinstance(fallback, rrule)
    return _Rule(
        freq=freq,
        interval=max(1, int(parts.get("INTERVAL", "1"))),
        count=count,
        until=until,
        byday=tuple(sorted({_DAYS[d] for d in byday_text.split(",")}))
        if fast and byday_text
        else (),
        wkst=_DAYS[parts["WKST"]] if fast and "WKST" in parts else 0,
        fallback=fallback,
    )


def _ceil_div(a: timedelta, b: timedelta) -> int:
    return -((-a) // b)


def instances(
    rule: str, dtstart: datetime, lo: datetime, hi: datetime, tzname: str
) -> list[datetime]:
    """Wall-time starts of ``rule`` from ``dtstart`` within ``lo``…``hi`` (inclusive), at most
    ``MAX_INSTANCES`` of them (the first ones). All three are naive, or all three aware in the
    event's zone: the results then carry it (attaching a zone afterwards costs far more)."""
    tz = dtstart.tzinfo
    r = _compile(rule, dtstart.replace(tzinfo=None) if tz else dtstart, tzname)
    if r.fallback is not None:
        lo_n, hi_n = (lo.replace(tzinfo=None), hi.replace(tzinfo=None)) if tz else (lo, hi)
        found: list[datetime] = []
        for moment in islice(r.fallback, MAX_SCAN):
            if moment > hi_n or len(found) >= MAX_INSTANCES:
                break
            if moment >= lo_n:
                found.append(moment.replace(tzinfo=tz) if tz else moment)
        return found
    if r.until is not None:
        hi = min(hi, r.until.replace(tzinfo=tz) if tz else r.until)
    lo = max(lo, dtstart)
    if hi < lo:
        return []
    step = _STEPS.get(r.freq)
    if step is not None or (r.freq == "WEEKLY" and not r.byday):
        step = (step or timedelta(days=7)) * r.interval
        k_lo = _ceil_div(lo - dtstart, step)
        k_hi = (hi - dtstart) // step
        if r.count is not None:
            k_hi = min(k_hi, r.count - 1)
        k_hi = min(k_hi, k_lo + MAX_INSTANCES - 1)
        return [dtstart + k * step for k in range(k_lo, k_hi + 1)]
    if r.freq == "WEEKLY":
        return _weekly_byday(r, dtstart, lo, hi)[:MAX_INSTANCES]
    if r.freq == "MONTHLY":
        return _monthly(r, dtstart, lo, hi)
    return _yearly(r, dtstart, lo, hi)


def _weekly_byday(r: _Rule, dtstart: datetime, lo: datetime, hi: datetime) -> list[datetime]:
    week0 = dtstart.date() - timedelta(days=(dtstart.weekday() - r.wkst) % 7)
    offsets = sorted((d - r.wkst) % 7 for d in r.byday)
    first_week = [o for o in offsets if week0 + timedelta(days=o) >= dtstart.date()]
    deltas = [timedelta(days=o) for o in offsets]
    first_deltas = [timedelta(days=o) for o in first_week]
    w_lo = max(0, (lo.date() - week0).days // 7)
    w_lo -= w_lo % r.interval
    w_hi = (hi.date() - week0).days // 7
    # the index (for COUNT) of the first occurrence in week w_lo
    index = 0 if w_lo == 0 else len(first_week) + (w_lo // r.interval - 1) * len(offsets)
    count = r.count
    step = timedelta(days=7 * r.interval)
    week_moment = datetime.combine(week0, dtstart.timetz()) + timedelta(days=7 * w_lo)
    found: list[datetime] = []
    append = found.append
    for w in range(w_lo, w_hi + 1, r.interval):
        for delta in first_deltas if w == 0 else deltas:
            if count is not None and index >= count:
                return found
            index += 1
            moment = week_moment + delta
            if lo <= moment <= hi:
                append(moment)
        week_moment += step
    return found


def _monthly(r: _Rule, dtstart: datetime, lo: datetime, hi: datetime) -> list[datetime]:
    base = dtstart.year * 12 + dtstart.month - 1
    k_lo = max(0, (lo.year * 12 + lo.month - 1 - base) // r.interval)
    k_hi = (hi.year * 12 + hi.month - 1 - base) // r.interval
    if r.count is not None:
        k_hi = min(k_hi, r.count - 1)
    found: list[datetime] = []
    for k in range(k_lo, k_hi + 1):
        year, month0 = divmod(base + k * r.interval, 12)
        if dtstart.day > _calendar.monthrange(year, month0 + 1)[1]:
            continue
        moment = dtstart.replace(year=year, month=month0 + 1)
        if lo <= moment <= hi:
            found.append(moment)
    return found


def _yearly(r: _Rule, dtstart: datetime, lo: datetime, hi: datetime) -> list[datetime]:
    k_lo = max(0, (lo.year - dtstart.year) // r.interval)
    k_hi = (hi.year - dtstart.year) // r.interval
    if r.count is not None:
        k_hi = min(k_hi, r.count - 1)
    found: list[datetime] = []
    for k in range(k_lo, k_hi + 1):
        year = dtstart.year + k * r.interval
        if (dtstart.month, dtstart.day) == (2, 29) and not _calendar.isleap(year):
            continue
        moment = dtstart.replace(year=year)
        if lo <= moment <= hi:
            found.append(moment)
    return found


# --- expansion ------------------------------------------------------------------------------


def _wall(value: date | datetime, tz: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(tz).replace(tzinfo=None) if value.tzinfo else value
    return datetime.combine(value, time())


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _aware(value: date | datetime, tz: tzinfo) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.combine(value, time())
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


# (start, end, recurrence id, moved): the raw form of an occurrence.
Raw = tuple[date | datetime, date | datetime, date | datetime | None, bool]


class PreparedEvent:
    """An event with its exceptions, validated and pre-computed once, to expand many times."""

    __slots__ = (
        "all_day",
        "cancelled_at",
        "cancelled_days",
        "dtstart",
        "duration",
        "event",
        "ez",
        "moves",
        "span",
        "start",
        "tzname",
    )

    def __init__(
        self,
        event: Event | Mapping[str, Any],
        exdates: Iterable[date | datetime] = (),
        moves: Iterable[Move] = (),
    ) -> None:
        ev = as_event(event)
        self.event = ev
        self.tzname = ev.timezone
        self.ez = ez = zone(ev.timezone)
        self.all_day = ev.all_day
        move_list = list(moves)
        self.cancelled_at: set[datetime] = set()
        self.cancelled_days: set[date] = set()
        for x in [*exdates, *(m.original for m in move_list)]:
            if isinstance(x, datetime) and not ev.all_day:
                self.cancelled_at.add(_wall(x, ez).replace(tzinfo=ez))
            else:
                self.cancelled_days.add(_as_date(x))
        if ev.all_day:
            first = _as_date(ev.start)
            last = _as_date(ev.end) if ev.end is not None else first
            self.span = timedelta(days=(last - first).days)
            self.duration = self.span
            self.dtstart = datetime.combine(first, time())
            self.start = self.dtstart.replace(tzinfo=ez)
            self.moves: list[Raw] = []
            for m in move_list:
                ns = _as_date(m.start)
                ne = _as_date(m.end) if m.end is not None else ns + self.span
                self.moves.append((ns, ne, _as_date(m.original), True))
        else:
            s_aware = _aware(ev.start, ez)
            e_aware = _aware(ev.end if ev.end is not None else ev.start, ez)
            self.duration = e_aware - s_aware
            self.span = timedelta()
            self.start = s_aware.astimezone(ez)
            self.dtstart = self.start.replace(tzinfo=None)
            self.moves = []
            for m in move_list:
                ns = _aware(m.start, ez).astimezone(ez)
                ne = _aware(m.end, ez).astimezone(ez) if m.end is not None else ns + self.duration
                self.moves.append((ns, ne, _aware(m.original, ez), True))

    def raw(self, start: date, end: date, viewer: tzinfo) -> list[Raw]:
        """The occurrences overlapping days ``start``…``end`` in zone ``viewer``, in order."""
        if end < start:
            return []
        if self.all_day:
            return self._raw_all_day(start, end)
        return self._raw_timed(start, end, viewer)

    def _raw_all_day(self, start: date, end: date) -> list[Raw]:
        ev = self.event
        span = self.span
        if ev.rrule is None:
            days = [self.dtstart.date()]
        else:
            lo = datetime.combine(start - span, time())
            hi = datetime.combine(end, time())
            days = [d.date() for d in instances(ev.rrule, self.dtstart, lo, hi, self.tzname)]
        rid = ev.rrule is not None
        cancelled = self.cancelled_days
        found: list[Raw] = [
            (d, d + span, d if rid else None, False)
            for d in days
            if d <= end and d + span >= start and d not in cancelled
        ]
        if self.moves:
            found.extend(m for m in self.moves if m[0] <= end and m[1] >= start)
            found.sort(key=_raw_start)
        return found

    def walls(self, start: date, end: date, viewer: tzinfo) -> list[datetime]:
        """Timed events: the starts (aware, in the event's zone) of the regular occurrences
        overlapping days ``start``…``end`` in ``viewer``; cancelled and moved ones left out
        (``raw`` adds the moved ones)."""
        ev, ez, duration = self.event, self.ez, self.duration
        win_lo = datetime.combine(start, time(), viewer)
        win_hi = datetime.combine(end + _DAY, time(), viewer)
        # Wall times in the event's zone, as aware datetimes with that zone: arithmetic and
        # comparisons between them work on the wall fields, like naive ones.
        lo_wall = win_lo.astimezone(ez)
        hi_wall = win_hi.astimezone(ez)
        if ev.rrule is None:
            candidates = [self.start]
        else:
            lo = lo_wall - duration - _DAY
            hi = hi_wall + _DAY
            candidates = instances(ev.rrule, self.start, lo, hi, self.tzname)
        at, days = self.cancelled_at, self.cancelled_days
        if at or days:
            candidates = [w for w in candidates if w not in at and w.date() not in days]
        # Starts at least a day inside the window (in wall time) surely overlap it, whatever
        # the zone's offset changes (< 1 day); only those near an edge need exact comparisons.
        safe_lo, safe_hi = lo_wall + _DAY, hi_wall - _DAY
        found: list[datetime] = []
        append = found.append
        for w in candidates:
            if safe_lo <= w < safe_hi:
                append(w)
                continue
            e = w + duration
            if w < win_hi and (e > win_lo or (w == e and w >= win_lo)):
                append(w)
        return found

    def _raw_timed(self, start: date, end: date, viewer: tzinfo) -> list[Raw]:
        duration = self.duration
        rid = self.event.rrule is not None
        found: list[Raw] = []
        for s in self.walls(start, end, viewer):
            found.append((s, s + duration, s if rid else None, False))
        if self.moves:
            win_lo = datetime.combine(start, time(), viewer)
            win_hi = datetime.combine(end + _DAY, time(), viewer)
            for m in self.moves:
                ms, me = m[0], m[1]
                assert isinstance(ms, datetime) and isinstance(me, datetime)
                if ms < win_hi and (me > win_lo or (ms == me and ms >= win_lo)):
                    found.append(m)
            found.sort(key=_raw_start)
        return found

    def occurrences(self, start: date, end: date, viewer: tzinfo) -> list[EventOccurrence]:
        return [
            EventOccurrence(s, e, self.all_day, rid, moved)
            for s, e, rid, moved in self.raw(start, end, viewer)
        ]


def _raw_start(raw: Raw) -> date | datetime:
    return raw[0]


def expand(
    event: Event | Mapping[str, Any],
    start: date,
    end: date,
    *,
    tz: str = DEFAULT_TIMEZONE,
    exdates: Iterable[date | datetime] = (),
    moves: Iterable[Move] = (),
) -> list[EventOccurrence]:
    """The occurrences of an event that overlap days ``start``…``end`` in zone ``tz``."""
    return PreparedEvent(event, exdates, moves).occurrences(start, end, zone(tz))
