"""The upcoming list (R6, R9): the next 30 days (``?days=N``: 1–366) — the person's
birthdays (with the age they turn), holidays, events and memos due, and the festivals — each
with the days until it, from ``almanac.calendar.Agenda`` (built like the API's ``/upcoming``;
the calendar pages' kept one).
Follows the person's settings (R3): "today" in their time zone, the festivals they hid or
turned on."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from almanac.calendar import Upcoming
from almanac.model.preferences import Preferences
from almanac.server.web import i18n
from almanac.server.web.calendar_pages import agenda_for
from almanac.server.web.pages import person_today, user_of
from almanac.server.web.render import render

router = APIRouter(include_in_schema=False)
DAYS = 30
MAX_DAYS = 366
LINKS = {"birthday": "/birthdays", "holiday": "/holidays", "event": "/events", "memo": "/memos"}


@router.get("/upcoming")
def upcoming_page(request: Request, days: str = "") -> Response:
    user = user_of(request)
    span = int(days) if days.isdigit() and len(days) <= 3 else DAYS
    span = span if 1 <= span <= MAX_DAYS else DAYS
    prefs = i18n.person_prefs(request) or Preferences()
    first = person_today(request)
    agenda = agenda_for(request, user, prefs).agenda  # kept until the person's next change
    entries = [entry_view(u) for u in agenda.upcoming(first, span)]
    context = {"entries": entries, "today": first, "days": span, "section": "upcoming"}
    return render(request, "upcoming.html", context, user=user)


def entry_view(found: Upcoming) -> dict[str, Any]:
    item = found.item
    clock = ""
    if item.kind == "event" and not item.all_day and item.start is not None:
        clock = item.start.strftime("%H:%M")
    elif item.kind == "memo" and item.moment is not None:
        clock = item.moment.strftime("%H:%M")
    return {
        "day": item.day,
        "days": found.days_until,
        "kind": item.kind,
        "title": item.title,
        "age": item.age if item.kind == "birthday" else None,
        "years": item.age if item.kind == "holiday" else None,
        "lunar": item.lunar_date,
        "clock": clock,
        "link": f"/contacts/{item.id}" if item.source == "contact" else LINKS.get(item.kind),
    }
