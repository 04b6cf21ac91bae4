"""The calendar routes (issue 4 item 7; R6, R7, R9): the days of a calendar view, what is
coming up, and the reminders that are due — built from the calling person's birthdays,
holidays, events and memos by ``almanac.calendar.Agenda``.

- ``GET /calendar/days?from=&to=``: one entry per day (solar date, lunar date and its Chinese
  text, solar term, festivals, statutory status, the person's items);
- ``GET /upcoming?days=N``: the next N days (birthdays with the age they turn, holidays,
  festivals, events, memos due), each with ``days_until``;
- ``GET /reminders/due?since=``: the reminders due in ``(since, now]``.

Every route follows the person's settings (R3; ``GET/PATCH /settings``): their time zone and
the festivals they hide or show. ``tz`` (an IANA time zone) and ``hide`` (festival ids to leave
out, comma separated; empty: none) override them for one request. Only the caller's records
are read.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from almanac.calendar import Agenda
from almanac.calendar.agenda import AGENDA_FILTERS, AGENDA_KINDS, Day, Item
from almanac.calendar.festivals import check_ids
from almanac.calendar.lunar import SOLAR_MAX, SOLAR_MIN, LunarDate
from almanac.calendar.reminders import DEFAULT_LOOKBACK, DueReminder, due
from almanac.errors import InvalidInput
from almanac.model.event import zone
from almanac.model.preferences import Preferences
from almanac.server.api.deps import Ctx, CurrentUser
from almanac.server.api.schemas import error_responses
from almanac.server.context import AppContext

router = APIRouter(tags=["calendar"])

PAGE = 500  # records read per page (the store's maximum)
MAX_VIEW_DAYS = 366  # days one /calendar/days call returns
MAX_UPCOMING_DAYS = 366
MAX_LOOKBACK = timedelta(days=366)  # how far back ``since`` may reach

# -- response bodies -------------------------------------------------------------------------


class LunarOut(BaseModel):
    """A lunar date: ``year`` is the lunar year (it starts at 春节)."""

    year: int
    month: int
    day: int
    leap: bool = Field(description="a leap month (闰月)")
    text: str = Field(description="as calendars print it", examples=["正月初一"])
    full_text: str = Field(examples=["丙午年正月初一"])
    ganzhi: str = Field(description="the lunar year's 干支", examples=["丙午"])
    zodiac: str = Field(examples=["马"])


class TermOut(BaseModel):
    """A solar term (节气) on this day."""

    key: str = Field(examples=["qingming"])
    name: str = Field(examples=["清明"])
    moment: datetime = Field(description="its exact moment, Beijing time")


class FestivalOut(BaseModel):
    id: str = Field(description="stable id, usable in `hide`", examples=["chunjie"])
    name: str = Field(examples=["春节"])


class StatusOut(BaseModel):
    """The statutory status of a day (official schedule, 调休)."""

    kind: Literal["holiday", "workday", "weekend", "unknown"] = Field(
        description="`holiday`: a day off of a holiday period; `workday` (with `makeup`: a "
        "调休 make-up workday); `weekend`; `unknown`: the year's schedule is not yet published"
    )
    name: str | None = Field(description="the holiday the day belongs to")
    makeup: bool = Field(description="a 调休 make-up workday")
    off: bool | None = Field(description="a day off; null when not yet published")
    published: bool


class ItemOut(BaseModel):
    """One of the person's items (or a festival) on a day."""

    day: date
    kind: Literal["festival", "term", "birthday", "holiday", "event", "memo"]
    title: str
    id: str | None = Field(description="the record's id (a festival's id)")
    all_day: bool
    start: datetime | date | None = Field(description="events: a date when all-day")
    end: datetime | date | None = Field(description="events: inclusive date when all-day")
    age: int | None = Field(description="birthdays: the age (周岁) turned; holidays: years")
    nominal_age: int | None = Field(description="birthdays: 虚岁 on that day")
    lunar_date: bool = Field(description="the record's date is a lunar date")
    moment: datetime | None = Field(description="memos: the due time")
    source: Literal["contact"] | None = Field(
        default=None,
        description='"contact": a birthday typed on a contact, `id` is the contact\'s id',
    )


class DayOut(BaseModel):
    date: date
    weekday: int = Field(ge=1, le=7, description="ISO weekday: 1 = Monday … 7 = Sunday")
    lunar: LunarOut | None = Field(description="null outside 1901–2099")
    terms: list[TermOut]
    festivals: list[FestivalOut]
    status: StatusOut
    items: list[ItemOut]


class DaysOut(BaseModel):
    """The days ``from`` … ``to`` (inclusive)."""

    timezone: str
    days: list[DayOut]


class UpcomingOut(ItemOut):
    days_until: int = Field(ge=0, description="0 = today")


class UpcomingList(BaseModel):
    today: date
    timezone: str
    items: list[UpcomingOut]


class DueOut(BaseModel):
    """A reminder to show. Keep its ``key`` once shown: it fires once per occurrence."""

    key: str = Field(examples=["birthday:…:2026-02-16:0"])
    item: ItemOut
    days_before: int
    at: str | None = Field(description="HH:MM; null: at the item's own time")
    occurrence: datetime | date = Field(description="the occurrence's day or start")
    fire_at: datetime
    missed: bool = Field(description="came due a while ago (e.g. while the app was closed)")


class DueList(BaseModel):
    now: datetime
    since: datetime
    timezone: str
    reminders: list[DueOut]


# -- query parameters ------------------------------------------------------------------------

Tz = Annotated[
    str | None,
    Query(
        max_length=64,
        description="an IANA time zone for this request; default: the person's setting "
        "(`time_zone`, Asia/Shanghai until changed)",
        examples=["Asia/Shanghai"],
    ),
]
Hide = Annotated[
    str | None,
    Query(
        max_length=1000,
        description="festival ids to leave out, comma separated: `qixi,yuandan` (empty: none); "
        "default: the person's setting (`festivals_hidden`)",
    ),
]


def _zone_name(tz: str) -> str:
    try:
        zone(tz)
    except KeyError:
        raise InvalidInput.one(
            "tz", "tz must be an IANA time zone name such as Asia/Shanghai", "unknown_timezone"
        ) from None
    return tz


def _hidden(hide: str | None) -> frozenset[str]:
    if not hide:
        return frozenset()
    return check_ids([part.strip() for part in hide.split(",") if part.strip()], "hide")


def person_view(
    ctx: AppContext,
    owner_id: int,
    tz: str | None = None,
    hide: str | None = None,
    *,
    prefs: Preferences | None = None,
) -> tuple[str, frozenset[str], frozenset[str]]:
    """``(zone, hidden, shown)`` for the owner: their settings' time zone and festival choices
    (``prefs`` when the caller has read them already), with ``tz`` / ``hide`` (when given)
    overriding them. ``InvalidInput`` names the parameter."""
    prefs = prefs if prefs is not None else ctx.preferences.get(owner_id)
    zone_name = prefs.time_zone if tz is None else _zone_name(tz)
    hidden, shown = prefs.festival_choice(None if hide is None else _hidden(hide))
    return zone_name, hidden, shown


# -- the person's agenda ---------------------------------------------------------------------


def _records(ctx: AppContext, owner_id: int, kind: str) -> Iterator[dict[str, Any]]:
    """The owner's live records of ``kind`` as the agenda reads them: content plus ``id``."""
    cursor: str | None = None
    filters = AGENDA_FILTERS.get(kind)
    while True:
        page = ctx.records.list(owner_id, kind, filters=filters, limit=PAGE, cursor=cursor)
        for record in page.items:
            yield {**record.data, "id": str(record.id)}
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def person_agenda(
    ctx: AppContext,
    owner_id: int,
    tz: str,
    hide: frozenset[str],
    show: frozenset[str] = frozenset(),
) -> Agenda:
    """The owner's ``Agenda``: their birthdays, holidays, events, memos and the contacts'
    birthdays (only contacts with one are read, ``AGENDA_FILTERS``); festivals in
    ``hide`` left out, hidden-by-default ones in ``show`` shown (``person_view`` gives the
    person's own choices)."""
    found = {kind: list(_records(ctx, owner_id, kind)) for kind in AGENDA_KINDS}
    return Agenda(
        birthdays=found["birthday"],
        holidays=found["holiday"],
        events=found["event"],
        memos=found["memo"],
        contacts=found["contact"],
        timezone=tz,
        hide=hide,
        show=show,
        schedule=ctx.schedule,
    )


# -- serialisation ---------------------------------------------------------------------------


def _lunar(value: LunarDate | None) -> LunarOut | None:
    if value is None:
        return None
    return LunarOut(
        year=value.year,
        month=value.month,
        day=value.day,
        leap=value.leap,
        text=value.text,
        full_text=value.full_text,
        ganzhi=value.ganzhi,
        zodiac=value.zodiac,
    )


def _item_fields(item: Item) -> dict[str, Any]:
    return {
        "day": item.day,
        "kind": item.kind,
        "title": item.title,
        "id": item.id,
        "all_day": item.all_day,
        "start": item.start,
        "end": item.end,
        "age": item.age,
        "nominal_age": item.nominal_age,
        "lunar_date": item.lunar_date,
        "moment": item.moment,
        "source": item.source,
    }


def _day(day: Day) -> DayOut:
    status = day.status
    items = [ItemOut(**_item_fields(i)) for i in day.items]
    return DayOut(
        date=day.date,
        weekday=day.date.isoweekday(),
        lunar=_lunar(day.lunar),
        terms=[TermOut(key=t.key, name=t.name, moment=t.moment) for t in day.terms],
        festivals=[FestivalOut(id=f.id, name=f.name) for f in day.festivals],
        status=StatusOut(
            kind=status.kind,
            name=status.name,
            makeup=status.makeup,
            off=status.off,
            published=status.published,
        ),
        items=items,
    )


def _due(d: DueReminder) -> DueOut:
    at = d.reminder.at
    return DueOut(
        key=d.key,
        item=ItemOut(**_item_fields(d.item)),
        days_before=d.reminder.days_before,
        at=None if at is None else at.isoformat("minutes"),
        occurrence=d.occurrence,
        fire_at=d.fire_at,
        missed=d.missed,
    )


def check_view_range(start: date, end: date) -> None:
    """The bounds of a calendar view: 1901–2099, ``to`` not before ``from``, at most
    ``MAX_VIEW_DAYS`` days."""
    if not SOLAR_MIN <= start <= SOLAR_MAX:
        raise InvalidInput.one(
            "from", f"from must be between {SOLAR_MIN} and {SOLAR_MAX}", "out_of_range"
        )
    if not SOLAR_MIN <= end <= SOLAR_MAX:
        raise InvalidInput.one(
            "to", f"to must be between {SOLAR_MIN} and {SOLAR_MAX}", "out_of_range"
        )
    if end < start:
        raise InvalidInput.one("to", "to must not be before from", "out_of_range")
    if (end - start).days + 1 > MAX_VIEW_DAYS:
        raise InvalidInput.one(
            "to", f"a view may span at most {MAX_VIEW_DAYS} days", "range_too_long"
        )


# -- routes ----------------------------------------------------------------------------------


@router.get(
    "/calendar/days",
    response_model=DaysOut,
    summary="The days of a calendar view: lunar dates, terms, festivals, 调休, your items",
    responses=error_responses(401, 422),
)
def calendar_days(
    user: CurrentUser,
    ctx: Ctx,
    start: Annotated[date, Query(alias="from", description="first day, YYYY-MM-DD")],
    end: Annotated[
        date, Query(alias="to", description=f"last day (inclusive); at most {MAX_VIEW_DAYS} days")
    ],
    tz: Tz = None,
    hide: Hide = None,
) -> DaysOut:
    check_view_range(start, end)
    zone_name, hidden, shown = person_view(ctx, user.id, tz, hide)
    agenda = person_agenda(ctx, user.id, zone_name, hidden, shown)
    return DaysOut(timezone=zone_name, days=[_day(d) for d in agenda.days(start, end)])


@router.get(
    "/upcoming",
    response_model=UpcomingList,
    summary="What is coming up in the next N days, each with the days until it",
    responses=error_responses(401, 422),
)
def upcoming(
    user: CurrentUser,
    ctx: Ctx,
    days: Annotated[
        int, Query(ge=1, le=MAX_UPCOMING_DAYS, description="how many days ahead (1–366)")
    ] = 30,
    today: Annotated[
        date | None, Query(description="the first day (default: today in `tz`)")
    ] = None,
    tz: Tz = None,
    hide: Hide = None,
) -> UpcomingList:
    zone_name, hidden, shown = person_view(ctx, user.id, tz, hide)
    first = today or ctx.now_in(zone_name).date()
    if not SOLAR_MIN <= first <= SOLAR_MAX - timedelta(days=days):
        raise InvalidInput.one(
            "today", f"today must be between {SOLAR_MIN} and {SOLAR_MAX}", "out_of_range"
        )
    agenda = person_agenda(ctx, user.id, zone_name, hidden, shown)
    items = [
        UpcomingOut(**_item_fields(u.item), days_until=u.days_until)
        for u in agenda.upcoming(first, days)
    ]
    return UpcomingList(today=first, timezone=zone_name, items=items)


@router.get(
    "/reminders/due",
    response_model=DueList,
    summary="The reminders due now (each once per occurrence; missed ones included)",
    responses=error_responses(401, 422),
)
def reminders_due(
    user: CurrentUser,
    ctx: Ctx,
    since: Annotated[
        datetime | None,
        Query(
            description="when the client last checked (ISO 8601 date-time; without an offset "
            "it is in `tz`); default: 7 days ago. At most 366 days back."
        ),
    ] = None,
    tz: Tz = None,
    hide: Hide = None,
) -> DueList:
    zone_name, hidden, shown = person_view(ctx, user.id, tz, hide)
    person_zone = zone(zone_name)
    now = ctx.now_in(zone_name).replace(microsecond=0)
    if since is not None:
        if since.tzinfo is None:
            since = since.replace(tzinfo=person_zone)
        try:
            too_old = since < now - MAX_LOOKBACK
        except OverflowError:  # pragma: no cover - at the very ends of datetime
            too_old = True
        if too_old:
            raise InvalidInput.one(
                "since", "since may be at most 366 days before now", "out_of_range"
            )
    agenda = person_agenda(ctx, user.id, zone_name, hidden, shown)
    found = due(agenda, now, since=since)
    window_start = since if since is not None else now - DEFAULT_LOOKBACK
    return DueList(
        now=now,
        since=window_start,
        timezone=zone_name,
        reminders=[_due(d) for d in found],
    )
