"""The person's agenda from this device's local store, offline (issue 4 §6; R6, R7, R9):
their birthdays, holidays, events, memos with a due time and contacts with a birthday, read
page by page, in their time zone and with their festival choices (R3) — as the server's
calendar routes build it.
``Client.agenda`` calls ``build``; ``almanac upcoming`` and the desktop app's reminders and
upcoming view use it."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from almanac.calendar.agenda import AGENDA_FILTERS, AGENDA_KINDS, Agenda
from almanac.model.preferences import Preferences
from almanac.store.local import LocalStore

__all__ = ["AGENDA_FILTERS", "AGENDA_KINDS", "build", "records"]

PAGE = 500


def records(store: LocalStore, kind: str) -> list[dict[str, Any]]:
    """Every live record of ``kind`` the agenda can use, as its content plus ``id``."""
    found: list[dict[str, Any]] = []
    after: str | None = None
    filters = AGENDA_FILTERS.get(kind)
    while True:
        page = store.list(kind, None, filters, PAGE, after)
        found += [{**item.content, "id": str(item.id)} for item in page.items]
        if page.next_after is None:
            return found
        after = page.next_after


def build(
    store: LocalStore,
    prefs: Preferences,
    *,
    tz: str | None = None,
    hide: Collection[str] = (),
) -> Agenda:
    """The person's ``Agenda``: in ``tz`` (default: their zone), leaving out the festivals
    they hid and those in ``hide``, showing the hidden-by-default ones they chose."""
    found = {kind: records(store, kind) for kind in AGENDA_KINDS}
    festivals = prefs.festival_choice(also_hide=hide)
    return Agenda(
        birthdays=found["birthday"],
        holidays=found["holiday"],
        events=found["event"],
        memos=found["memo"],
        contacts=found["contact"],
        timezone=tz or prefs.time_zone,
        hide=festivals.hide,
        show=festivals.show,
    )
