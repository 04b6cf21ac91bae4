"""The *memo* kind (R5): a titled note with a long body, optionally pinned and due.

``due`` is an ISO 8601 date-time. An offset, when given, is kept as given; a value without
one is a "floating" local time, shown as is on every device. ``reminders``: see
``almanac.model.reminders``.
"""

from __future__ import annotations

from pydantic import Field

from almanac.model.common import Body, Content, Title200, WallDateTime
from almanac.model.reminders import Reminders, is_empty


class Memo(Content):
    """A memo (备忘录)."""

    title: Title200
    body: Body = ""
    pinned: bool = False
    due: WallDateTime | None = None
    reminders: Reminders = Field(default=[], exclude_if=is_empty)
