"""The *event* kind (R7, R9 plans and agenda): a calendar entry, all-day or timed, optionally
recurring.

- All-day: ``start`` and ``end`` are dates (``YYYY-MM-DD``), ``end`` inclusive.
- Timed: ``start`` and ``end`` are ISO 8601 date-times; a value without an offset is wall time
  in ``timezone``; a value with an offset keeps it.
- ``end`` defaults to ``start``; an ``end`` before ``start`` is refused (field ``end``).
- ``timezone`` is an IANA zone name known to ``zoneinfo`` (default ``Asia/Shanghai``).
- ``rrule`` is an RFC 5545 RRULE value (``FREQ=WEEKLY;BYDAY=MO``); a leading ``RRULE:`` is
  dropped and the value upper-cased. It is checked with ``dateutil.rrule.rrulestr`` against
  the start (an ``UNTIL`` must be UTC when the start has an offset); a bad one is refused on
  field ``rrule``.
- ``exdates`` cancels occurrences of a recurring event: a date-time cancels the occurrence
  starting then (its recurrence id), a date every occurrence starting that day (in
  ``timezone``). An all-day event's exdates are dates.
- ``moves`` re-times one occurrence each: ``original`` is its recurrence id (original start),
  ``start`` and ``end`` (optional: the event's duration) its new times, dates for an all-day
  event and date-times otherwise; ``end`` may not be before ``start``.
- ``reminders``: see ``almanac.model.reminders``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import lru_cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr
from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from almanac.model.common import (
    Content,
    Line500,
    Notes,
    Title200,
    WallDateTime,
    field_error,
    is_trusted,
)
from almanac.model.reminders import Reminders, is_empty

DEFAULT_TIMEZONE = "Asia/Shanghai"
MAX_EXDATES = 1000
MAX_MOVES = 500
_ZONE_RE = re.compile(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*")
_RRULE_RE = re.compile(r"[A-Za-z0-9=;,+\-]+")


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The ``ZoneInfo`` for a valid IANA name (KeyError when there is none)."""
    if len(name) > 64 or not _ZONE_RE.fullmatch(name):
        raise KeyError(name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise KeyError(name) from None


def _parse_when(value: object) -> date | datetime:
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) <= 10:
                return date.fromisoformat(text)
            return datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError:
            pass
    raise PydanticCustomError(
        "not_a_date_or_time",
        "must be an ISO 8601 date (2026-05-01) or date-time (2026-05-01T09:30:00+08:00)",
    )


def as_aware(value: date | datetime, timezone: str) -> datetime:
    """The moment an event bound stands for: a date is its midnight, naive is in ``timezone``."""
    moment = value if isinstance(value, datetime) else datetime.combine(value, time())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(timezone))
    return moment


When = date | WallDateTime
# One exdate: an ISO date or date-time, parsed like ``start`` (errors name ``exdates.N``).
ExDate = Annotated[When, BeforeValidator(lambda v: _parse_when(v) if isinstance(v, str) else v)]


class EventMove(Content):
    """One occurrence moved: ``original`` (its recurrence id) now runs ``start`` … ``end``."""

    original: When = Field(description="the occurrence's original start (recurrence id)")
    start: When
    end: When | None = Field(default=None, description="default: the event's duration")

    @field_validator("original", "start", "end", mode="before")
    @classmethod
    def _iso(cls, value: Any) -> Any:
        return None if value is None else _parse_when(value)


class Event(Content):
    """A calendar event (日程)."""

    title: Title200
    all_day: bool = False
    start: date | WallDateTime
    end: date | WallDateTime | None = Field(default=None, description="defaults to start")
    timezone: str = DEFAULT_TIMEZONE
    location: Line500 = ""
    notes: Notes = ""
    rrule: str | None = Field(default=None, max_length=500)
    exdates: list[ExDate] = Field(
        default=[], exclude_if=is_empty, max_length=MAX_EXDATES, description="cancelled occurrences"
    )
    moves: list[EventMove] = Field(
        default=[], exclude_if=is_empty, max_length=MAX_MOVES, description="moved occurrences"
    )
    reminders: Reminders = Field(default=[], exclude_if=is_empty)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _iso(cls, value: Any) -> Any:
        return None if value is None else _parse_when(value)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            zone(value)
        except KeyError:
            raise PydanticCustomError(
                "unknown_timezone", "is not an IANA time zone name such as Asia/Shanghai"
            ) from None
        return value

    @field_validator("rrule")
    @classmethod
    def _rrule_shape(cls, value: str | None) -> str | None:
        if value is None:
            return None
        text = value.strip()
        if text[:6].upper() == "RRULE:":
            text = text[6:].strip()
        if not text:
            return None
        if not _RRULE_RE.fullmatch(text):
            raise PydanticCustomError(
                "bad_rrule", "is not an RFC 5545 RRULE value such as FREQ=WEEKLY;BYDAY=MO"
            )
        return text.upper()

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Event:
        self._check_kinds()
        self._check_exceptions()
        if self.end is None:
            self.end = self.start
        if _before(self.end, self.start, self.timezone):
            raise field_error("end", "end_before_start", "is before start")
        if self.rrule is not None and not is_trusted(info):
            _check_rrule(self.rrule, self.start, self.timezone)
        return self

    def _check_exceptions(self) -> None:
        if self.all_day:
            for i, x in enumerate(self.exdates):
                if isinstance(x, datetime):
                    raise field_error(
                        f"exdates.{i}",
                        "needs_date",
                        "must be a date (YYYY-MM-DD) for an all-day event",
                    )
        for i, mv in enumerate(self.moves):
            for name in ("original", "start", "end"):
                value = getattr(mv, name)
                if value is None or (name == "original" and not self.all_day):
                    continue
                if self.all_day and isinstance(value, datetime):
                    raise field_error(
                        f"moves.{i}.{name}", "needs_date",
                        "must be a date (YYYY-MM-DD) for an all-day event",
                    )  # fmt: skip
                if not self.all_day and not isinstance(value, datetime):
                    raise field_error(
                        f"moves.{i}.{name}", "needs_datetime",
                        "must be a date-time (YYYY-MM-DDTHH:MM) for an event that is not all-day",
                    )  # fmt: skip
            if mv.end is not None and _before(mv.end, mv.start, self.timezone):
                raise field_error(f"moves.{i}.end", "end_before_start", "is before start")

    def _check_kinds(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is None:
                continue
            if self.all_day and isinstance(value, datetime):
                raise field_error(
                    name, "needs_date", "must be a date (YYYY-MM-DD) for an all-day event"
                )
            if not self.all_day and not isinstance(value, datetime):
                raise field_error(
                    name,
                    "needs_datetime",
                    "must be a date-time (YYYY-MM-DDTHH:MM) for an event that is not all-day",
                )


def _before(end: date | datetime, start: date | datetime, timezone: str) -> bool:
    try:
        return as_aware(end, timezone) < as_aware(start, timezone)
    except OverflowError:  # at the very ends of the datetime range: compare wall times
        return as_aware(end, timezone).replace(tzinfo=None) < as_aware(start, timezone).replace(
            tzinfo=None
        )


def _check_rrule(rule: str, start: date | datetime, timezone: str) -> None:
    dtstart = start if isinstance(start, datetime) else datetime.combine(start, time())
    try:
        rrulestr(rule, dtstart=dtstart)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise field_error(
            "rrule", "bad_rrule", "is not a valid RRULE: {reason}", reason=str(exc) or "malformed"
        ) from None
