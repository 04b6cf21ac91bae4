"""How a date form's month and day choices read (R6): on a lunar date in Chinese 正月 … 腊月
and 初一 … 三十, as printed calendars write them; on a solar date, and in English, numbers.
The submitted values are the numbers either way (a 闰 month is the form's 闰月 box, as the
model keeps it: ``leap``). Each option carries both labels (``data-solar``/``data-lunar``) so
``almanac.js`` can relabel the choices when the person switches 公历/农历."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from almanac.calendar.lunar import day_name, month_name

LUNAR_DAYS = 30


class Choice(NamedTuple):
    value: int
    solar: str
    lunar: str  # "" when a lunar date has no such day (31)


class Labels(NamedTuple):
    months: tuple[Choice, ...]
    days: tuple[Choice, ...]


@lru_cache(maxsize=4)
def labels(lang: str) -> Labels:
    """The month (1–12) and day (1–31) choices in ``lang`` (made once per language)."""
    chinese = lang == "zh"
    months = tuple(Choice(m, str(m), month_name(m) if chinese else str(m)) for m in range(1, 13))
    days = tuple(
        Choice(d, str(d), (day_name(d) if chinese else str(d)) if d <= LUNAR_DAYS else "")
        for d in range(1, 32)
    )
    return Labels(months, days)
