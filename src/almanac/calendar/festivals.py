"""Traditional lunar festivals and public solar ones, each with a stable id (R6, R7).

A person hides any of them by id (``hide``) and adds their own holidays as *holiday* records
(``almanac.model.holiday``), which the agenda merges in. Ids never change: settings and synced
data refer to them.

Rules:

- Lunar festivals use the occurrence rules of ``almanac.calendar.occurrence``; they fall in the
  *ordinary* month, never in a leap month of the same number (中秋 is never in 闰八月).
- 除夕 is the last day of the lunar year: the day before the next 正月初一, so 腊月廿九 in a
  year whose 腊月 has 29 days (2026-02-16) and 腊月三十 otherwise.
- 小年 differs by region: the north keeps 腊月廿三, most of the south 腊月廿四. ``xiaonian``
  (北方小年, 廿三) is shown by default, the way national media and most printed calendars mark
  it; ``xiaonian_south`` (南方小年, 廿四) is available and hidden by default — a person turns it on
  with ``show`` (and may hide the northern one).
- The public (solar) days are those of the State Council's 全国年节及纪念日放假办法 and the
  commemorative days printed on calendars. Whether a day is *off work* is a separate question
  answered by ``almanac.calendar.statutory``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from almanac.calendar import lunar
from almanac.calendar.occurrence import lunar_in_year
from almanac.errors import FieldProblem, InvalidInput


@dataclass(frozen=True, slots=True)
class Festival:
    """A festival: stable ``id``, Chinese and English names, ``kind``, and its yearly date."""

    id: str
    name: str
    name_en: str
    kind: Literal["traditional", "public"]
    calendar: Literal["lunar", "solar"]
    month: int
    day: int
    hidden_by_default: bool = False


FESTIVALS: tuple[Festival, ...] = (
    Festival("chunjie", "春节", "Spring Festival", "traditional", "lunar", 1, 1),
    Festival("yuanxiao", "元宵节", "Lantern Festival", "traditional", "lunar", 1, 15),
    Festival("longtaitou", "龙抬头", "Dragon Raises Its Head", "traditional", "lunar", 2, 2),
    Festival("duanwu", "端午节", "Dragon Boat Festival", "traditional", "lunar", 5, 5),
    Festival("qixi", "七夕", "Qixi Festival", "traditional", "lunar", 7, 7),
    Festival("zhongyuan", "中元节", "Ghost Festival", "traditional", "lunar", 7, 15),
    Festival("zhongqiu", "中秋节", "Mid-Autumn Festival", "traditional", "lunar", 8, 15),
    Festival("chongyang", "重阳节", "Double Ninth Festival", "traditional", "lunar", 9, 9),
    Festival("laba", "腊八节", "Laba Festival", "traditional", "lunar", 12, 8),
    Festival("xiaonian", "小年", "Little New Year (north)", "traditional", "lunar", 12, 23),
    Festival(
        "xiaonian_south",
        "南方小年",
        "Little New Year (south)",
        "traditional",
        "lunar",
        12,
        24,
        hidden_by_default=True,
    ),
    # 除夕: month 12, day 30 stands for "the last day of the year" (see the module docstring).
    Festival("chuxi", "除夕", "New Year's Eve", "traditional", "lunar", 12, 30),
    Festival("yuandan", "元旦", "New Year's Day", "public", "solar", 1, 1),
    Festival("funv", "妇女节", "International Women's Day", "public", "solar", 3, 8),
    Festival("laodong", "劳动节", "Labour Day", "public", "solar", 5, 1),
    Festival("qingnian", "青年节", "Youth Day", "public", "solar", 5, 4),
    Festival("ertong", "儿童节", "Children's Day", "public", "solar", 6, 1),
    Festival("jiandang", "建党节", "CPC Founding Day", "public", "solar", 7, 1),
    Festival("jianjun", "建军节", "Army Day", "public", "solar", 8, 1),
    Festival("jiaoshi", "教师节", "Teachers' Day", "public", "solar", 9, 10),
    Festival("guoqing", "国庆节", "National Day", "public", "solar", 10, 1),
)
BY_ID: dict[str, Festival] = {f.id: f for f in FESTIVALS}


@dataclass(frozen=True, slots=True)
class FestivalDay:
    """A festival on a solar day."""

    date: date
    festival: Festival


def check_ids(ids: Iterable[str], field: str = "hide") -> frozenset[str]:
    """The ids as a set; ``InvalidInput`` naming each unknown one (for settings input)."""
    given = list(ids)
    problems = [
        FieldProblem(f"{field}.{i}", f"{field}.{i} is not a festival id", "not_a_choice")
        for i, fid in enumerate(given)
        if fid not in BY_ID
    ]
    if problems:
        raise InvalidInput(problems)
    return frozenset(given)


def visible(hide: Collection[str] = (), show: Collection[str] = ()) -> tuple[Festival, ...]:
    """The festivals a person sees: those not hidden by default, plus ``show``, minus ``hide``."""
    return tuple(
        f for f in FESTIVALS if f.id not in hide and (not f.hidden_by_default or f.id in show)
    )


def festival_date(festival: Festival | str, cycle_year: int) -> date | None:
    """Where a festival falls in one cycle year (the lunar year for a lunar festival, the solar
    year for a solar one); ``None`` outside the supported range."""
    f = BY_ID[festival] if isinstance(festival, str) else festival
    return _festival_date(f.id, cycle_year)


@lru_cache(maxsize=8192)
def _festival_date(fid: str, cycle_year: int) -> date | None:
    f = BY_ID[fid]
    if f.calendar == "solar":
        return date(cycle_year, f.month, f.day) if 1 <= cycle_year <= 9999 else None
    if fid == "chuxi":
        if not lunar.LUNAR_MIN_YEAR <= cycle_year < lunar.LUNAR_MAX_YEAR:
            return None
        return lunar.new_year(cycle_year + 1) - timedelta(days=1)
    return lunar_in_year(f.month, f.day, False, cycle_year)


def festivals_between(
    start: date,
    end: date,
    *,
    hide: Collection[str] = (),
    show: Collection[str] = (),
) -> list[FestivalDay]:
    """The visible festivals on days ``start``…``end`` (inclusive), ordered by date, then by
    the order of ``FESTIVALS``."""
    found: list[FestivalDay] = []
    for f in visible(hide, show):
        low = start.year - 1 if f.calendar == "lunar" else start.year
        for cycle in range(low, end.year + 1):
            day = _festival_date(f.id, cycle)
            if day is not None and start <= day <= end:
                found.append(FestivalDay(day, f))
    order = {f.id: i for i, f in enumerate(FESTIVALS)}
    found.sort(key=lambda fd: (fd.date, order[fd.festival.id]))
    return found


def festivals_on(
    day: date, *, hide: Collection[str] = (), show: Collection[str] = ()
) -> list[Festival]:
    """The visible festivals on one day."""
    return [fd.festival for fd in festivals_between(day, day, hide=hide, show=show)]
