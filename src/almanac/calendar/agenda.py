"""The agenda: everything between two days, the days of a calendar view, and "upcoming"
(R6, R7, R9).

``Agenda(...)`` takes one person's records (birthdays, holidays, events, memos: content models
or plain mappings of their fields, optionally with an ``"id"``, and for events ``"exdates"``
and ``"moves"``; contacts, of which only ``id``, ``name`` and ``birthday`` are read) and
settings (viewer's time zone, hidden/shown festival ids, the 2/29 rule, the statutory
schedule). It validates them once; then:

- ``between(a, b)``: one ordered list of ``Item``\\s on days ``a``…``b``: festivals, solar terms,
  birthdays (with the age turned; a contact's own birthday too, see ``contact_birthdays``),
  the person's holidays, event occurrences (recurrences expanded; a multi-day event once, on
  its first day in range). Order: by day; on a day, day-long entries first (festival, term,
  birthday, holiday, all-day event), then timed events by start.
- ``days(a, b)``: one ``Day`` per date: solar date, lunar date, solar term, festivals, statutory
  status (holiday / 调休 workday / weekend / workday / unknown = not yet published) and the
  person's items of that day (a multi-day event on each of its days).
- ``upcoming(today, n)``: ``Upcoming`` entries for days ``today``…``today + n`` (inclusive):
  birthdays (age turned, 周岁 and 虚岁), holidays, festivals, events, memos due, each with
  ``days_until``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from almanac.calendar import lunar, terms
from almanac.calendar.festivals import Festival, festivals_between
from almanac.calendar.lunar import LunarDate
from almanac.calendar.occurrence import Feb29, occurrences, origin, yearly_dates
from almanac.calendar.recurrence import Move, PreparedEvent
from almanac.calendar.reminders import BIRTHDAY_DEFAULT, Reminder, parse_reminders
from almanac.calendar.statutory import DayStatus, Schedule, builtin
from almanac.calendar.terms import SolarTerm
from almanac.collector import paused
from almanac.errors import InvalidInput
from almanac.model.birthday import Birthday
from almanac.model.contact import Contact
from almanac.model.dates import DateSpec
from almanac.model.event import DEFAULT_TIMEZONE, Event, zone
from almanac.model.holiday import Holiday
from almanac.model.memo import Memo
from almanac.model.validation import invalid_input

ItemKind = Literal["festival", "term", "birthday", "holiday", "event", "memo"]

AGENDA_KINDS = ("birthday", "holiday", "event", "memo", "contact")
"""The record kinds an agenda is built from (the server's and the local store's readers)."""
AGENDA_FILTERS: dict[str, dict[str, str]] = {
    "memo": {"has_due": "true"},
    "contact": {"has_birthday": "true"},
}
"""Only these records of a kind can give agenda items: a memo without a due time never shows
(``Agenda._memo_items``), nor a contact without a birthday, so a reader need not read them (a
person with 2,000 memos, 10,000 contacts)."""
_RANK: dict[str, int] = {
    "festival": 0,
    "term": 1,
    "birthday": 2,
    "holiday": 3,
    "event": 4,
    "memo": 5,
}


@dataclass(slots=True)
class Item:
    """One agenda entry on one day.

    ``id`` is the record id (or the festival id / solar-term key); ``age`` is the 周岁 a
    birthday turns that day (or a dated holiday's anniversary number), ``nominal_age`` the
    虚岁 on that day; ``start``/``end`` are set for events (aware datetimes, or dates for
    all-day events); ``moment`` for a memo due or a solar term. ``source`` is ``"contact"``
    for a birthday typed on a contact (``id`` is then the contact's id; it has no reminders),
    None when the item comes from a record of its own ``kind`` (or is a festival or term)."""

    day: date
    kind: ItemKind
    title: str
    id: str | None = None
    all_day: bool = True
    start: date | datetime | None = None
    end: date | datetime | None = None
    age: int | None = None
    nominal_age: int | None = None
    lunar_date: bool = False
    moment: datetime | None = None
    key: tuple[Any, ...] = field(default=(), repr=False, compare=False)
    reminders: tuple[Reminder, ...] = field(default=(), repr=False, compare=False)
    source: Literal["contact"] | None = None

    def sort_key(self) -> tuple[Any, ...]:
        """Day; then day-long entries (by kind: festival, term, birthday, holiday, all-day
        event) before timed ones (by start instant, memos by due time); then title."""
        if not self.key:
            instant = self.start if self.kind == "event" else self.moment
            self.key = _key(self.day, self.kind, self.title, self.all_day, instant)
        return self.key


def _key(
    day: date, kind: str, title: str, all_day: bool, instant: date | datetime | None
) -> tuple[Any, ...]:
    if all_day or not isinstance(instant, datetime):
        return (day, 0, _RANK[kind], title)
    return (day, 1, instant, _RANK[kind], title)


MAX_RANGE_DAYS = 3660  # ten years: the longest range one call expands
_SORT = attrgetter("key")  # every Item made here has its key set


@dataclass(frozen=True, slots=True)
class Day:
    """One day of a calendar view."""

    date: date
    lunar: LunarDate | None
    terms: tuple[SolarTerm, ...]
    festivals: tuple[Festival, ...]
    status: DayStatus
    items: tuple[Item, ...]


@dataclass(slots=True)
class Upcoming:
    """An upcoming entry: the ``Item`` and how many days until it (0 = today)."""

    item: Item
    days_until: int


@dataclass(frozen=True, slots=True)
class _EventRec:
    id: str | None
    prepared: PreparedEvent
    reminders: tuple[Reminder, ...] = ()


_NOT_CONTENT = frozenset(
    {"id", "kind", "version", "created", "updated", "deleted", "owner", "reminders"}
)
_M = TypeVar("_M", bound=BaseModel)


def _load(model: type[_M], record: _M | Mapping[str, Any], path: str) -> tuple[str | None, _M]:
    """``(id, content)`` from a model or a mapping (envelope keys set aside); a bad mapping
    raises ``InvalidInput`` with fields under ``path``."""
    if isinstance(record, model):
        return None, record
    if not isinstance(record, Mapping):
        raise InvalidInput.one(path, f"{path} must be an object", "invalid_type")
    rid = record.get("id")
    content = {k: v for k, v in record.items() if k not in _NOT_CONTENT}
    try:
        return (None if rid is None else str(rid)), model.model_validate(content)
    except ValidationError as exc:
        raise invalid_input(exc, prefix=path) from None


@dataclass
class Agenda:
    """One person's calendar (see the module docstring)."""

    birthdays: Iterable[Birthday | Mapping[str, Any]] = ()
    holidays: Iterable[Holiday | Mapping[str, Any]] = ()
    events: Iterable[Event | Mapping[str, Any]] = ()
    memos: Iterable[Memo | Mapping[str, Any]] = ()
    timezone: str = DEFAULT_TIMEZONE
    hide: Collection[str] = frozenset()
    show: Collection[str] = frozenset()
    feb29: Feb29 = "feb28"
    schedule: Schedule | None = None
    contacts: Iterable[Contact | Mapping[str, Any]] = ()
    _birthdays: list[tuple[str | None, Birthday, tuple[Reminder, ...]]] = field(
        init=False, repr=False
    )
    _holidays: list[tuple[str | None, Holiday, tuple[Reminder, ...]]] = field(
        init=False, repr=False
    )
    _events: list[_EventRec] = field(init=False, repr=False)
    _memos: list[tuple[str | None, Memo, tuple[Reminder, ...]]] = field(init=False, repr=False)
    _born: list[date | None] = field(init=False, repr=False)
    _first_contact: int = field(init=False, repr=False, default=0)
    _born_lunar_years: dict[int, int | None] = field(init=False, repr=False)
    max_days_before: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        zone(self.timezone)  # KeyError for an unknown zone, before any work
        self._birthdays = [
            (*_load(Birthday, r, f"birthdays.{i}"),
             _reminders_of(r, f"birthdays.{i}.reminders", BIRTHDAY_DEFAULT))
            for i, r in enumerate(self.birthdays)
        ]  # fmt: skip
        self._first_contact = len(self._birthdays)  # those after it come from contacts
        self._birthdays += contact_birthdays(self.contacts, self._birthdays)
        self._born = [origin(b.date) for _, b, _ in self._birthdays]
        self._born_lunar_years = {}
        self._holidays = [
            (*_load(Holiday, r, f"holidays.{i}"), _reminders_of(r, f"holidays.{i}.reminders"))
            for i, r in enumerate(self.holidays)
        ]
        self._events = []
        for i, r in enumerate(self.events):
            rid, ev = _load(Event, r, f"events.{i}")
            # the model parsed them (ISO strings included) and checked them against start
            exdates: tuple[date | datetime, ...] = tuple(ev.exdates)
            moves = tuple(Move(m.original, m.start, m.end) for m in ev.moves)
            self._events.append(
                _EventRec(rid, PreparedEvent(ev, exdates, moves),
                          _reminders_of(r, f"events.{i}.reminders"))
            )  # fmt: skip
        self._memos = [
            (*_load(Memo, r, f"memos.{i}"), _reminders_of(r, f"memos.{i}.reminders"))
            for i, r in enumerate(self.memos)
        ]
        self.max_days_before = max(
            (
                rem.days_before
                for group in (self._birthdays, self._holidays, self._memos)
                for *_, rems in group
                for rem in rems
            ),
            default=0,
        )
        self.max_days_before = max(
            [self.max_days_before, *(r.days_before for e in self._events for r in e.reminders)]
        )
        self._schedule = self.schedule or builtin()

    # -- the pieces ------------------------------------------------------------------------

    def _dated_items(self, start: date, end: date) -> list[Item]:
        """Birthdays and the person's holidays on days ``start``…``end``."""
        found: list[Item] = []
        feb29 = self.feb29
        born_years = self._born_lunar_years
        first_contact = self._first_contact
        for index, (rid, b, b_rem) in enumerate(self._birthdays):
            source: Literal["contact"] | None = "contact" if index >= first_contact else None
            spec = b.date
            is_lunar = spec.calendar == "lunar"
            born = self._born[index]
            for when, cycle, years in yearly_dates(
                is_lunar, spec.month, spec.day, spec.leap, spec.year, born, start, end, feb29
            ):
                nominal = None
                if years is not None:
                    if index not in born_years:  # computed once, when first needed
                        born_years[index] = _lunar_year_of(born)
                    born_lunar_year = born_years[index]
                    # 虚岁: 1 at birth, +1 at each 春节 (a lunar birthday's cycle is its lunar year)
                    when_year = cycle if is_lunar else _lunar_year_of(when)
                    if when_year is not None and born_lunar_year is not None:
                        nominal = when_year - born_lunar_year + 1
                found.append(
                    Item(when, "birthday", b.name, rid, age=years, nominal_age=nominal,
                         lunar_date=is_lunar, key=(when, 0, 2, b.name), reminders=b_rem,
                         source=source)
                )  # fmt: skip
        for rid, h, h_rem in self._holidays:
            for occ in occurrences(h.date, start, end, yearly=h.yearly, feb29=self.feb29):
                found.append(
                    Item(occ.date, "holiday", h.name, rid, age=occ.years,
                         lunar_date=h.date.calendar == "lunar", key=(occ.date, 0, 3, h.name),
                         reminders=h_rem)
                )  # fmt: skip
        return found

    def _event_items(self, start: date, end: date, every_day: bool) -> list[Item]:
        """Event occurrences overlapping ``start``…``end``: one item on the first day in range,
        or (``every_day``) one on each day in range the occurrence covers."""
        viewer = self._tz
        found: list[Item] = []
        append = found.append
        one = timedelta(days=1)
        for rec in self._events:
            pe = rec.prepared
            title, rid, all_day, rems = pe.event.title, rec.id, pe.all_day, rec.reminders
            if not all_day and not pe.moves and pe.ez is viewer:
                # the common case, kept lean: timed, in the viewer's zone, nothing moved
                duration = pe.duration
                for st in pe.walls(start, end, viewer):
                    en = st + duration
                    day = st.date()
                    if day < start:
                        day = start
                    append(Item(day, "event", title, rid, False, st, en, None, None, False, None,
                                (day, 1, st, 4, title), rems))  # fmt: skip
                    if every_day:
                        last = en.date()
                        if last > day:
                            if not (en.hour or en.minute or en.second or en.microsecond):
                                last -= one  # ends at midnight: the day before is its last
                            self._more_days(found, day, last, end, title, rid, False, st, en)
                continue
            for s, e, _rid, _moved in pe.raw(start, end, viewer):
                if all_day:
                    first, last = s, e
                else:
                    first, last = _days_of(s, e, viewer)
                day = first if first >= start else start
                key = (day, 0, 4, title) if all_day else (day, 1, s, 4, title)
                append(Item(day, "event", title, rid, all_day, s, e, key=key, reminders=rems))
                if every_day and last > day:
                    self._more_days(found, day, last, end, title, rid, all_day, s, e)
        return found

    @staticmethod
    def _more_days(
        found: list[Item],
        day: date,
        last: date,
        end: date,
        title: str,
        rid: str | None,
        all_day: bool,
        s: date | datetime,
        e: date | datetime,
    ) -> None:
        """Repeat an occurrence's item on each further day it covers, up to ``end``."""
        stop = last if last <= end else end
        day += timedelta(days=1)
        while day <= stop:
            key = (day, 0, 4, title) if all_day else (day, 1, s, 4, title)
            found.append(Item(day, "event", title, rid, all_day, s, e, key=key))
            day += timedelta(days=1)

    @property
    def _tz(self) -> Any:
        return zone(self.timezone)

    @property
    def zone(self) -> Any:
        """The person's time zone (``ZoneInfo``)."""
        return zone(self.timezone)

    def reminder_candidates(self, start: date, end: date) -> list[Item]:
        """Birthdays, holidays, event occurrences and memos due on days ``start``…``end``
        that carry reminders (for ``almanac.calendar.reminders.due``)."""
        items = (
            self._dated_items(start, end)
            + self._event_items(start, end, every_day=False)
            + self._memo_items(start, end)
        )
        return [i for i in items if i.reminders]

    def _memo_items(self, start: date, end: date) -> list[Item]:
        found: list[Item] = []
        tz = self._tz
        for rid, m, m_rem in self._memos:
            if m.due is None:
                continue
            # a due time without offset is floating: wall time wherever the person is
            due = m.due.astimezone(tz) if m.due.tzinfo else m.due.replace(tzinfo=tz)
            if start <= due.date() <= end:
                day = due.date()
                key = (day, 1, due, 5, m.title)
                found.append(
                    Item(day, "memo", m.title, rid, all_day=False, moment=due, key=key,
                         reminders=m_rem)
                )  # fmt: skip
        return found

    def _calendar_items(self, start: date, end: date) -> list[Item]:
        found = [
            Item(fd.date, "festival", fd.festival.name, fd.festival.id, key=(fd.date, 0, 0, i))
            for i, fd in enumerate(festivals_between(start, end, hide=self.hide, show=self.show))
        ]
        found.extend(
            Item(t.date, "term", t.name, t.key, moment=t.moment, key=(t.date, 0, 1, t.name))
            for t in terms.terms_between(start, end)
        )
        return found

    # -- the views ---------------------------------------------------------------------------

    def between(self, start: date, end: date) -> list[Item]:
        """Everything on days ``start``…``end``, in one ordered list."""
        if end < start:
            return []
        check_range(start, end)
        with paused():
            return self._between(start, end)

    def _between(self, start: date, end: date) -> list[Item]:
        items = (
            self._calendar_items(start, end)
            + self._dated_items(start, end)
            + self._event_items(start, end, every_day=False)
            + self._memo_items(start, end)
        )
        items.sort(key=_SORT)
        return items

    def days(self, start: date, end: date) -> list[Day]:
        """One ``Day`` per date ``start``…``end``."""
        if end < start:
            return []
        check_range(start, end)
        with paused():
            return self._days(start, end)

    def _days(self, start: date, end: date) -> list[Day]:
        per_day: dict[date, list[Item]] = defaultdict(list)
        for it in (
            self._dated_items(start, end)
            + self._event_items(start, end, every_day=True)
            + self._memo_items(start, end)
        ):
            per_day[it.day].append(it)
        fest: dict[date, list[Festival]] = defaultdict(list)
        for fd in festivals_between(start, end, hide=self.hide, show=self.show):
            fest[fd.date].append(fd.festival)
        term_by_day: dict[date, list[SolarTerm]] = defaultdict(list)
        for t in terms.terms_between(start, end):
            term_by_day[t.date].append(t)
        out: list[Day] = []
        d = start
        one = timedelta(days=1)
        while d <= end:
            lunar_day = lunar.to_lunar(d) if lunar.SOLAR_MIN <= d <= lunar.SOLAR_MAX else None
            items = per_day.get(d, [])
            items.sort(key=_SORT)
            out.append(
                Day(
                    d,
                    lunar_day,
                    tuple(term_by_day.get(d, ())),
                    tuple(fest.get(d, ())),
                    self._schedule.status(d),
                    tuple(items),
                )
            )
            d += one
        return out

    def upcoming(self, today: date, days: int = 30) -> list[Upcoming]:
        """Birthdays, holidays, festivals, events and memos due on days ``today`` …
        ``today + days``, each with ``days_until``."""
        if not 0 <= days <= MAX_RANGE_DAYS:
            raise InvalidInput.one(
                "days", f"days must be 0–{MAX_RANGE_DAYS}, not {days}", "out_of_range"
            )
        end = today + timedelta(days=days)
        check_range(today, end)
        with paused():
            return self._upcoming(today, end)

    def _upcoming(self, today: date, end: date) -> list[Upcoming]:
        items = [it for it in self._calendar_items(today, end) if it.kind == "festival"]
        items += (
            self._dated_items(today, end)
            + self._event_items(today, end, every_day=False)
            + self._memo_items(today, end)
        )
        items.sort(key=_SORT)
        return [Upcoming(it, (it.day - today).days) for it in items]


def check_range(start: date, end: date) -> None:
    """Refuse a range longer than ``MAX_RANGE_DAYS`` or touching the ends of Python's dates
    (field ``to``, code ``range_too_long`` / ``out_of_range``): the faces pass user input."""
    if (end - start).days > MAX_RANGE_DAYS:
        raise InvalidInput.one(
            "to", f"a range may span at most {MAX_RANGE_DAYS} days", "range_too_long"
        )
    if start.year < 2 or end.year > 9998:
        raise InvalidInput.one("to", "dates must be within the years 2–9998", "out_of_range")


def _days_of(s: date | datetime, e: date | datetime, viewer: Any) -> tuple[date, date]:
    """The first and last day (in ``viewer``) an occurrence covers; a timed occurrence ending
    at midnight ends the day before (unless it is an instant)."""
    if not isinstance(s, datetime) or not isinstance(e, datetime):
        return _plain(s), _plain(e)
    s, e = s.astimezone(viewer), e.astimezone(viewer)
    first, last = s.date(), e.date()
    if last > first and e.hour == 0 and e.minute == 0 and e.second == 0 and e.microsecond == 0:
        last -= timedelta(days=1)
    return first, last


def _plain(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _lunar_year_of(day: date | None) -> int | None:
    if day is None or not lunar.SOLAR_MIN <= day <= lunar.SOLAR_MAX:
        return None
    return lunar.to_lunar(day).year


def contact_birthdays(
    contacts: Iterable[Contact | Mapping[str, Any]],
    birthdays: Iterable[tuple[str | None, Birthday, tuple[Reminder, ...]]] = (),
) -> list[tuple[str | None, Birthday, tuple[Reminder, ...]]]:
    """The birthdays typed on contacts, as birthday entries without reminders: each contact
    with a ``birthday`` gives one titled with its name, unless one of ``birthdays`` links it
    (``contact_id``): that record is the explicit one and wins, also when its date differs, so
    a person is never shown twice. Only ``id``, ``name`` and ``birthday`` of a mapping are
    read and checked (``InvalidInput`` names ``contacts.N.birthday.day``)."""
    linked = {str(b.contact_id) for _, b, _ in birthdays if b.contact_id is not None}
    found: list[tuple[str | None, Birthday, tuple[Reminder, ...]]] = []
    for i, record in enumerate(contacts):
        path = f"contacts.{i}"
        name: Any
        if isinstance(record, Contact):
            rid, name, spec = None, record.name, record.birthday
        elif isinstance(record, Mapping):
            rid = None if record.get("id") is None else str(record["id"])
            if rid in linked or record.get("birthday") is None:
                continue
            name = record.get("name")
            spec = _load(DateSpec, record["birthday"], f"{path}.birthday")[1]
        else:
            raise InvalidInput.one(path, f"{path} must be an object", "invalid_type")
        if spec is None:  # a mapping linked or without a birthday was skipped above
            continue
        birthday = _load(Birthday, {"name": name, "date": spec}, path)[1]
        found.append((rid, birthday, ()))
    return found


def _reminders_of(
    record: Any, path: str, default: tuple[Reminder, ...] = ()
) -> tuple[Reminder, ...]:
    """A record's ``"reminders"``; ``default`` when it has none (an empty list turns the
    default off)."""
    if isinstance(record, Mapping) and record.get("reminders") is not None:
        return parse_reminders(record["reminders"], path)
    return default
