"""DateSpec: solar and Chinese lunar dates for birthdays and holidays (R6), contacts (R4)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lunar_python import Solar
from pydantic import ValidationError

from almanac.errors import InvalidInput
from almanac.model import DateSpec, validate_content
from almanac.model.validation import invalid_input


def spec_problem(**data: object) -> tuple[str, str, str]:
    """(field, code, message) of the first problem of a bad DateSpec."""
    with pytest.raises(ValidationError) as caught:
        DateSpec.model_validate(data)
    problem = invalid_input(caught.value).problems[0]
    return problem.field, problem.code, problem.message


def test_solar_is_the_default_calendar() -> None:
    spec = DateSpec(month=5, day=1)
    assert (spec.calendar, spec.year, spec.leap) == ("solar", None, False)


def test_r6_february_30_2026_is_refused_on_date_day(problems) -> None:
    found = problems("birthday", {"name": "张三", "date": {"year": 2026, "month": 2, "day": 30}})
    assert found == {"date.day": "no_such_day"}
    with pytest.raises(InvalidInput) as caught:
        validate_content(
            "birthday", {"name": "张三", "date": {"year": 2026, "month": 2, "day": 30}}
        )
    assert "February 2026 has 28 days" in caught.value.message
    assert caught.value.field == "date.day"


@pytest.mark.parametrize(
    ("year", "ok"), [(None, True), (2024, True), (2000, True), (2026, False), (1900, False)]
)
def test_february_29_needs_a_leap_year_only_when_a_year_is_given(year, ok) -> None:
    data = {"month": 2, "day": 29, "year": year}
    if ok:
        assert DateSpec.model_validate(data).day == 29
    else:
        assert spec_problem(**data)[:2] == ("day", "no_such_day")


def test_april_31_is_refused_even_without_a_year() -> None:
    field, code, message = spec_problem(month=4, day=31)
    assert (field, code) == ("day", "no_such_day")
    assert "April" in message and "30 days" in message


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"month": 13, "day": 1}, "month"),
        ({"month": 0, "day": 1}, "month"),
        ({"month": 1, "day": 0}, "day"),
        ({"month": 1, "day": 32}, "day"),
        ({"month": 1, "day": 1, "year": 0}, "year"),
        ({"month": 1, "day": 1, "calendar": "julian"}, "calendar"),
        ({"month": 1, "day": 1, "leap": True}, "leap"),
        ({"month": 1, "day": 1, "weekday": 3}, "weekday"),
        ({"day": 1}, "month"),
    ],
)
def test_bad_parts_name_their_field(data, field) -> None:
    assert spec_problem(**data)[0] == field


def test_leap_on_a_solar_date_is_refused_on_leap() -> None:
    field, code, message = spec_problem(month=6, day=1, leap=True)
    assert (field, code) == ("leap", "solar_leap")
    assert "lunar" in message


def test_lunar_2025_has_a_leap_sixth_month() -> None:
    spec = DateSpec(calendar="lunar", year=2025, month=6, day=1, leap=True)
    assert spec.leap is True


def test_lunar_2026_has_no_leap_sixth_month() -> None:
    field, code, message = spec_problem(calendar="lunar", year=2026, month=6, day=1, leap=True)
    assert (field, code) == ("leap", "no_such_leap_month")
    assert "2026" in message and "闰六月" in message


def test_lunar_2025_leap_month_is_not_any_other_month() -> None:
    field, _, message = spec_problem(calendar="lunar", year=2025, month=5, day=1, leap=True)
    assert field == "leap"
    assert "闰六月" in message  # names the month that year does have


def test_lunar_day_30_in_a_29_day_month_is_refused_on_day() -> None:
    # lunar 2026: 二月 has 29 days, 三月 30 (checked against lunar-python below)
    assert DateSpec(calendar="lunar", year=2026, month=3, day=30).day == 30
    field, code, message = spec_problem(calendar="lunar", year=2026, month=2, day=30)
    assert (field, code) == ("day", "no_such_day")
    assert "29 days" in message


def test_lunar_leap_month_length_is_checked() -> None:
    # 2025 闰六月 has 29 days, the ordinary 六月 30.
    assert DateSpec(calendar="lunar", year=2025, month=6, day=30).day == 30
    assert spec_problem(calendar="lunar", year=2025, month=6, day=30, leap=True)[0] == "day"


def test_lunar_without_a_year_accepts_any_day_up_to_30_leap_or_not() -> None:
    assert DateSpec(calendar="lunar", month=6, day=30, leap=True).leap
    assert DateSpec(calendar="lunar", month=12, day=30).day == 30
    assert spec_problem(calendar="lunar", month=1, day=31)[0] == "day"


@pytest.mark.parametrize("year", [1900, 2100])
def test_lunar_years_outside_1901_2099_are_refused_on_year(year) -> None:
    assert spec_problem(calendar="lunar", year=year, month=1, day=1)[:2] == (
        "year",
        "lunar_year_range",
    )


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31)))
def test_every_real_solar_date_round_trips(day: date) -> None:
    spec = DateSpec(year=day.year, month=day.month, day=day.day)
    again = DateSpec.model_validate(spec.model_dump(mode="json"))
    assert again == spec
    assert date(again.year or 0, again.month, again.day) == day


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31)))
def test_every_lunar_date_from_lunar_python_validates_with_its_year(day: date) -> None:
    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    data = {
        "calendar": "lunar",
        "year": lunar.getYear(),
        "month": abs(lunar.getMonth()),
        "day": lunar.getDay(),
        "leap": lunar.getMonth() < 0,
    }
    if 1901 <= lunar.getYear() <= 2099:
        spec = DateSpec.model_validate(data)
        assert (spec.month, spec.day, spec.leap) == (data["month"], data["day"], data["leap"])
    else:  # January 1901 is still lunar 1900
        assert spec_problem(**data)[0] == "year"


@given(st.integers(1901, 2099), st.integers(1, 12), st.booleans(), st.integers(1, 30))
def test_lunar_validation_agrees_with_lunar_python(year, month, leap, day) -> None:
    from lunar_python import LunarMonth

    found = LunarMonth.fromYm(year, -month if leap else month)
    exists = found is not None and day <= found.getDayCount()
    data = {"calendar": "lunar", "year": year, "month": month, "day": day, "leap": leap}
    if exists:
        assert DateSpec.model_validate(data).day == day
    else:
        assert spec_problem(**data)[0] in ("leap", "day")
