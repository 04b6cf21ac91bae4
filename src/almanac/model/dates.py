"""``DateSpec``: a calendar date, solar (Gregorian) or Chinese lunar, with an optional year.

Birthdays (R6) and holidays (R6) are stored as a ``DateSpec``; a contact's birthday too (R4).
The rules:

- ``calendar`` is ``"solar"`` (default) or ``"lunar"``; ``month`` is 1–12.
- **Solar.** ``day`` must be a real day of that month. With a ``year`` (1–9999) the real
  month length counts, so 2026-02-30 and 2026-02-29 are refused (field ``day``: "February 2026
  has 28 days"). Without a year February has 29 days, so a leap-day baby's birthday (02-29) is
  allowed. ``leap=True`` on a solar date is refused (field ``leap``).
- **Lunar** (computed with lunar-python). ``day`` is 1–30. ``year`` is the *lunar* year and,
  when given, must be within 1901–2099. With a year: ``leap=True`` needs that year's leap month
  to be ``month`` (2025 has 闰六月, 2026 has none; refused on field ``leap``), and the day must
  exist in that month (29- or 30-day months; refused on field ``day``). Without a year any day
  1–30, leap or not, is accepted: the calendar code decides how to place it in a given year.

Every failure names its field relative to the ``DateSpec`` (``day``, ``leap``, ``year``); the
containing model prefixes its own path (``date.day``, ``birthday.day``).
"""

from __future__ import annotations

import calendar as _calendar
from functools import lru_cache
from typing import Literal

from lunar_python import LunarYear
from pydantic import BaseModel, ConfigDict, Field, model_validator

from almanac.model.common import field_error

LUNAR_MIN_YEAR = 1901
LUNAR_MAX_YEAR = 2099
SOLAR_MIN_YEAR = 1
SOLAR_MAX_YEAR = 9999

_LUNAR_MONTHS = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")
_ORDINALS = ("1st", "2nd", "3rd", *(f"{n}th" for n in range(4, 13)))


def lunar_month_name(month: int, leap: bool = False) -> str:
    """The Chinese name of a lunar month: ``正月``, ``闰六月``, ``腊月``."""
    return ("闰" if leap else "") + _LUNAR_MONTHS[month - 1] + "月"


def _lunar_month_en(month: int, leap: bool) -> str:
    leap_word = "leap " if leap else ""
    return f"the {leap_word}{_ORDINALS[month - 1]} lunar month ({lunar_month_name(month, leap)})"


@lru_cache(maxsize=512)
def lunar_leap_month(year: int) -> int:
    """The leap month of a lunar year (0 when the year has none)."""
    return int(LunarYear.fromYear(year).getLeapMonth())


@lru_cache(maxsize=512)
def _lunar_year_months(year: int) -> dict[int, int]:
    """Days of each month of a lunar year, keyed by month number (negative: the leap month).
    One lunar-python year build per year: asking month by month rebuilds it on every switch."""
    return {
        int(m.getMonth()): int(m.getDayCount()) for m in LunarYear.fromYear(year).getMonthsInYear()
    }


def lunar_month_days(year: int, month: int, leap: bool = False) -> int:
    """How many days (29 or 30) a lunar month has; ``leap`` selects the leap month."""
    days = _lunar_year_months(year).get(-month if leap else month)
    if days is None:
        raise ValueError(f"lunar year {year} has no {lunar_month_name(month, leap)}")
    return days


class DateSpec(BaseModel):
    """A solar or lunar month/day with an optional year (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    calendar: Literal["solar", "lunar"] = "solar"
    year: int | None = Field(default=None, ge=SOLAR_MIN_YEAR, le=SOLAR_MAX_YEAR)
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    leap: bool = False

    @model_validator(mode="after")
    def _real_day(self) -> DateSpec:
        if self.calendar == "solar":
            _check_solar(self)
        else:
            _check_lunar(self)
        return self


def _check_solar(spec: DateSpec) -> None:
    if spec.leap:
        raise field_error(
            "leap", "solar_leap", "is only for lunar dates: a solar month is never a leap month"
        )
    if spec.year is None:
        days = 29 if spec.month == 2 else _calendar.monthrange(2001, spec.month)[1]
        where = f"{_calendar.month_name[spec.month]} (in any year)"
    else:
        days = _calendar.monthrange(spec.year, spec.month)[1]
        where = f"{_calendar.month_name[spec.month]} {spec.year}"
    if spec.day > days:
        raise field_error(
            "day",
            "no_such_day",
            "is not a real day: {where} has {days} days",
            where=where,
            days=days,
        )


def _check_lunar(spec: DateSpec) -> None:
    if spec.year is None:
        if spec.day > 30:
            raise field_error("day", "no_such_day", "is not a real day: a lunar month has 29 or 30")
        return
    year = spec.year
    if not LUNAR_MIN_YEAR <= year <= LUNAR_MAX_YEAR:
        raise field_error(
            "year",
            "lunar_year_range",
            "is out of range: a lunar date's year must be within {lo}–{hi}",
            lo=LUNAR_MIN_YEAR,
            hi=LUNAR_MAX_YEAR,
        )
    if spec.leap and lunar_leap_month(year) != spec.month:
        leap = lunar_leap_month(year)
        actual = f"its leap month is {lunar_month_name(leap, True)}" if leap else "it has none"
        raise field_error(
            "leap",
            "no_such_leap_month",
            "is wrong: lunar year {year} has no {month} ({actual})",
            year=year,
            month=lunar_month_name(spec.month, True),
            actual=actual,
        )
    days = lunar_month_days(year, spec.month, spec.leap)
    if spec.day > days:
        raise field_error(
            "day",
            "no_such_day",
            "is not a real day: {month} of lunar year {year} has {days} days",
            month=_lunar_month_en(spec.month, spec.leap),
            year=year,
            days=days,
        )
