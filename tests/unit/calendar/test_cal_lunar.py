"""Lunar dates (issue 4 item 1, R6, R7): published facts, display, range, round trip."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lunar_python import Solar

from almanac.calendar import lunar
from almanac.calendar.lunar import LunarDate, day_name, month_name, to_lunar, to_solar
from almanac.errors import InvalidInput


@pytest.mark.parametrize(
    ("solar", "year", "month", "day", "leap", "text"),
    [
        (date(2026, 2, 17), 2026, 1, 1, False, "正月初一"),  # 春节 2026
        (date(2026, 2, 16), 2025, 12, 29, False, "腊月廿九"),  # 除夕 2026: 2025's 腊月 is small
        (date(2025, 7, 25), 2025, 6, 1, True, "闰六月初一"),  # 2025 has a 闰六月
        (date(2027, 9, 15), 2027, 8, 15, False, "八月十五"),  # 中秋 2027
        (date(2024, 2, 9), 2023, 12, 30, False, "腊月三十"),  # 除夕 2024 on the 30th
        (date(2017, 7, 23), 2017, 6, 1, True, "闰六月初一"),
        (date(1995, 9, 9), 1995, 8, 15, False, "八月十五"),  # 1995 has a 闰八月
    ],
)
def test_published_dates_both_ways(
    solar: date, year: int, month: int, day: int, leap: bool, text: str
) -> None:
    got = to_lunar(solar)
    assert got == LunarDate(year, month, day, leap)
    assert got.text == text == str(got)
    assert to_solar(year, month, day, leap) == solar


def test_leap_months_of_known_years() -> None:
    assert lunar.leap_month(2025) == 6
    assert lunar.leap_month(2026) == 0
    assert lunar.leap_month(2023) == 2
    assert lunar.leap_month(2017) == 6
    assert [m.name for m in lunar.months(2025)][5:8] == ["六月", "闰六月", "七月"]
    assert len(lunar.months(2025)) == 13
    assert lunar.month_days(2025, 12) == 29


def test_new_year() -> None:
    assert lunar.new_year(2026) == date(2026, 2, 17)
    assert lunar.new_year(2025) == date(2025, 1, 29)


@pytest.mark.parametrize(
    ("day", "name"),
    [(1, "初一"), (9, "初九"), (10, "初十"), (11, "十一"), (15, "十五"), (19, "十九"),
     (20, "二十"), (21, "廿一"), (29, "廿九"), (30, "三十")],
)  # fmt: skip
def test_day_names(day: int, name: str) -> None:
    assert day_name(day) == name


def test_month_names() -> None:
    assert [month_name(m) for m in range(1, 13)] == [
        "正月", "二月", "三月", "四月", "五月", "六月",
        "七月", "八月", "九月", "十月", "冬月", "腊月",
    ]  # fmt: skip
    assert month_name(6, leap=True) == "闰六月"
    with pytest.raises(ValueError):
        month_name(13)
    with pytest.raises(ValueError):
        day_name(31)


@pytest.mark.parametrize(
    ("year", "ganzhi", "animal"),
    [(2025, "乙巳", "蛇"), (2026, "丙午", "马"), (1984, "甲子", "鼠"), (2027, "丁未", "羊")],
)
def test_year_ganzhi_and_zodiac(year: int, ganzhi: str, animal: str) -> None:
    assert lunar.year_ganzhi(year) == ganzhi
    assert lunar.zodiac(year) == animal


def test_ganzhi_changes_at_chunjie() -> None:
    assert to_lunar(date(2026, 2, 16)).full_text == "乙巳年腊月廿九"
    assert to_lunar(date(2026, 2, 17)).full_text == "丙午年正月初一"
    assert to_lunar(date(2026, 2, 17)).zodiac == "马"


def test_range_edges() -> None:
    assert to_lunar(date(1901, 1, 1)).year == 1900  # before 春节 1901
    assert to_lunar(date(2099, 12, 31)).year == 2099
    for bad in (date(1900, 12, 31), date(2100, 1, 1)):
        with pytest.raises(InvalidInput) as err:
            to_lunar(bad)
        assert err.value.code == "out_of_range"
    with pytest.raises(InvalidInput) as err:
        to_solar(2100, 1, 1)
    assert err.value.field == "year"


def test_nonexistent_lunar_dates_are_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        to_solar(2026, 6, 1, leap=True)  # 2026 has no leap month
    assert (err.value.field, err.value.code) == ("leap", "no_such_leap_month")
    with pytest.raises(InvalidInput) as err:
        to_solar(2025, 12, 30)  # 2025's 腊月 has 29 days
    assert (err.value.field, err.value.code) == ("day", "no_such_day")


def test_every_year_is_well_formed() -> None:
    """1901–2099: 12 or 13 months of 29/30 days, contiguous, one leap month at most."""
    previous_end = None
    for year in range(lunar.LUNAR_MIN_YEAR, lunar.LUNAR_MAX_YEAR + 1):
        months = lunar.months(year)
        assert len(months) == (13 if lunar.leap_month(year) else 12)
        assert [m.month for m in months if not m.leap] == list(range(1, 13))
        for a, b in itertools.pairwise(months):
            assert b.first - a.first == timedelta(days=a.days)
        assert all(m.days in (29, 30) for m in months)
        if previous_end is not None:
            assert months[0].first == previous_end
        previous_end = months[-1].first + timedelta(days=months[-1].days)


solar_days = st.dates(min_value=lunar.SOLAR_MIN, max_value=lunar.SOLAR_MAX)


@settings(max_examples=400, deadline=None)
@given(solar_days)
def test_round_trip_solar_lunar_solar(day: date) -> None:
    ld = to_lunar(day)
    if ld.year >= lunar.LUNAR_MIN_YEAR:
        assert to_solar(ld.year, ld.month, ld.day, ld.leap) == day


@settings(max_examples=150, deadline=None)
@given(solar_days)
def test_agrees_with_lunar_python(day: date) -> None:
    ref = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    got = to_lunar(day)
    assert (got.year, got.month if not got.leap else -got.month, got.day) == (
        ref.getYear(),
        ref.getMonth(),
        ref.getDay(),
    )
    assert got.text == ref.getMonthInChinese() + "月" + ref.getDayInChinese()
    assert got.ganzhi == ref.getYearInGanZhi()


def test_packaged_table_equals_lunar_python() -> None:
    """The shipped ``data/lunar_years.json`` is exactly what lunar-python computes today, so an
    upgrade of lunar-python that changes a year shows up here (regenerate with build_table)."""
    shipped = json.loads(
        resources.files("almanac.calendar").joinpath("data/lunar_years.json").read_text("utf-8")
    )
    assert shipped == lunar.build_table()
    for year in (1900, 1901, 2025, 2099, 2100):
        assert lunar._year_months(year) == lunar.compute_year(year)
