r"""The calendar pages' agendas, kept between requests (R7; issue 5 "Numbers": the month page).

Building a person's ``Agenda`` reads and validates all their birthdays, holidays, events and
memos due — most of a month page's time. Every server write gives the person a new change
number (``RecordStore.last_change_no``), so an agenda built at change N is exact for as long
as N is still the person's latest: one indexed read decides. Kept per process, the
``SIZE`` most recently used, keyed by the person, their change number and the settings the
agenda depends on (time zone, festivals hidden and shown). The days of the ranges asked for
(a month grid, a day) are kept with it (``Day``\s are frozen), ``RANGES`` per agenda."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date
from typing import Any

from almanac.calendar import Agenda, Day
from almanac.model.preferences import Preferences
from almanac.server.api.calendar import person_agenda

SIZE = 64
RANGES = 24
Key = tuple[int, int, str, frozenset[str], frozenset[str]]


class KeptAgenda:
    """An agenda and the days it has already worked out (``days`` as ``Agenda.days``)."""

    def __init__(self, agenda: Agenda) -> None:
        self.agenda = agenda
        self._days: OrderedDict[tuple[date, date], list[Day]] = OrderedDict()
        self._lock = threading.Lock()

    def days(self, start: date, end: date) -> list[Day]:
        with self._lock:
            found = self._days.get((start, end))
            if found is not None:
                self._days.move_to_end((start, end))
                return found
        made = self.agenda.days(start, end)
        with self._lock:
            self._days[(start, end)] = made
            while len(self._days) > RANGES:
                self._days.popitem(last=False)
        return made


class AgendaCache:
    """``get(ctx, owner_id, prefs, change_no)``: the person's agenda (``KeptAgenda``), rebuilt only
    after a change."""

    def __init__(self, size: int = SIZE) -> None:
        self._size = size
        self._kept: OrderedDict[Key, KeptAgenda] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, ctx: Any, owner_id: int, prefs: Preferences, change_no: int) -> KeptAgenda:
        """``change_no``: the person's change number as the page read it (``person_state``)."""
        hidden, shown = prefs.festival_choice()
        key = (owner_id, change_no, prefs.time_zone, hidden, shown)
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
        agenda = KeptAgenda(person_agenda(ctx, owner_id, prefs.time_zone, hidden, shown))
        with self._lock:
            for old in [k for k in self._kept if k[0] == owner_id]:  # superseded versions
                del self._kept[old]
            self._kept[key] = agenda
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return agenda
