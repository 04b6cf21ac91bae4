"""The *birthday* kind (R6): a person's name, an optional link to a contact and a solar or
lunar date whose year (the birth year) is optional, and its reminders (``reminders``: null
means the default reminder, the same day at 09:00). Whether the linked contact exists is the
server's check (see ``references``)."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from almanac.model.common import Content, Name100, Notes
from almanac.model.dates import DateSpec
from almanac.model.reminders import Reminders, is_none


class Birthday(Content):
    """A birthday (生日)."""

    name: Name100
    contact_id: UUID | None = None
    date: DateSpec
    notes: Notes = ""
    reminders: Reminders | None = Field(
        default=None,
        exclude_if=is_none,
        description="null: the default, the same day at 09:00; [] turns it off",
    )
