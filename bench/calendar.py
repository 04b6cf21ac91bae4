"""Benchmark of ``almanac.calendar`` (issue 4 "Numbers"; R6, R7, R9).

A person with 1,000 birthdays (60 % lunar, leap-month and day-30 and 2/29 cases included) and
500 recurring events (weekly, monthly, yearly, daily; timed and all-day; COUNT/UNTIL,
exceptions, a few rules only dateutil handles). Measured in one process:

- baseline: 365 bare lunar-python conversions (``Solar.fromYmd(...).getLunar()``);
- a year of days: ``Agenda.days`` for 2026 (365 entries: lunar date, solar term, festivals,
  statutory status, the person's items) — target ≤ 150 ms;
- upcoming 30 days: ``Agenda.upcoming(today, 30)`` — target ≤ 20 ms;
- building the ``Agenda`` (validating the 1,500 records), reported separately.

"cold" is the first call in the process (lunar-python computes the year tables and solar terms
then); "warm" is the median of the following runs. Run: ``.venv/bin/python bench/calendar.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the standard library's ``calendar``. Run as a script, its folder is
# sys.path[0], where ``import calendar`` (done by the standard library itself) would find this
# file: take the folder off the path; and if a script in bench/ imported this file as
# ``calendar`` anyway, hand that script the real module instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if __name__ == "calendar":  # pragma: no cover - only when imported by mistake
    import importlib

    del sys.modules["calendar"]
    sys.modules["calendar"] = importlib.import_module("calendar")

import platform  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from typing import Any  # noqa: E402

from lunar_python import Solar  # noqa: E402

from almanac.calendar.agenda import Agenda  # noqa: E402
from almanac.calendar.lunar import lunar_text  # noqa: E402

YEAR_START, YEAR_END = date(2026, 1, 1), date(2026, 12, 31)
TODAY = date(2026, 2, 1)
RUNS = 15


def birthdays(rng: random.Random, n: int = 1000) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for i in range(n):
        year = rng.choice([None, *range(1940, 2021)])
        if rng.random() < 0.6:
            spec: dict[str, Any] = {
                "calendar": "lunar",
                "month": rng.randint(1, 12),
                "day": rng.randint(1, 29),
            }
            if i % 50 == 0:
                spec.update(month=6, leap=True, year=None)  # 闰六月
            if i % 40 == 1:
                spec.update(month=12, day=30, year=None)  # 腊月三十
        else:
            spec = {"calendar": "solar", "month": rng.randint(1, 12), "day": rng.randint(1, 28)}
            if i % 60 == 2:
                spec.update(month=2, day=29, year=None)
        if year is not None and spec.get("year", 0) is not None:
            spec["year"] = year
        else:
            spec.pop("year", None)
        found.append({"id": f"b{i}", "name": f"朋友{i}", "date": spec})
    return found


def events(rng: random.Random, n: int = 500) -> list[dict[str, Any]]:
    rules = (
        ["FREQ=WEEKLY"] * 150
        + ["FREQ=WEEKLY;BYDAY=MO,WE,FR"] * 60
        + ["FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"] * 40
        + ["FREQ=MONTHLY"] * 120
        + ["FREQ=MONTHLY;BYDAY=-1FR"] * 15  # dateutil path
        + ["FREQ=MONTHLY;BYMONTHDAY=1,15"] * 15  # dateutil path
        + ["FREQ=YEARLY"] * 80
        + ["FREQ=DAILY;COUNT=200"] * 10
        + ["FREQ=DAILY"] * 10
    )
    found: list[dict[str, Any]] = []
    for i in range(n):
        start = date(2024, 1, 1) + timedelta(days=rng.randint(0, 800))
        rule = rules[i % len(rules)]
        if i % 5 == 0:
            ev: dict[str, Any] = {
                "all_day": True,
                "start": start.isoformat(),
                "end": (start + timedelta(days=i % 3)).isoformat(),
            }
        else:
            hour = rng.randint(7, 20)
            ev = {"start": f"{start}T{hour:02d}:00", "end": f"{start}T{hour:02d}:45"}
        ev.update(id=f"e{i}", title=f"日程{i}", rrule=rule)
        if i % 25 == 0:
            ev["exdates"] = [(start + timedelta(days=7 * k)).isoformat() for k in range(1, 4)]
        found.append(ev)
    return found


def timed(fn: Callable[[], object]) -> tuple[float, list[float]]:
    t0 = time.perf_counter()
    fn()
    cold = (time.perf_counter() - t0) * 1000
    warm = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        warm.append((time.perf_counter() - t0) * 1000)
    return cold, warm


def main() -> None:
    rng = random.Random(20261127)
    b, e = birthdays(rng), events(rng)

    def baseline() -> None:
        d = YEAR_START
        for _ in range(365):
            Solar.fromYmd(d.year, d.month, d.day).getLunar()
            d += timedelta(days=1)

    base_cold, base_warm = timed(baseline)
    base = statistics.median(base_warm)

    t0 = time.perf_counter()
    agenda = Agenda(birthdays=b, events=e)
    build = (time.perf_counter() - t0) * 1000

    days_cold, days_warm = timed(lambda: agenda.days(YEAR_START, YEAR_END))
    up_cold, up_warm = timed(lambda: agenda.upcoming(TODAY, 30))
    year = agenda.days(YEAR_START, YEAR_END)
    up = agenda.upcoming(TODAY, 30)
    items = sum(len(d.items) for d in year)

    def fmt(cold: float, warm: list[float]) -> str:
        return (
            f"cold {cold:7.1f} ms   warm median {statistics.median(warm):7.1f} ms"
            f"   max {max(warm):7.1f} ms"
        )

    print(
        f"machine: {platform.processor() or platform.machine()}, Python {sys.version.split()[0]},"
        f" {platform.system()} {platform.release()}"
    )
    print(f"person: {len(b)} birthdays, {len(e)} recurring events")
    print(f"baseline, 365 bare lunar-python conversions: {fmt(base_cold, base_warm)}")
    print(f"Agenda(...) build (validate 1,500 records):  {build:7.1f} ms")
    print(
        f"year of days 2026 (365 entries, {items} items): {fmt(days_cold, days_warm)}"
        f"   target ≤ 150 ms   ratio to baseline {statistics.median(days_warm) / base:.2f}"
    )
    print(
        f"upcoming 30 days from {TODAY} ({len(up)} entries): {fmt(up_cold, up_warm)}"
        f"   target ≤ 20 ms"
    )
    print(
        f"sanity: {YEAR_START} is {lunar_text(YEAR_START)}; 2026-02-17 is "
        f"{lunar_text(date(2026, 2, 17))}"
    )


if __name__ == "__main__":
    main()
