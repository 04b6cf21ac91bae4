"""Events and their occurrences: RFC 5545 RRULE recurrence, exceptions, time zones (R7, R9).

An event is an ``almanac.model.event.Event`` (or a mapping of its fields). Rules:

- **Timed events** recur in *wall time of the event's own time zone* (``timezone``, default
  Asia/Shanghai): a weekly 09:00 meeting stays at 09:00 local across daylight-saving changes.
  A start given with an offset is first converted to that zone. Occurrences come back as aware
  datetimes in the event's zone; ``start_in(tz)`` gives them in the viewer's zone, which
  decides on which day they show.
- **All-day events** are floating dates (the same day everywhere); ``end`` is inclusive.
- **RRULE** is expanded with python-dateutil semantics. The simple and common rules (FREQ
  DAILY/WEEKLY/MONTHLY/YEARLY with INTERVAL, COUNT, UNTIL, WEEKLY BYDAY, WKST) are computed
  arithmetically, which is much faster; everything else goes to ``dateutil.rrule``. Tests
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
from typing import Any

from dateutil.rrule import rrule, rrulestr
from pydantic import ValidationError

from almanac.model.event import DEFAULT_TIMEZONE, Event, zone
from almanac.model.validation import invalid_input

_DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_FAST_KEYS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "WKST"})
_UNTIL_RE = re.compile(r"UNTIL=(\d{8})(T\d{6})?(Z?)")


@dataclass(frozen=True, slots=True)
class Move:
    """One occurrence moved: ``original`` is its recurrence id (original start), ``start`` and
    ``end`` (default: the original duration) its new times."""

    original: date | datetime
    start: date | datetime
    end: date | datetime | None = None


@dataclass(frozen=True, slots=True)
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
        and freq in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
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
    """Naive wall-time starts of ``rule`` from ``dtstart`` within ``lo``…``hi`` (inclusive)."""
    r = _compile(rule, dtstart, tzname)
    if r.fallback is not None:
        return list(r.fallback.between(lo, hi, inc=True))
    if r.until is not None:
        hi = min(hi, r.until)
    lo = max(lo, dtstart)
    if hi < lo:
        return []
    if r.freq == "DAILY" or (r.freq == "WEEKLY" and not r.byday):
        step = timedelta(days=r.interval * (7 if r.freq == "WEEKLY" else 1))
        k_lo = _ceil_div(lo - dtstart, step)
        k_hi = (hi - dtstart) // step
        if r.count is not None:
            k_hi = min(k_hi, r.count - 1)
        return [dtstart + k * step for k in range(k_lo, k_hi + 1)]
    if r.freq == "WEEKLY":
        return _weekly_byday(r, dtstart, lo, hi)
    if r.freq == "MONTHLY":
        return _monthly(r, dtstart, lo, hi)
    return _yearly(r, dtstart, lo, hi)


def _weekly_byday(r: _Rule, dtstart: datetime, lo: datetime, hi: datetime) -> list[datetime]:
    clock = dtstart.time()
    week0 = dtstart.date() - timedelta(days=(dtstart.weekday() - r.wkst) % 7)
    offsets = sorted((d - r.wkst) % 7 for d in r.byday)
    first_week = [o for o in offsets if week0 + timedelta(days=o) >= dtstart.date()]
    per_week = len(offsets)
    w_lo = max(0, (lo.date() - week0).days // 7)
    w_lo -= w_lo % r.interval
    w_hi = (hi.date() - week0).days // 7
    found: list[datetime] = []
    for w in range(w_lo, w_hi + 1, r.interval):
        week_start = week0 + timedelta(days=7 * w)
        days = first_week if w == 0 else offsets
        for pos, o in enumerate(days):
            if r.count is not None:
                index = pos if w == 0 else len(first_week) + (w // r.interval - 1) * per_week + pos
                if index >= r.count:
                    return found
            moment = datetime.combine(week_start + timedelta(days=o), clock)
            if lo <= moment <= hi:
                found.append(moment)
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
    ev = as_event(event)
    if end < start:
        return []
    if ev.all_day:
        return _expand_all_day(ev, start, end, exdates, moves)
    return _expand_timed(ev, start, end, zone(tz), exdates, moves)


def _expand_all_day(
    ev: Event,
    start: date,
    end: date,
    exdates: Iterable[date | datetime],
    moves: Iterable[Move],
) -> list[EventOccurrence]:
    first = ev.start if not isinstance(ev.start, datetime) else ev.start.date()
    last = ev.end if isinstance(ev.end, date) and not isinstance(ev.end, datetime) else first
    span = timedelta(days=(last - first).days)
    cancelled = {d.date() if isinstance(d, datetime) else d for d in exdates}
    move_list = list(moves)
    cancelled.update(
        m.original.date() if isinstance(m.original, datetime) else m.original for m in move_list
    )
    if ev.rrule is None:
        days = [first]
    else:
        lo = datetime.combine(start - span, time())
        hi = datetime.combine(end, time())
        dtstart = datetime.combine(first, time())
        days = [d.date() for d in instances(ev.rrule, dtstart, lo, hi, ev.timezone)]
    rid = ev.rrule is not None
    found = [
        EventOccurrence(d, d + span, True, d if rid else None)
        for d in days
        if d not in cancelled and d <= end and d + span >= start
    ]
    for m in move_list:
        new_start = m.start.date() if isinstance(m.start, datetime) else m.start
        new_end = m.end if m.end is not None else new_start + span
        new_end = new_end.date() if isinstance(new_end, datetime) else new_end
        if new_start <= end and new_end >= start:
            orig = m.original.date() if isinstance(m.original, datetime) else m.original
            found.append(EventOccurrence(new_start, new_end, True, orig, moved=True))
    found.sort(key=lambda o: o.start)
    return found


def _expand_timed(
    ev: Event,
    start: date,
    end: date,
    viewer: tzinfo,
    exdates: Iterable[date | datetime],
    moves: Iterable[Move],
) -> list[EventOccurrence]:
    ez = zone(ev.timezone)
    assert isinstance(ev.start, datetime)
    ev_end = ev.end if isinstance(ev.end, datetime) else ev.start
    s_aware = ev.start if ev.start.tzinfo else ev.start.replace(tzinfo=ez)
    e_aware = ev_end if ev_end.tzinfo else ev_end.replace(tzinfo=ez)
    duration = e_aware - s_aware
    dtstart = s_aware.astimezone(ez).replace(tzinfo=None)
    win_lo = datetime.combine(start, time(), viewer)
    win_hi = datetime.combine(end + timedelta(days=1), time(), viewer)
    cancelled_at: set[datetime] = set()
    cancelled_days: set[date] = set()
    for x in exdates:
        if isinstance(x, datetime):
            cancelled_at.add(_wall(x, ez))
        else:
            cancelled_days.add(x)
    move_list = list(moves)
    for m in move_list:
        if isinstance(m.original, datetime):
            cancelled_at.add(_wall(m.original, ez))
        else:
            cancelled_days.add(m.original)
    if ev.rrule is None:
        walls = [dtstart]
    else:
        lo = win_lo.astimezone(ez).replace(tzinfo=None) - duration - timedelta(days=1)
        hi = win_hi.astimezone(ez).replace(tzinfo=None) + timedelta(days=1)
        walls = instances(ev.rrule, dtstart, lo, hi, ev.timezone)
    rid = ev.rrule is not None
    found: list[EventOccurrence] = []
    for w in walls:
        if w in cancelled_at or w.date() in cancelled_days:
            continue
        s = w.replace(tzinfo=ez)
        e = s + duration
        if _overlaps(s, e, win_lo, win_hi):
            found.append(EventOccurrence(s, e, False, s if rid else None))
    for m in move_list:
        ns = m.start if isinstance(m.start, datetime) else datetime.combine(m.start, time())
        ns = ns if ns.tzinfo else ns.replace(tzinfo=ez)
        ne: date | datetime = m.end if m.end is not None else ns + duration
        ne = ne if isinstance(ne, datetime) else datetime.combine(ne, time())
        ne = ne if ne.tzinfo else ne.replace(tzinfo=ez)
        if _overlaps(ns, ne, win_lo, win_hi):
            orig = m.original
            orig_aware = (
                orig.replace(tzinfo=ez)
                if isinstance(orig, datetime) and orig.tzinfo is None
                else orig
            )
            found.append(
                EventOccurrence(ns.astimezone(ez), ne.astimezone(ez), False, orig_aware, True)
            )
    found.sort(key=lambda o: o.start)  # all aware datetimes here
    return found


def _overlaps(s: datetime, e: datetime, lo: datetime, hi: datetime) -> bool:
    """[s, e) meets [lo, hi); an instant event (s == e) counts when lo <= s < hi."""
    return s < hi and (e > lo or (s == e and s >= lo))
