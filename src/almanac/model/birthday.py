"""The *birthday* kind (R6): a person's name, an optional link to a contact and a solar or
lunar date whose year (the birth year) is optional. Whether the linked contact exists is the
server's check (see ``references``)."""

from __future__ import annotations

from uuid import UUID

from almanac.model.common import Content, Name100, Notes
from almanac.model.dates import DateSpec


class Birthday(Content):
    """A birthday (生日)."""

    name: Name100
    contact_id: UUID | None = None
    date: DateSpec
    notes: Notes = ""
