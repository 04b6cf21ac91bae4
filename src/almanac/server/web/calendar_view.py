"""What the calendar pages show (R7), made from ``almanac.calendar.Agenda.days``: the weeks
of a month grid starting on the person's first weekday, each day's short labels (lunar day,
festival or solar term, 休/班, the person's items as chips) and the full facts of one day.
No HTTP here: ``calendar_pages`` reads the request and renders what these return."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from almanac.calendar import Day, Item
from almanac.calendar.festivals import FESTIVALS
from almanac.calendar.lunar import SOLAR_MAX, SOLAR_MIN

CHIPS_SHOWN = 3  # items a month cell names; the rest are "+N"
EDIT_LINKS = {
    "birthday": "/birthdays/{id}/edit",
    "holiday": "/holidays/{id}/edit",
    "event": "/events/{id}/edit",
    "memo": "/memos/{id}/edit",
}
CONTACT_LINK = "/contacts/{id}"  # a birthday typed on a contact (``Item.source``) opens it
_FESTIVAL_EN = {f.id: f.name_en for f in FESTIVALS}
_ONE = timedelta(days=1)


class DaySource(Protocol):
    """``Agenda`` or ``calendar_cache.KeptAgenda``: the days of a range."""

    def days(self, start: date, end: date) -> list[Day]: ...


@dataclass(frozen=True)
class Cell:
    """One day of the month grid (``day`` is None outside 1901–2099)."""

    day: Day | None
    date: date
    in_month: bool
    is_today: bool
    lunar: str  # 初一 shows the month: 八月, 闰六月
    mark: str  # the first festival, else the solar term ('' when none)
    mark_kind: str  # "festival", "term" or ""
    badge: str  # "off" (休), "makeup" (班) or ""
    chips: list[dict[str, Any]]
    more: int  # items not named in the cell


def grid_bounds(month_first: date, week_start: int) -> tuple[date, date]:
    """The first and last day shown for the month starting ``month_first``: whole weeks
    beginning on ISO weekday ``week_start`` (1 = Monday … 7 = Sunday)."""
    last = next_month(month_first) - _ONE
    start = month_first - timedelta(days=(month_first.isoweekday() - week_start) % 7)
    end = last + timedelta(days=(week_start + 6 - last.isoweekday()) % 7)
    return start, end


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def previous_month(first: date) -> date:
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def weekday_order(week_start: int) -> list[int]:
    """ISO weekdays in the order the grid's columns show them."""
    return [(week_start - 1 + i) % 7 + 1 for i in range(7)]


def month_weeks(
    agenda: DaySource, month_first: date, week_start: int, today: date, lang: str
) -> list[list[Cell]]:
    """The grid of ``month_first``'s month: a list of weeks of seven ``Cell``\\s."""
    start, end = grid_bounds(month_first, week_start)
    shown = {d.date: d for d in agenda.days(max(start, SOLAR_MIN), min(end, SOLAR_MAX))}
    cells: list[Cell] = []
    d = start
    while d <= end:
        cells.append(_cell(shown.get(d), d, d.month == month_first.month, d == today, lang))
        d += _ONE
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def _cell(day: Day | None, on: date, in_month: bool, is_today: bool, lang: str) -> Cell:
    if day is None:
        return Cell(None, on, in_month, is_today, "", "", "", "", [], 0)
    lunar = ""
    if day.lunar is not None:
        lunar = day.lunar.month_name if day.lunar.day == 1 else day.lunar.day_name
    mark, mark_kind = "", ""
    if day.festivals:
        first = day.festivals[0]
        mark, mark_kind = festival_name(first.id, first.name, lang), "festival"
    elif day.terms:
        mark, mark_kind = day.terms[0].name, "term"
    items = [item_view(i) for i in day.items]
    return Cell(
        day, on, in_month, is_today, lunar, mark, mark_kind, badge_of(day),
        items[:CHIPS_SHOWN], max(0, len(items) - CHIPS_SHOWN),
    )  # fmt: skip


def festival_name(festival_id: str, name: str, lang: str) -> str:
    return _FESTIVAL_EN.get(festival_id, name) if lang == "en" else name


def badge_of(day: Day) -> str:
    """``off`` for a statutory day off (休), ``makeup`` for a 调休 workday (班)."""
    if day.status.kind == "holiday":
        return "off"
    if day.status.makeup:
        return "makeup"
    return ""


def item_view(item: Item) -> dict[str, Any]:
    """One of the person's items as the pages show it: kind, title, time, edit link."""
    clock, until = "", ""
    if item.kind == "event" and not item.all_day and isinstance(item.start, datetime):
        clock = item.start.strftime("%H:%M")
        if isinstance(item.end, datetime) and item.end != item.start:
            until = item.end.strftime("%H:%M")
    elif item.kind == "memo" and item.moment is not None:
        clock = item.moment.strftime("%H:%M")
    link = CONTACT_LINK if item.source == "contact" else EDIT_LINKS.get(item.kind)
    return {
        "kind": item.kind,
        "title": item.title,
        "clock": clock,
        "until": until,  # a timed event's end
        "all_day": item.all_day,
        "age": item.age if item.kind == "birthday" else None,
        "years": item.age if item.kind == "holiday" else None,
        "lunar": item.lunar_date,
        "edit": link.format(id=item.id) if link and item.id else None,
    }
