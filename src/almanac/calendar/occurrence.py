"""When a yearly solar or lunar date falls, and how old someone turns (R6).

A birthday or holiday is a ``DateSpec`` (``almanac.model.dates``): solar or lunar month/day,
optional year, leap flag. A plain mapping with the same keys is accepted everywhere.

The rules (docs/calendar.md explains each with examples):

1. **Leap-month dates (闰月).** A date in a leap month (``leap=True``, e.g. 闰六月初一) falls
   in the leap month in years that have that same leap month, and in the ordinary month of the
   same number otherwise (闰六月初一 → 六月初一). This is the common practice: a leap month
   recurs only every few decades, so people born in one keep their birthday in the ordinary
   month and celebrate in the leap month only when it comes back. A date in an ordinary month
   (``leap=False``) always falls in the ordinary month, never in the leap month of that
   number.
2. **Day 30 in a 29-day month.** Lunar months have 29 or 30 days, varying by year. A date on
   day 30 falls on the last day of the month in years where the month is short: 腊月三十 →
   腊月廿九, which is then 除夕 (the last day of the year), as people observe it.
3. **2/29 solar dates in common years** fall on February 28 by default (``feb29="feb28"``:
   the date stays in its own month and is not late); ``feb29="mar1"`` chooses March 1 (the day
   after February 28, the reckoning some laws use for coming of age).
4. **Occurrences of a dated spec** (one with a year) start at that date: a birthday's first
   occurrence is the day of birth (age 0). A lunar spec's cycle runs over *lunar* years (a 腊月
   birthday of lunar year 2025 falls in January or February 2026).
5. **Age (周岁)**: the number of birthdays (by rules 1–3) passed since the day of birth,
   counting the birthday itself: on the day of the N-th birthday the person *turns* N.
   **虚岁 (nominal age)**: 1 on the day of birth, one more at each 春节 (正月初一) after it.
6. Outside the supported range (lunar years 1901–2099) there is no occurrence: ``None`` or an
   empty list, never a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal

from pydantic import ValidationError

from almanac.calendar import lunar
from almanac.errors import InvalidInput
from almanac.model.dates import DateSpec
from almanac.model.validation import invalid_input

Feb29 = Literal["feb28", "mar1"]
SpecLike = DateSpec | Mapping[str, Any]


def as_spec(spec: SpecLike) -> DateSpec:
    """A ``DateSpec`` from a ``DateSpec`` or a mapping (validated: ``InvalidInput`` with fields
    under ``date``)."""
    if isinstance(spec, DateSpec):
        return spec
    try:
        return DateSpec.model_validate(dict(spec))
    except ValidationError as exc:
        raise invalid_input(exc, prefix="date") from None


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence of a yearly date: the solar day it falls on, the cycle year (solar year
    for a solar spec, lunar year for a lunar one) and, for a spec with a year, ``years`` since
    it (the age a birthday turns, the anniversary number)."""

    date: date
    cycle_year: int
    years: int | None


def solar_in_year(month: int, day: int, year: int, feb29: Feb29 = "feb28") -> date:
    """A solar month/day in ``year``; 02-29 in a common year by ``feb29`` (rule 3)."""
    if month == 2 and day == 29 and not _is_leap_year(year):
        return date(year, 3, 1) if feb29 == "mar1" else date(year, 2, 28)
    return date(year, month, day)


@lru_cache(maxsize=16384)
def lunar_in_year(month: int, day: int, leap: bool, lunar_year: int) -> date | None:
    """A lunar month/day in lunar year ``lunar_year`` by rules 1 and 2; ``None`` outside
    1901–2099."""
    if not lunar.LUNAR_MIN_YEAR <= lunar_year <= lunar.LUNAR_MAX_YEAR:
        return None
    use_leap = leap and lunar.leap_month(lunar_year) == month
    days = lunar.month_days(lunar_year, month, use_leap)
    return lunar.to_solar(lunar_year, month, min(day, days), use_leap)


def in_cycle_year(spec: SpecLike, cycle_year: int, feb29: Feb29 = "feb28") -> date | None:
    """Where the spec falls in one cycle year (solar or lunar year, by the spec's calendar)."""
    s = as_spec(spec)
    if s.calendar == "lunar":
        return lunar_in_year(s.month, s.day, s.leap, cycle_year)
    if not 1 <= cycle_year <= 9999:
        return None
    return solar_in_year(s.month, s.day, cycle_year, feb29)


def origin(spec: SpecLike) -> date | None:
    """The solar date a spec with a year stands for (the day of birth); ``None`` without a year.
    A lunar spec's day 30 in a 29-day month is refused by ``DateSpec`` already."""
    s = as_spec(spec)
    if s.year is None:
        return None
    return _origin(s.calendar, s.year, s.month, s.day, s.leap)


@lru_cache(maxsize=65536)
def _origin(calendar: str, year: int, month: int, day: int, leap: bool) -> date:
    if calendar == "lunar":
        return lunar.to_solar(year, month, day, leap)
    return date(year, month, day)


def occurrences(
    spec: SpecLike,
    start: date,
    end: date,
    *,
    yearly: bool = True,
    feb29: Feb29 = "feb28",
) -> list[Occurrence]:
    """Every occurrence on a day in ``start``…``end`` (both inclusive), in order. A one-off
    (``yearly=False``, the spec must have a year) occurs only on its own date."""
    s = as_spec(spec)
    if end < start:
        return []
    first = origin(s)
    if not yearly:
        if first is None:
            raise InvalidInput.one("date.year", "a one-off date needs a year", code="year_required")
        return [Occurrence(first, s.year or first.year, 0)] if start <= first <= end else []
    return [
        Occurrence(day, cycle, years)
        for day, cycle, years in yearly_dates(
            s.calendar == "lunar", s.month, s.day, s.leap, s.year, first, start, end, feb29
        )
    ]


def yearly_dates(
    is_lunar: bool,
    month: int,
    day: int,
    leap: bool,
    year: int | None,
    first: date | None,
    start: date,
    end: date,
    feb29: Feb29 = "feb28",
) -> list[tuple[date, int, int | None]]:
    """The engine of ``occurrences`` on plain values (the agenda calls it for many records):
    ``(date, cycle year, years since `year`)`` for each occurrence in ``start``…``end``;
    ``first`` is the spec's own date (``origin``) when it has a year."""
    # A lunar year L covers solar days from late January of L to February of L+1.
    low = start.year - 1 if is_lunar else start.year
    if year is not None and year > low:
        low = year
    found: list[tuple[date, int, int | None]] = []
    for cycle in range(low, end.year + 1):
        if is_lunar:
            when = lunar_in_year(month, day, leap, cycle)
            if when is None:
                continue
        elif month == 2 and day == 29 and not _is_leap_year(cycle):
            when = date(cycle, 3, 1) if feb29 == "mar1" else date(cycle, 2, 28)
        else:
            when = date(cycle, month, day)
        if when < start or when > end or (first is not None and when < first):
            continue
        found.append((when, cycle, None if year is None else cycle - year))
    return found


def next_occurrence(
    spec: SpecLike, on_or_after: date, *, yearly: bool = True, feb29: Feb29 = "feb28"
) -> Occurrence | None:
    """The first occurrence on or after a day; ``None`` when there is none in range."""
    found = occurrences(
        spec, on_or_after, on_or_after + timedelta(days=800), yearly=yearly, feb29=feb29
    )
    return found[0] if found else None


def age(birth: SpecLike, on: date, *, feb29: Feb29 = "feb28") -> int | None:
    """周岁 on a day: how many birthdays (rules 1–3) have come since the day of birth, that day
    included. ``None`` when the birth year is unknown or ``on`` is before the birth."""
    s = as_spec(birth)
    born = origin(s)
    if born is None or on < born:
        return None
    if s.calendar == "lunar":
        cycle = lunar.to_lunar(on).year if on <= lunar.SOLAR_MAX else on.year
    else:
        cycle = on.year
    day = in_cycle_year(s, cycle, feb29)
    if day is None or day > on:
        cycle -= 1
    return cycle - s.year if s.year is not None else None


def nominal_age(birth: SpecLike, on: date) -> int | None:
    """虚岁 on a day: 1 at birth, plus one at each 春节 (正月初一) since. ``None`` when the birth
    year is unknown, ``on`` is before the birth, or either day is outside 1901–2099."""
    born = origin(birth)
    if born is None or on < born:
        return None
    return lunar.to_lunar(on).year - lunar.to_lunar(born).year + 1


def _is_leap_year(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
