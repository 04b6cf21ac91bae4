"""Benchmark of ``almanac.calendar`` (issue 4 "Numbers"; R6, R7, R9).

A person with 1,000 birthdays (60 % lunar, leap-month and day-30 and 2/29 cases included),
500 recurring events (weekly, monthly, yearly, daily; timed and all-day; COUNT/UNTIL,
exceptions, a few rules only dateutil handles) and 10,000 contacts, one in ten with a birthday
typed on it (50 of those linked by a birthday record, so shown through it): the agenda gets the
1,000 with a birthday, as the readers' ``f:has_birthday`` filter gives them. Measured in one
process:

- baseline: 365 bare lunar-python conversions (``Solar.fromYmd(...).getLunar()``);
- a year of days: ``Agenda.days`` for 2026 (365 entries: lunar date, solar term, festivals,
  statutory status, the person's items) — target ≤ 150 ms;
- upcoming 30 days: ``Agenda.upcoming(today, 30)`` — target ≤ 20 ms;
- building the ``Agenda`` (validating the 2,500 records), reported separately.

"cold" is the first call in the process (lunar-python computes the year tables and solar terms
then); "warm" is the median of the following runs. Run: ``.venv/bin/python bench/calendar.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the standard library's ``calendar``. Run as a script, its folder is
# sys.path[0], where ``import calendar`` (done inside the standard library) would find this
# file: so take the folder off the path first. And if another script run from bench/ imports
# this file as ``calendar`` by mistake, hand it the real module (the rest of this file then
# only defines functions: module-level imports are standard-library only).
_HERE = Path(__file__).resolve().parent
if __name__ == "calendar":  # pragma: no cover - only when imported by mistake
    import importlib

    _saved = list(sys.path)
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
    del sys.modules["calendar"]
    sys.modules["calendar"] = importlib.import_module("calendar")
    sys.path[:] = _saved
elif __name__ == "__main__":
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import os  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from typing import Any  # noqa: E402

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


def contacts(rng: random.Random, n: int = 10_000, every: int = 10) -> list[dict[str, Any]]:
    """``n`` contacts as a reader gives them (content plus ``id``); each ``every``-th has a
    birthday (60 % lunar, some without a year)."""
    found: list[dict[str, Any]] = []
    for i in range(n):
        c: dict[str, Any] = {"id": str(uuid.UUID(int=i + 1)), "name": f"联系人{i}",
                             "phones": [{"label": "mobile", "value": f"138{i:08d}"}]}  # fmt: skip
        if i % every == 0:
            lunar = rng.random() < 0.6
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            spec: dict[str, Any] = {"calendar": "lunar" if lunar else "solar", "month": month,
                                    "day": day}  # fmt: skip
            if rng.random() < 0.7:
                spec["year"] = rng.randint(1940, 2020)
            c["birthday"] = spec
        found.append(c)
    return found


def link(birthday_records: list[dict[str, Any]], people: list[dict[str, Any]], n: int) -> None:
    """The first ``n`` birthday records link a contact with a birthday (the record wins)."""
    with_birthday = [c for c in people if c.get("birthday")]
    for record, person in zip(birthday_records[:n], with_birthday, strict=False):
        record["contact_id"] = person["id"]


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


def timed(fn: Callable[[], object]) -> dict[str, float]:
    """Wall-clock and CPU (process) milliseconds: the first call, then median and best of RUNS.
    On a shared machine CPU time is the steadier figure: wall time also counts waiting."""

    def once() -> tuple[float, float]:
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        return (time.perf_counter() - w0) * 1000, (time.process_time() - c0) * 1000

    cold_wall, cold_cpu = once()
    runs = [once() for _ in range(RUNS)]
    walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
    return {
        "cold_wall": cold_wall,
        "cold_cpu": cold_cpu,
        "wall": statistics.median(walls),
        "cpu": statistics.median(cpus),
        "best_wall": min(walls),
        "best_cpu": min(cpus),
    }


def fmt(t: dict[str, float]) -> str:
    return (
        f"cold {t['cold_wall']:6.1f} ms (cpu {t['cold_cpu']:6.1f})   "
        f"warm median {t['wall']:6.1f} ms (cpu {t['cpu']:6.1f})   "
        f"best {t['best_wall']:6.1f} ms (cpu {t['best_cpu']:6.1f})"
    )


def main() -> None:
    rng = random.Random(20261127)
    b, e = birthdays(rng), events(rng)
    people = contacts(rng)
    link(b, people, 50)
    read = [c for c in people if c.get("birthday")]  # what f:has_birthday gives the agenda

    from lunar_python import Solar

    from almanac.calendar.agenda import Agenda
    from almanac.calendar.lunar import lunar_text

    def baseline() -> None:
        d = YEAR_START
        for _ in range(365):
            Solar.fromYmd(d.year, d.month, d.day).getLunar()
            d += timedelta(days=1)

    base = timed(baseline)

    c0 = time.process_time()
    agenda = Agenda(birthdays=b, events=e, contacts=read)
    build_first = (time.process_time() - c0) * 1000
    c0 = time.process_time()
    agenda = Agenda(birthdays=b, events=e, contacts=read)
    build_again = (time.process_time() - c0) * 1000

    days = timed(lambda: agenda.days(YEAR_START, YEAR_END))
    up = timed(lambda: agenda.upcoming(TODAY, 30))
    year = agenda.days(YEAR_START, YEAR_END)
    upcoming = agenda.upcoming(TODAY, 30)
    items = sum(len(d.items) for d in year)

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; Python {sys.version.split()[0]}"
    )
    print(
        f"person: {len(b)} birthdays, {len(e)} recurring events, {len(people)} contacts "
        f"({len(read)} with a birthday, 50 of them linked by a birthday record)"
    )
    print(f"baseline, 365 bare lunar-python conversions   {fmt(base)}")
    print(
        f"Agenda(...) build, validating {len(b) + len(e) + len(read):,} records: "
        f"first {build_first:7.1f} ms cpu "
        f"(almanac.model's lunar DateSpec checks are slow when cold), again {build_again:6.1f} ms"
    )
    print(f"year of days 2026: 365 entries, {items} items  {fmt(days)}   target <= 150 ms")
    print(f"upcoming 30 days from {TODAY}: {len(upcoming)} entries  {fmt(up)}   target <= 20 ms")
    print(
        f"ratios to the baseline (median wall): year of days {days['wall'] / base['wall']:.3f}, "
        f"upcoming {up['wall'] / base['wall']:.3f}"
    )
    print(
        f"sanity: {YEAR_START} is {lunar_text(YEAR_START)}; "
        f"2026-02-17 is {lunar_text(date(2026, 2, 17))}"
    )


if __name__ == "__main__":
    main()
