"""Reminders on birthdays, holidays, events and memos (issue 4 item 6; R6, R7, R9).

A reminder is ``{"days_before": N, "at": "HH:MM" | null}``: ``N`` days (0–366) before the
occurrence, at a time of day in the person's zone; ``at: null`` means the item's own time (a
timed event's start, a memo's due time) and 09:00 for day-long items. The shape and rules are
those of ``almanac.calendar.reminders.parse_reminders``, which turns the stored content into
what ``due()`` computes with; missing keys take the same defaults (``days_before`` 0, ``at``
09:00). A record holds at most ``MAX_REMINDERS``.

Birthdays: ``reminders`` is ``null`` by default, meaning *the default reminder* (the same day
at 09:00); ``[]`` turns it off. The other kinds default to ``[]`` (no reminder). The default
is left out of the dumped content (``exclude_if``).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from almanac.model.common import Content

MAX_REMINDERS = 10
MAX_DAYS_BEFORE = 366
TIME_OF_DAY_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"

_TIME_RE = re.compile(TIME_OF_DAY_PATTERN)


def _time_of_day(text: str) -> str:
    if not _TIME_RE.fullmatch(text):
        raise PydanticCustomError("invalid_type", "must be a time of day such as 09:00 (HH:MM)")
    return text


TimeOfDay = Annotated[
    str,
    AfterValidator(_time_of_day),
    Field(
        description="a time of day, HH:MM (24-hour), in the person's zone",
        json_schema_extra={"pattern": TIME_OF_DAY_PATTERN},
    ),
]


class Reminder(Content):
    """One reminder: ``days_before`` days before the occurrence, at ``at``."""

    days_before: int = Field(default=0, ge=0, le=MAX_DAYS_BEFORE, strict=True)
    at: TimeOfDay | None = Field(
        default="09:00",
        description="HH:MM; null: at the item's own time (09:00 for day-long items)",
    )


def is_empty(value: object) -> bool:
    """``exclude_if`` of the optional list fields (``reminders``, ``exdates``, ``moves``): an
    empty list is left out of the dumped content, so records that do not use the field store
    and sync exactly what they did before it existed."""
    return value is None or value == []


def is_none(value: object) -> bool:
    """``exclude_if`` of a birthday's ``reminders``: null (the default reminder) is left out;
    ``[]`` (reminders turned off) is kept."""
    return value is None


Reminders = Annotated[
    list[Reminder],
    Field(max_length=MAX_REMINDERS, description=f"at most {MAX_REMINDERS} reminders"),
]
