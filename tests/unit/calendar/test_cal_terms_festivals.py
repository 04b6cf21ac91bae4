"""Solar terms and festivals (issue 4 item 3, R6, R7)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from almanac.calendar import festivals, lunar, terms
from almanac.errors import InvalidInput


def test_qingming_2026_is_april_5() -> None:
    assert terms.term_date(2026, "清明") == date(2026, 4, 5)
    assert terms.term_date(2026, "qingming") == date(2026, 4, 5)
    t = terms.term_on(date(2026, 4, 5))
    assert t is not None and t.name == "清明" and t.moment.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    ("year", "name", "day"),
    [(2025, "冬至", date(2025, 12, 21)), (2026, "立春", date(2026, 2, 4)),
     (2026, "冬至", date(2026, 12, 22)), (2025, "清明", date(2025, 4, 4)),
     (2024, "夏至", date(2024, 6, 21))],
)  # fmt: skip
def test_published_term_dates(year: int, name: str, day: date) -> None:
    assert terms.term_date(year, name) == day


def test_every_year_has_24_ordered_terms_inside_it() -> None:
    for year in range(terms.MIN_YEAR, terms.MAX_YEAR + 1):
        found = terms.solar_terms(year)
        assert [t.name for t in found] == [name for _, name in terms.TERMS]
        days = [t.date for t in found]
        assert days == sorted(days) and days[0].year == days[-1].year == year
        assert all(13 <= (b - a).days <= 17 for a, b in itertools.pairwise(days))


def test_terms_between_and_errors() -> None:
    spring = terms.terms_between(date(2026, 2, 1), date(2026, 3, 31))
    assert [t.name for t in spring] == ["立春", "雨水", "惊蛰", "春分"]
    assert terms.term_on(date(2026, 4, 6)) is None
    with pytest.raises(InvalidInput):
        terms.solar_terms(2100)
    with pytest.raises(InvalidInput):
        terms.term_date(2026, "端午")


def fest(fid: str, cycle: int) -> date | None:
    return festivals.festival_date(fid, cycle)


def test_published_festival_dates() -> None:
    assert fest("chunjie", 2026) == date(2026, 2, 17)
    assert fest("chuxi", 2025) == date(2026, 2, 16)  # 腊月廿九: 2025's 腊月 is small
    assert fest("chuxi", 2023) == date(2024, 2, 9)  # 腊月三十
    assert fest("zhongqiu", 2027) == date(2027, 9, 15)
    # the 2026 official schedule (State Council, 2025-11-04) names these days:
    assert fest("duanwu", 2026) == date(2026, 6, 19)
    assert fest("zhongqiu", 2026) == date(2026, 9, 25)
    assert fest("guoqing", 2026) == date(2026, 10, 1)
    assert fest("yuanxiao", 2026) == date(2026, 3, 3)
    assert fest("longtaitou", 2026) == date(2026, 3, 20)
    assert fest("laba", 2025) == date(2026, 1, 26)


def test_chuxi_is_always_the_day_before_chunjie() -> None:
    for cycle in range(1901, 2099):
        chuxi = fest("chuxi", cycle)
        assert chuxi is not None
        assert chuxi + timedelta(days=1) == lunar.new_year(cycle + 1)
        assert lunar.to_lunar(chuxi).month == 12 and lunar.to_lunar(chuxi).day in (29, 30)


def test_festivals_never_fall_in_a_leap_month() -> None:
    assert lunar.leap_month(1995) == 8
    assert fest("zhongqiu", 1995) == date(1995, 9, 9)  # 八月十五, not 闰八月十五
    assert not lunar.to_lunar(date(1995, 9, 9)).leap


def test_xiaonian_north_shown_south_opt_in() -> None:
    shown = {f.id for f in festivals.visible()}
    assert "xiaonian" in shown and "xiaonian_south" not in shown
    both = festivals.festivals_between(date(2026, 2, 1), date(2026, 2, 28), show={"xiaonian_south"})
    assert [(fd.date, fd.festival.name) for fd in both[:2]] == [
        (date(2026, 2, 10), "小年"),
        (date(2026, 2, 11), "南方小年"),
    ]


def test_hide_any_festival() -> None:
    year = festivals.festivals_between(date(2026, 1, 1), date(2026, 12, 31))
    assert len(year) == len(festivals.visible())  # each once in 2026
    hidden = festivals.festivals_between(
        date(2026, 1, 1), date(2026, 12, 31), hide={"chuxi", "qixi", "jiaoshi"}
    )
    assert {fd.festival.id for fd in year} - {fd.festival.id for fd in hidden} == {
        "chuxi", "qixi", "jiaoshi",
    }  # fmt: skip
    assert festivals.festivals_on(date(2026, 2, 17)) == [festivals.BY_ID["chunjie"]]
    assert festivals.festivals_on(date(2026, 2, 17), hide={"chunjie"}) == []


def test_ids_are_stable_and_checked() -> None:
    assert [f.id for f in festivals.FESTIVALS] == [
        "chunjie", "yuanxiao", "longtaitou", "duanwu", "qixi", "zhongyuan", "zhongqiu",
        "chongyang", "laba", "xiaonian", "xiaonian_south", "chuxi", "yuandan", "funv",
        "laodong", "qingnian", "ertong", "jiandang", "jianjun", "jiaoshi", "guoqing",
    ]  # fmt: skip
    assert festivals.check_ids(["qixi"]) == frozenset({"qixi"})
    with pytest.raises(InvalidInput) as err:
        festivals.check_ids(["qixi", "valentine"])
    assert err.value.field == "hide.1"
