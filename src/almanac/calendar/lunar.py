"""Chinese lunar (农历) dates: conversion both ways and display in Chinese (R6, R7).

The month tables come from lunar-python (``LunarYear.getMonths``: astronomical new moons and
solar terms in Beijing time). Computing one year takes lunar-python milliseconds, so the result
for 1900–2100 is packaged as ``data/lunar_years.json`` (made by ``build_table()``; a test checks
it still equals lunar-python's output, so upgrading lunar-python cannot drift silently).
Converting a day is then a table look-up (a bisection).

Supported range:

- solar → lunar: every day from 1901-01-01 to 2099-12-31 (``SOLAR_MIN``…``SOLAR_MAX``); the days
  of January and February 1901 before 春节 belong to lunar year 1900 and convert too;
- lunar → solar: lunar years 1901–2099 (``LUNAR_MIN_YEAR``…``LUNAR_MAX_YEAR``), the range that
  ``almanac.model.dates.DateSpec`` accepts for a lunar date with a year.

Outside it the functions raise ``InvalidInput`` with code ``out_of_range``: never a guess.

Display: months are 正月, 二月 … 十月, 冬月, 腊月 (a leap month gets 闰: 闰六月); days are 初一 …
初十, 十一 … 十九, 二十, 廿一 … 廿九, 三十. The year's 干支 (乙巳) and zodiac (蛇) follow the lunar
year, i.e. they change on 正月初一, as printed calendars show them (almanacs for fortune-telling
change them at 立春 instead; Almanac does not).
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from lunar_python import LunarYear

from almanac.calendar.data import data_text
from almanac.errors import InvalidInput

LUNAR_MIN_YEAR = 1901
LUNAR_MAX_YEAR = 2099
SOLAR_MIN = date(1901, 1, 1)
SOLAR_MAX = date(2099, 12, 31)

MONTH_NAMES = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")
STEMS = "甲乙丙丁戊己庚辛壬癸"
BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
ZODIAC = "鼠牛虎兔龙蛇马羊猴鸡狗猪"
_DAY_TENS = ("初", "十", "廿", "三")
_DIGITS = "一二三四五六七八九十"
# lunar-python's Julian days are whole numbers at noon: JD 2451545 is 2000-01-01.
_JD_TO_ORDINAL = date(2000, 1, 1).toordinal() - 2451545


def month_name(month: int, leap: bool = False) -> str:
    """``正月``, ``闰六月``, ``冬月``, ``腊月``."""
    if not 1 <= month <= 12:
        raise ValueError(f"lunar month must be 1–12, not {month}")
    return ("闰" if leap else "") + MONTH_NAMES[month - 1] + "月"


def day_name(day: int) -> str:
    """``初一`` … ``初十``, ``十一`` … ``二十``, ``廿一`` … ``廿九``, ``三十``."""
    if not 1 <= day <= 30:
        raise ValueError(f"lunar day must be 1–30, not {day}")
    if day == 10:
        return "初十"
    if day == 20:
        return "二十"
    if day == 30:
        return "三十"
    return _DAY_TENS[day // 10] + _DIGITS[day % 10 - 1]


def year_ganzhi(lunar_year: int) -> str:
    """The 干支 name of a lunar year: 2025 → 乙巳, 2026 → 丙午."""
    offset = (lunar_year - 4) % 60
    return STEMS[offset % 10] + BRANCHES[offset % 12]


def zodiac(lunar_year: int) -> str:
    """The zodiac animal (生肖) of a lunar year: 2025 → 蛇, 2026 → 马."""
    return ZODIAC[(lunar_year - 4) % 12]


@dataclass(frozen=True, slots=True, order=True)
class LunarDate:
    """A day of the Chinese lunar calendar. ``year`` is the lunar year (it starts at 春节)."""

    year: int
    month: int
    day: int
    leap: bool = False

    @property
    def month_name(self) -> str:
        return month_name(self.month, self.leap)

    @property
    def day_name(self) -> str:
        return day_name(self.day)

    @property
    def text(self) -> str:
        """The day as calendars print it: ``八月十五``, ``闰六月初一``, ``腊月廿九``."""
        return self.month_name + self.day_name

    @property
    def ganzhi(self) -> str:
        return year_ganzhi(self.year)

    @property
    def zodiac(self) -> str:
        return zodiac(self.year)

    @property
    def full_text(self) -> str:
        """``乙巳年闰六月初一``."""
        return f"{self.ganzhi}年{self.text}"

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class LunarMonth:
    """One month of a lunar year: number, leap flag, length (29 or 30) and its first day."""

    year: int
    month: int
    leap: bool
    days: int
    first: date

    @property
    def name(self) -> str:
        return month_name(self.month, self.leap)


def _out_of_range(field: str, what: str) -> InvalidInput:
    return InvalidInput.one(field, what, code="out_of_range")


TABLE_FIRST_YEAR = 1900
TABLE_LAST_YEAR = 2100


def compute_year(year: int) -> tuple[LunarMonth, ...]:
    """The months of lunar year ``year`` computed by lunar-python (slow: milliseconds)."""
    found = []
    for m in LunarYear.fromYear(year).getMonths():
        if m.getYear() != year:
            continue
        number = int(m.getMonth())
        first = date.fromordinal(int(m.getFirstJulianDay()) + _JD_TO_ORDINAL)
        found.append(LunarMonth(year, abs(number), number < 0, int(m.getDayCount()), first))
    return tuple(found)


def build_table() -> dict[str, Any]:
    """The packaged table ``data/lunar_years.json``, computed afresh by lunar-python: per
    year, the ISO date of 正月初一, the leap month (0 = none) and one digit per month in
    order (1 = 30 days, 0 = 29 days). Tests check the shipped file equals this."""
    years = []
    for year in range(TABLE_FIRST_YEAR, TABLE_LAST_YEAR + 1):
        months = compute_year(year)
        leap = next((m.month for m in months if m.leap), 0)
        bits = "".join("1" if m.days == 30 else "0" for m in months)
        years.append([months[0].first.isoformat(), leap, bits])
    return {
        "format": "almanac-lunar-years/1",
        "source": "computed with lunar-python (LunarYear.getMonths); see almanac.calendar.lunar",
        "first_year": TABLE_FIRST_YEAR,
        "years": years,
    }


@lru_cache(maxsize=1)
def _table() -> dict[int, tuple[date, int, str]]:
    text = data_text("lunar_years.json")
    data = json.loads(text)
    first = int(data["first_year"])
    return {
        first + i: (date.fromisoformat(start), int(leap), str(bits))
        for i, (start, leap, bits) in enumerate(data["years"])
    }


@lru_cache(maxsize=512)
def _year_months(year: int) -> tuple[LunarMonth, ...]:
    row = _table().get(year)
    if row is None:
        return compute_year(year)
    start, leap, bits = row
    numbers = [(n, False) for n in range(1, 13)]
    if leap:
        numbers.insert(leap, (leap, True))
    found = []
    ordinal = start.toordinal()
    for (number, is_leap), bit in zip(numbers, bits, strict=True):
        days = 30 if bit == "1" else 29
        found.append(LunarMonth(year, number, is_leap, days, date.fromordinal(ordinal)))
        ordinal += days
    return tuple(found)


@lru_cache(maxsize=512)
def _year_starts(year: int) -> tuple[int, ...]:
    return tuple(m.first.toordinal() for m in _year_months(year))


def _check_lunar_year(year: int) -> None:
    if not LUNAR_MIN_YEAR <= year <= LUNAR_MAX_YEAR:
        raise _out_of_range(
            "year", f"lunar year {year} is outside {LUNAR_MIN_YEAR}–{LUNAR_MAX_YEAR}"
        )


def months(year: int) -> tuple[LunarMonth, ...]:
    """The 12 or 13 months of lunar year ``year`` (1901–2099), in order."""
    _check_lunar_year(year)
    return _year_months(year)


def leap_month(year: int) -> int:
    """The number of the leap month of lunar year ``year``; 0 when it has none."""
    for m in months(year):
        if m.leap:
            return m.month
    return 0


def month_days(year: int, month: int, leap: bool = False) -> int:
    """How many days (29 or 30) a month has; ``InvalidInput`` if the year has no such month."""
    return _find_month(year, month, leap).days


def new_year(year: int) -> date:
    """The solar date of 正月初一 (春节) of lunar year ``year``."""
    return months(year)[0].first


def _find_month(year: int, month: int, leap: bool) -> LunarMonth:
    for m in months(year):
        if m.month == month and m.leap == leap:
            return m
    if leap:
        raise InvalidInput.one(
            "leap", f"lunar year {year} has no {month_name(month, True)}", code="no_such_leap_month"
        )
    raise InvalidInput.one("month", f"lunar month must be 1–12, not {month}", code="out_of_range")


def to_lunar(day: date) -> LunarDate:
    """The lunar date of a solar day (1901-01-01 … 2099-12-31)."""
    if not SOLAR_MIN <= day <= SOLAR_MAX:
        raise _out_of_range("date", f"{day} is outside {SOLAR_MIN}–{SOLAR_MAX}")
    ordinal = day.toordinal()
    year = day.year
    starts = _year_starts(year)
    if ordinal < starts[0]:
        year -= 1
        starts = _year_starts(year)
    i = bisect.bisect_right(starts, ordinal) - 1
    m = _year_months(year)[i]
    return LunarDate(year, m.month, ordinal - starts[i] + 1, m.leap)


def to_solar(year: int, month: int, day: int, leap: bool = False) -> date:
    """The solar date of a lunar date; ``InvalidInput`` when it does not exist (闰 month the year
    lacks, day 30 of a 29-day month) or the year is outside 1901–2099."""
    m = _find_month(year, month, leap)
    if not 1 <= day <= m.days:
        raise InvalidInput.one(
            "day", f"{year}年{m.name} has {m.days} days, not {day}", code="no_such_day"
        )
    return date.fromordinal(m.first.toordinal() + day - 1)


def lunar_text(day: date) -> str:
    """Shorthand: ``lunar_text(date(2026, 2, 17)) == "正月初一"``."""
    return to_lunar(day).text
