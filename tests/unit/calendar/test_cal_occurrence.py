"""Yearly occurrences and ages (issue 4 item 2, R6): every hard case, one test each."""

from __future__ import annotations

from datetime import date

import pytest

from almanac.calendar import lunar
from almanac.calendar.occurrence import (
    Occurrence,
    age,
    in_cycle_year,
    next_occurrence,
    nominal_age,
    occurrences,
    origin,
)
from almanac.errors import InvalidInput
from almanac.model.dates import DateSpec


def lunar_spec(month: int, day: int, leap: bool = False, year: int | None = None) -> DateSpec:
    return DateSpec(calendar="lunar", month=month, day=day, leap=leap, year=year)


# -- rule 1: leap months ------------------------------------------------------------------


def test_leap_month_birthday_in_a_year_without_that_leap_month_uses_the_ordinary_month() -> None:
    born = lunar_spec(6, 1, leap=True, year=2025)  # 闰六月初一 = 2025-07-25
    assert origin(born) == date(2025, 7, 25)
    assert in_cycle_year(born, 2026) == lunar.to_solar(2026, 6, 1) == date(2026, 7, 14)


def test_leap_month_birthday_in_a_year_with_that_leap_month_uses_the_leap_month() -> None:
    born = lunar_spec(6, 1, leap=True)
    assert in_cycle_year(born, 2017) == date(2017, 7, 23)  # 2017 闰六月初一
    assert in_cycle_year(born, 2036) == lunar.to_solar(2036, 6, 1, leap=True)


def test_leap_month_birthday_in_a_year_with_another_leap_month_uses_the_ordinary_month() -> None:
    assert lunar.leap_month(2023) == 2
    assert in_cycle_year(lunar_spec(6, 1, leap=True), 2023) == lunar.to_solar(2023, 6, 1)


def test_ordinary_month_birthday_never_falls_in_the_leap_month() -> None:
    assert in_cycle_year(lunar_spec(6, 1), 2025) == date(2025, 6, 25)  # not 07-25 (闰六月初一)


# -- rule 2: day 30 in a 29-day month -----------------------------------------------------


def test_day_30_in_a_29_day_month_falls_on_the_29th() -> None:
    assert lunar.month_days(2025, 12) == 29
    # 腊月三十 in lunar year 2025 → 腊月廿九 = 2026-02-16, which is 除夕.
    assert in_cycle_year(lunar_spec(12, 30), 2025) == date(2026, 2, 16)
    assert lunar.to_lunar(date(2026, 2, 16)).text == "腊月廿九"


def test_day_30_in_a_30_day_month_is_the_30th() -> None:
    assert lunar.month_days(2023, 12) == 30
    assert in_cycle_year(lunar_spec(12, 30), 2023) == date(2024, 2, 9)


def test_leap_month_day_30_moved_to_a_29_day_ordinary_month() -> None:
    # 闰六月 2025 has 29 days, so a 闰六月三十 birth needs another year with a 30-day 闰六月;
    # whatever the birth year, in 2026 the date goes to 六月 and is clamped to its length.
    days = lunar.month_days(2026, 6)
    assert in_cycle_year(lunar_spec(6, 30, leap=True), 2026) == lunar.to_solar(2026, 6, days)


# -- rule 3: 2/29 ---------------------------------------------------------------------------


def test_feb29_in_a_common_year_defaults_to_feb28() -> None:
    spec = DateSpec(month=2, day=29, year=2000)
    assert in_cycle_year(spec, 2026) == date(2026, 2, 28)
    assert in_cycle_year(spec, 2028) == date(2028, 2, 29)


def test_feb29_mar1_option() -> None:
    spec = DateSpec(month=2, day=29)
    assert in_cycle_year(spec, 2026, feb29="mar1") == date(2026, 3, 1)
    assert in_cycle_year(spec, 2028, feb29="mar1") == date(2028, 2, 29)


# -- rule 4: occurrences ------------------------------------------------------------------


def test_lunar_occurrences_cross_the_solar_new_year() -> None:
    # A 腊月 date of lunar year 2025 falls in 2026: both are in the solar year 2026's list.
    found = occurrences(lunar_spec(12, 8), date(2026, 1, 1), date(2026, 12, 31))
    assert [o.date for o in found] == [date(2026, 1, 26)]  # 腊八 2026
    assert found[0].cycle_year == 2025


def test_dated_spec_starts_at_its_date_and_counts_years() -> None:
    born = DateSpec(month=5, day=20, year=2024)
    found = occurrences(born, date(2023, 1, 1), date(2026, 12, 31))
    assert found == [
        Occurrence(date(2024, 5, 20), 2024, 0),
        Occurrence(date(2025, 5, 20), 2025, 1),
        Occurrence(date(2026, 5, 20), 2026, 2),
    ]


def test_one_off_occurs_once_and_needs_a_year() -> None:
    spec = DateSpec(month=10, day=3, year=2026)
    assert [
        o.date for o in occurrences(spec, date(2026, 1, 1), date(2030, 1, 1), yearly=False)
    ] == [date(2026, 10, 3)]
    assert occurrences(spec, date(2027, 1, 1), date(2030, 1, 1), yearly=False) == []
    with pytest.raises(InvalidInput):
        occurrences(DateSpec(month=1, day=1), date(2026, 1, 1), date(2026, 2, 1), yearly=False)


def test_next_occurrence() -> None:
    nxt = next_occurrence(lunar_spec(8, 15), date(2027, 1, 1))
    assert nxt is not None and nxt.date == date(2027, 9, 15)  # 中秋 2027
    same_day = next_occurrence(DateSpec(month=3, day=8), date(2026, 3, 8))
    assert same_day is not None and same_day.date == date(2026, 3, 8)
    later = next_occurrence(DateSpec(month=3, day=8), date(2026, 3, 9))
    assert later is not None and later.date == date(2027, 3, 8)


def test_beyond_the_supported_range_there_is_no_occurrence() -> None:
    assert occurrences(lunar_spec(8, 15), date(2100, 1, 1), date(2101, 12, 31)) == []
    assert next_occurrence(lunar_spec(8, 15), date(2100, 1, 1)) is None
    assert in_cycle_year(lunar_spec(1, 1), 1900) is None


def test_mappings_are_accepted_and_validated() -> None:
    assert in_cycle_year({"calendar": "lunar", "month": 1, "day": 1}, 2026) == date(2026, 2, 17)
    with pytest.raises(InvalidInput) as err:
        in_cycle_year({"calendar": "lunar", "month": 13, "day": 1}, 2026)
    assert err.value.field == "date.month"


# -- rule 5: ages -------------------------------------------------------------------------


def test_age_turns_on_the_birthday() -> None:
    born = DateSpec(month=6, day=1, year=1990)
    assert age(born, date(2026, 5, 31)) == 35
    assert age(born, date(2026, 6, 1)) == 36
    assert age(born, date(1990, 6, 1)) == 0
    assert age(born, date(1990, 5, 31)) is None
    assert age(DateSpec(month=6, day=1), date(2026, 6, 1)) is None


def test_feb29_age_follows_the_chosen_day() -> None:
    born = DateSpec(month=2, day=29, year=2000)
    assert age(born, date(2026, 2, 27)) == 25
    assert age(born, date(2026, 2, 28)) == 26
    assert age(born, date(2026, 2, 28), feb29="mar1") == 25
    assert age(born, date(2026, 3, 1), feb29="mar1") == 26


def test_lunar_age_counts_lunar_birthdays() -> None:
    born = lunar_spec(6, 1, leap=True, year=2025)  # 2025-07-25
    assert age(born, date(2026, 7, 13)) == 0
    assert age(born, date(2026, 7, 14)) == 1  # 六月初一 2026
    born_lunar_dec = lunar_spec(12, 30, year=2023)  # 2024-02-09
    assert age(born_lunar_dec, date(2026, 2, 15)) == 1
    assert age(born_lunar_dec, date(2026, 2, 16)) == 2  # 腊月廿九, the month's last day


def test_nominal_age_xusui() -> None:
    born = DateSpec(month=7, day=25, year=2025)  # a solar birthday works too
    assert nominal_age(born, date(2025, 7, 25)) == 1
    assert nominal_age(born, date(2026, 2, 16)) == 1  # 除夕
    assert nominal_age(born, date(2026, 2, 17)) == 2  # 春节: one year older
    assert nominal_age(born, date(2025, 7, 24)) is None
    assert nominal_age(DateSpec(month=7, day=25), date(2026, 1, 1)) is None
