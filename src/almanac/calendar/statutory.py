"""China's statutory holidays and adjusted workdays (调休), from the official schedule (R6, R7).

The State Council publishes each year's schedule (国务院办公厅关于…年部分节假日安排的通知), usually
in November of the year before. Almanac ships it as a versioned dataset
(``almanac/calendar/data/statutory.json``, typed in from the notices cited in it) and states
which years it covers (``Schedule.covered_years``). For a day outside them the answer is
``unknown`` ("not yet published"), never a guess from weekdays.

An operator adds a newly published year without a new release by giving a JSON file
(``load_file``) in the shape of the public holiday-cn dataset, one year per file::

    {"year": 2027,
     "papers": ["国务院办公厅关于2027年部分节假日安排的通知 …"],
     "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true},
              {"name": "春节", "date": "2027-02-07", "isOffDay": false}, …]}

``days`` lists every day off of each holiday period (``isOffDay: true``, weekends inside the
period included) and every make-up workday (``isOffDay: false``); other keys are ignored. A
file may also hold several years in the shipped dataset's own shape (``{"years": [...]}``).
A year given by the operator replaces the shipped year of the same number.

Status of a day (``Schedule.status``):

- listed in a covered schedule → ``holiday`` (off, with the holiday's name) or ``workday`` with
  ``makeup=True`` (调休上班, a weekend day worked);
- otherwise, in a covered year → ``weekend`` (Saturday, Sunday) or ``workday``;
- otherwise → ``unknown`` with ``published=False``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from almanac.calendar.data import data_text
from almanac.errors import FieldProblem, InvalidInput

DayKind = Literal["holiday", "workday", "weekend", "unknown"]


class _DayIn(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    name: str = Field(min_length=1, max_length=100)
    date: date
    off: bool = Field(alias="isOffDay")


class _YearIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    year: int = Field(ge=1901, le=2099)
    papers: list[str] = []
    days: list[_DayIn]


@dataclass(frozen=True, slots=True)
class ScheduledDay:
    """One day of an official schedule: off (放假) or a make-up workday (调休上班)."""

    date: date
    name: str
    off: bool


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """The official schedule of one year, with the notice(s) it comes from."""

    year: int
    days: tuple[ScheduledDay, ...]
    papers: tuple[str, ...] = ()
    source: str = "builtin"


@dataclass(frozen=True, slots=True)
class DayStatus:
    """Whether a day is off. ``kind`` is ``holiday``, ``workday``, ``weekend`` or ``unknown``;
    ``name`` the holiday a listed day belongs to; ``makeup`` marks a 调休 workday."""

    date: date
    kind: DayKind
    name: str | None = None
    makeup: bool = False

    @property
    def published(self) -> bool:
        return self.kind != "unknown"

    @property
    def off(self) -> bool | None:
        """True for a day off, False for a workday, None when not yet published."""
        if self.kind == "unknown":
            return None
        return self.kind in ("holiday", "weekend")


def parse_year(data: Mapping[str, Any], *, source: str = "operator") -> YearSchedule:
    """One year in the holiday-cn shape; ``InvalidInput`` naming each bad field."""
    try:
        parsed = _YearIn.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(
            [
                FieldProblem(
                    ".".join(str(p) for p in err["loc"]) or "year",
                    f"{'.'.join(str(p) for p in err['loc']) or 'input'}: {err['msg']}",
                    "invalid",
                )
                for err in exc.errors()
            ]
        ) from None
    problems: list[FieldProblem] = []
    seen: set[date] = set()
    for i, d in enumerate(parsed.days):
        if abs(d.date.year - parsed.year) > 1:
            problems.append(
                FieldProblem(
                    f"days.{i}.date",
                    f"days.{i}.date {d.date} is too far from {parsed.year}",
                    "out_of_range",
                )
            )
        if d.date in seen:
            problems.append(
                FieldProblem(
                    f"days.{i}.date", f"days.{i}.date {d.date} is listed twice", "duplicate"
                )
            )
        seen.add(d.date)
    if problems:
        raise InvalidInput(problems)
    days = tuple(sorted((ScheduledDay(d.date, d.name, d.off) for d in parsed.days), key=_by_date))
    return YearSchedule(parsed.year, days, tuple(parsed.papers), source)


def _by_date(day: ScheduledDay) -> date:
    return day.date


def parse(data: Mapping[str, Any] | list[Any], *, source: str = "operator") -> list[YearSchedule]:
    """A holiday-cn year, a list of them, or the shipped shape ``{"years": [...]}``."""
    if isinstance(data, Mapping) and "years" in data:
        items = data["years"]
    elif isinstance(data, Mapping):
        items = [data]
    else:
        items = data
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise InvalidInput.one("years", "must be a list of year objects", "invalid_type")
    return [parse_year(item, source=source) for item in items]


def load_file(path: str | Path) -> list[YearSchedule]:
    """Read an operator's schedule file (UTF-8 JSON, see the module docstring)."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput.one("path", f"cannot read {p}: {exc}", "unreadable") from None
    return parse(data, source=str(p))


class Schedule:
    """The official schedules of the covered years, merged; ``status`` answers for any day."""

    def __init__(self, years: Iterable[YearSchedule], version: str = "") -> None:
        by_year: dict[int, YearSchedule] = {}
        for y in years:
            by_year[y.year] = y
        self.years: dict[int, YearSchedule] = dict(sorted(by_year.items()))
        self.version = version
        self._days: dict[date, ScheduledDay] = {}
        for y in self.years.values():
            for d in y.days:
                self._days[d.date] = d

    @property
    def covered_years(self) -> tuple[int, ...]:
        return tuple(self.years)

    def with_years(self, years: Iterable[YearSchedule]) -> Schedule:
        """A new schedule where ``years`` replace (or add to) the years of this one."""
        return Schedule([*self.years.values(), *years], self.version)

    def status(self, day: date) -> DayStatus:
        listed = self._days.get(day)
        if listed is not None:
            if listed.off:
                return DayStatus(day, "holiday", listed.name)
            return DayStatus(day, "workday", listed.name, makeup=True)
        if day.year not in self.years:
            return DayStatus(day, "unknown")
        return DayStatus(day, "weekend" if day.weekday() >= 5 else "workday")

    def holidays(self, year: int) -> tuple[ScheduledDay, ...]:
        """The listed days of a covered year; ``InvalidInput`` (``not_published``) otherwise."""
        if year not in self.years:
            covered = ", ".join(map(str, self.years)) or "none"
            raise InvalidInput.one(
                "year",
                f"the schedule for {year} is not yet published here (covered: {covered})",
                "not_published",
            )
        return self.years[year].days


@lru_cache(maxsize=1)
def builtin() -> Schedule:
    """The shipped dataset."""
    text = data_text("statutory.json")
    data = json.loads(text)
    return Schedule(parse(data, source="builtin"), str(data.get("version", "")))
