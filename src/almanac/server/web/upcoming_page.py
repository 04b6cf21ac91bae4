"""The upcoming list (R6, R9): the next 30 days — the person's birthdays (with the age they
turn), holidays, events and memos due, and the traditional festivals — each with the days
until it, from ``almanac.calendar.Agenda`` (built like the API's ``/upcoming``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from almanac.calendar import Upcoming
from almanac.server.api.calendar import person_agenda
from almanac.server.web.pages import TIMEZONE, today, user_of
from almanac.server.web.render import render

router = APIRouter(include_in_schema=False)
DAYS = 30
LINKS = {"birthday": "/birthdays", "holiday": "/holidays", "event": "/events", "memo": "/memos"}


@router.get("/upcoming")
def upcoming_page(request: Request) -> Response:
    user = user_of(request)
    first = today()
    agenda = person_agenda(request.app.state.ctx, user.id, TIMEZONE, frozenset())
    entries = [entry_view(u) for u in agenda.upcoming(first, DAYS)]
    context = {"entries": entries, "today": first, "section": "upcoming"}
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
        "link": LINKS.get(item.kind),
    }
