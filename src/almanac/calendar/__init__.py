"""``almanac.calendar``: the pure calendar knowledge (issue 4; R6, R7, R9).

Part of the core: imports only the standard library, lunar-python, python-dateutil, pydantic,
``almanac.errors`` and ``almanac.model``; no I/O but its packaged data and an operator's
schedule file. The rules are in docs/calendar.md.

- ``lunar``: solar ↔ lunar (1901–2099), Chinese display, 干支 and zodiac
- ``occurrence``: yearly solar/lunar dates (闰月, day 30, 2/29 rules), 周岁 and 虚岁
- ``terms``: the 24 solar terms; ``festivals``: traditional and public festivals
- ``statutory``: official days off and 调休 workdays, covered years, operator files
- ``recurrence``: events with RRULE, exceptions, time zones
- ``agenda``: between A and B, days of a view, upcoming; ``reminders``: due reminders
"""

from almanac.calendar.agenda import Agenda, Day, Item, Upcoming
from almanac.calendar.festivals import FESTIVALS, Festival, festivals_between, festivals_on
from almanac.calendar.lunar import LunarDate, to_lunar, to_solar
from almanac.calendar.occurrence import Occurrence, age, next_occurrence, nominal_age, occurrences
from almanac.calendar.recurrence import EventOccurrence, Move, expand
from almanac.calendar.reminders import DueReminder, Reminder, due
from almanac.calendar.statutory import DayStatus, Schedule, builtin, load_file
from almanac.calendar.terms import SolarTerm, solar_terms, term_on

__all__ = [
    "FESTIVALS",
    "Agenda",
    "Day",
    "DayStatus",
    "DueReminder",
    "EventOccurrence",
    "Festival",
    "Item",
    "LunarDate",
    "Move",
    "Occurrence",
    "Reminder",
    "Schedule",
    "SolarTerm",
    "Upcoming",
    "age",
    "builtin",
    "due",
    "expand",
    "festivals_between",
    "festivals_on",
    "load_file",
    "next_occurrence",
    "nominal_age",
    "occurrences",
    "solar_terms",
    "term_on",
    "to_lunar",
    "to_solar",
]
