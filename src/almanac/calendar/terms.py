"""The 24 solar terms (二十四节气) with their exact moments, per solar year (R7).

Moments come from lunar-python's astronomical computation (apparent solar longitude, in Beijing
time, UTC+8); a term's *date* is the Beijing date of that moment, which is what Chinese
calendars print (清明 2026 is 2026-04-05, at 02:40). One lunar-python computation per year,
cached. Supported years: 1901–2099.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from lunar_python import Solar

from almanac.errors import InvalidInput

MIN_YEAR = 1901
MAX_YEAR = 2099
BEIJING = timezone(timedelta(hours=8), "CST")

# (key, name), in solar-year order: 小寒 (early January) … 冬至 (late December).
TERMS: tuple[tuple[str, str], ...] = (
    ("xiaohan", "小寒"),
    ("dahan", "大寒"),
    ("lichun", "立春"),
    ("yushui", "雨水"),
    ("jingzhe", "惊蛰"),
    ("chunfen", "春分"),
    ("qingming", "清明"),
    ("guyu", "谷雨"),
    ("lixia", "立夏"),
    ("xiaoman", "小满"),
    ("mangzhong", "芒种"),
    ("xiazhi", "夏至"),
    ("xiaoshu", "小暑"),
    ("dashu", "大暑"),
    ("liqiu", "立秋"),
    ("chushu", "处暑"),
    ("bailu", "白露"),
    ("qiufen", "秋分"),
    ("hanlu", "寒露"),
    ("shuangjiang", "霜降"),
    ("lidong", "立冬"),
    ("xiaoxue", "小雪"),
    ("daxue", "大雪"),
    ("dongzhi", "冬至"),
)


@dataclass(frozen=True, slots=True)
class SolarTerm:
    """One solar term of one year: ``key`` (``qingming``), ``name`` (清明), ``index`` (0 = 小寒 …
    23 = 冬至) and its moment in Beijing time."""

    key: str
    name: str
    index: int
    moment: datetime

    @property
    def date(self) -> date:
        return self.moment.date()


@lru_cache(maxsize=256)
def solar_terms(year: int) -> tuple[SolarTerm, ...]:
    """The 24 terms of solar year ``year`` (1901–2099), in order."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput.one(
            "year", f"solar terms are known for {MIN_YEAR}–{MAX_YEAR}, not {year}", "out_of_range"
        )
    # The table of the lunar year that contains June 1 holds 小寒 … 大雪 of this solar year under
    # their Chinese names, and this year's 冬至 under DONG_ZHI.
    table = Solar.fromYmd(year, 6, 1).getLunar().getJieQiTable()
    found = []
    for index, (key, name) in enumerate(TERMS):
        s = table["DONG_ZHI" if name == "冬至" else name]
        moment = datetime(
            s.getYear(),
            s.getMonth(),
            s.getDay(),
            s.getHour(),
            s.getMinute(),
            s.getSecond(),
            tzinfo=BEIJING,
        )
        found.append(SolarTerm(key, name, index, moment))
    return tuple(found)


@lru_cache(maxsize=256)
def _by_date(year: int) -> dict[date, SolarTerm]:
    return {t.date: t for t in solar_terms(year)}


def term_on(day: date) -> SolarTerm | None:
    """The solar term that falls on a day, if any."""
    return _by_date(day.year).get(day)


def term_date(year: int, key_or_name: str) -> date:
    """The date of one term by key or Chinese name: ``term_date(2026, "清明")``."""
    for t in solar_terms(year):
        if key_or_name in (t.key, t.name):
            return t.date
    raise InvalidInput.one("term", f"{key_or_name!r} is not a solar term", "not_a_choice")


def terms_between(start: date, end: date) -> list[SolarTerm]:
    """The terms on days ``start``…``end`` (inclusive), in order; years outside 1901–2099 are
    skipped."""
    found: list[SolarTerm] = []
    for year in range(max(start.year, MIN_YEAR), min(end.year, MAX_YEAR) + 1):
        found.extend(t for t in solar_terms(year) if start <= t.date <= end)
    return found
