"""Statutory holidays and 调休 workdays (issue 4 item 4, R6, R7): the shipped dataset matches
the State Council notices; uncovered years are "not yet published"; operator files load."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from almanac.calendar import statutory
from almanac.calendar.statutory import builtin, load_file, parse_year
from almanac.errors import InvalidInput

# (year, holiday) → (days off, make-up workdays), as the notices state them ("共N天", "…上班").
NOTICES = {
    2024: {  # 国办发明电〔2023〕7号
        "元旦": (3, []),  # 1月1日放假，与周末连休
        "春节": (8, [date(2024, 2, 4), date(2024, 2, 18)]),
        "清明节": (3, [date(2024, 4, 7)]),
        "劳动节": (5, [date(2024, 4, 28), date(2024, 5, 11)]),
        "端午节": (3, []),  # 6月10日放假，与周末连休
        "中秋节": (3, [date(2024, 9, 14)]),
        "国庆节": (7, [date(2024, 9, 29), date(2024, 10, 12)]),
    },
    2025: {  # 国办发明电〔2024〕12号
        "元旦": (1, []),
        "春节": (8, [date(2025, 1, 26), date(2025, 2, 8)]),
        "清明节": (3, []),
        "劳动节": (5, [date(2025, 4, 27)]),
        "端午节": (3, []),
        "国庆节、中秋节": (8, [date(2025, 9, 28), date(2025, 10, 11)]),
    },
    2026: {  # State Council notice of 2025-11-04
        "元旦": (3, [date(2026, 1, 4)]),
        "春节": (9, [date(2026, 2, 14), date(2026, 2, 28)]),
        "清明节": (3, []),
        "劳动节": (5, [date(2026, 5, 9)]),
        "端午节": (3, []),
        "中秋节": (3, []),
        "国庆节": (7, [date(2026, 9, 20), date(2026, 10, 10)]),
    },
}


def test_covered_years_are_stated() -> None:
    assert builtin().covered_years == (2024, 2025, 2026)
    assert builtin().version


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_dataset_matches_the_notice(year: int) -> None:
    days = builtin().holidays(year)
    off = Counter(d.name for d in days if d.off)
    work = {}
    for d in days:
        if not d.off:
            work.setdefault(d.name, []).append(d.date)
    for name, (count, makeup) in NOTICES[year].items():
        assert off[name] == count, name
        assert sorted(work.get(name, [])) == makeup, name
    assert set(off) == set(NOTICES[year])
    assert all(d.weekday() >= 5 for ds in work.values() for d in ds)  # 调休 days are weekends


def test_status_of_days() -> None:
    s = builtin()
    assert s.status(date(2026, 2, 16)).kind == "holiday"  # 除夕, in the 春节 break
    assert s.status(date(2026, 2, 16)).name == "春节"
    makeup = s.status(date(2026, 2, 14))
    assert (makeup.kind, makeup.makeup, makeup.off) == ("workday", True, False)
    assert s.status(date(2026, 3, 1)).kind == "weekend"
    assert s.status(date(2026, 3, 2)).kind == "workday"
    assert s.status(date(2026, 10, 8)).kind == "workday"  # 2026: 国庆 ends on the 7th
    assert s.status(date(2025, 10, 8)).kind == "holiday"  # 2025: 国庆、中秋 merged, 8 days


def test_beyond_the_covered_years_is_not_yet_published() -> None:
    s = builtin()
    for day in (date(2027, 1, 1), date(2027, 2, 6), date(2023, 10, 1)):
        st = s.status(day)
        assert (st.kind, st.published, st.off) == ("unknown", False, None)
    with pytest.raises(InvalidInput) as err:
        s.holidays(2027)
    assert err.value.code == "not_published"


def test_operator_file_in_the_holiday_cn_shape(tmp_path: Path) -> None:
    path = tmp_path / "2027.json"
    path.write_text(
        json.dumps(
            {
                "$schema": "https://example.invalid/schema.json",
                "year": 2027,
                "papers": ["(test data, not the real 2027 schedule)"],
                "days": [
                    {"name": "元旦", "date": "2027-01-01", "isOffDay": True},
                    {"name": "测试", "date": "2027-01-09", "isOffDay": False},
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    s = builtin().with_years(load_file(path))
    assert s.covered_years == (2024, 2025, 2026, 2027)
    assert s.status(date(2027, 1, 1)).kind == "holiday"
    assert s.status(date(2027, 1, 9)).makeup
    assert s.status(date(2027, 1, 10)).kind == "weekend"
    assert builtin().status(date(2027, 1, 1)).kind == "unknown"  # the shipped one is unchanged


def test_operator_year_replaces_the_shipped_year() -> None:
    year = parse_year(
        {"year": 2026, "days": [{"name": "x", "date": "2026-03-02", "isOffDay": True}]}
    )
    s = builtin().with_years([year])
    assert s.status(date(2026, 3, 2)).kind == "holiday"
    assert s.status(date(2026, 2, 17)).kind == "workday"


def test_bad_operator_input_names_the_field(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_year(
            {"year": 2027, "days": [{"name": "元旦", "date": "2027-02-30", "isOffDay": True}]}
        )
    assert err.value.field == "days.0.date"
    with pytest.raises(InvalidInput) as err:
        parse_year(
            {"year": 2027, "days": [
                {"name": "a", "date": "2027-01-01", "isOffDay": True},
                {"name": "b", "date": "2027-01-01", "isOffDay": True},
            ]}
        )  # fmt: skip
    assert (err.value.field, err.value.code) == ("days.1.date", "duplicate")
    with pytest.raises(InvalidInput) as err:
        parse_year({"year": 2027, "days": [{"name": "a", "date": "2030-01-01", "isOffDay": True}]})
    assert err.value.code == "out_of_range"
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        load_file(bad)
    assert err.value.field == "path"
    with pytest.raises(InvalidInput):
        statutory.parse(["not an object"])
