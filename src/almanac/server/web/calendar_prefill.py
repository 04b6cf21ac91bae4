"""The calendar day view's "add … on this day" links (R7): ``?date=YYYY-MM-DD`` (and
``&calendar=lunar`` for a birthday on that lunar day) fills the new-record form of events,
birthdays and holidays. ``record_forms`` calls a ``FormSpec``'s ``prefill`` with the query;
a bad date is ``InvalidInput`` naming ``date``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from almanac.calendar.lunar import SOLAR_MAX, SOLAR_MIN, to_lunar
from almanac.errors import InvalidInput


def _day(query: Mapping[str, str]) -> date | None:
    raw = query.get("date", "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput.one("date", "date must look like 2026-02-17", "not_a_date") from None
    if not SOLAR_MIN <= day <= SOLAR_MAX:
        raise InvalidInput.one("date", "date must be within 1901–2099", "out_of_range")
    return day


def event_on(query: Mapping[str, str]) -> dict[str, Any]:
    """A new event starting on ``date``."""
    day = _day(query)
    return {} if day is None else {"start": day.isoformat()}


def date_on(query: Mapping[str, str]) -> dict[str, Any]:
    """A birthday or holiday on ``date``'s month and day — solar, or with
    ``calendar=lunar`` that day's lunar month and day (闰 kept)."""
    day = _day(query)
    if day is None:
        return {}
    if query.get("calendar") == "lunar":
        found = to_lunar(day)
        spec = {"calendar": "lunar", "month": found.month, "day": found.day, "leap": found.leap}
        return {"date": spec}
    return {"date": {"calendar": "solar", "month": day.month, "day": day.day}}
