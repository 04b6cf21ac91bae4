"""The *holiday* kind (R6): a named solar or lunar date, yearly (春节, 国庆节, a wedding
anniversary) or one-off. A one-off holiday needs ``date.year``. ``reminders``: see
``almanac.model.reminders``."""

from __future__ import annotations

from pydantic import Field, model_validator

from almanac.model.common import Content, Name100, Notes, field_error
from almanac.model.dates import DateSpec
from almanac.model.reminders import Reminders, is_empty


class Holiday(Content):
    """A holiday or anniversary (节日)."""

    name: Name100
    date: DateSpec
    yearly: bool = True
    notes: Notes = ""
    reminders: Reminders = Field(default=[], exclude_if=is_empty)

    @model_validator(mode="after")
    def _one_off_needs_year(self) -> Holiday:
        if not self.yearly and self.date.year is None:
            raise field_error(
                "date.year",
                "year_required",
                "is required for a one-off holiday (yearly is false)",
            )
        return self
