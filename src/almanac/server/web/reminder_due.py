"""Due reminders for the web pages (issue 4 §6, issue 5; R6, R7, R9):
``GET /reminders/due.json?since=ISO`` — the logged-in person's reminders due in
``(since, now]``, computed here on the server by ``almanac.calendar.reminders.due`` from their
agenda (kept between requests: ``calendar_pages.agenda_for``), in their time zone.

``static/reminders.js`` asks every minute while a logged-in page is open, with ``since`` = the
``now`` of its previous answer (kept in the browser's localStorage), and shows each ``key``
once. ``since`` reaches back at most a week (``DEFAULT_LOOKBACK``; also the default), so a
browser opened after a long time away lists the last week's missed ones (``missed``). The
session cookie is the only credential (same origin; no CSRF token: a GET changes nothing).
Logged out: 401 with a JSON body, never the login page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from almanac.calendar.reminders import DEFAULT_LOOKBACK, DueReminder, due
from almanac.model.preferences import Preferences
from almanac.server.web import i18n, session
from almanac.server.web.calendar_pages import agenda_for
from almanac.server.web.pages import person_now

router = APIRouter(include_in_schema=False)
LINKS = {"birthday": "/birthdays", "holiday": "/holidays", "event": "/events", "memo": "/memos"}
NO_STORE = {"cache-control": "no-store"}


def _since(raw: str, now: datetime) -> datetime | None:
    """``since`` as sent (an offset-less time is in the person's zone), not before a week
    ago; ``None`` when it is not a date-time."""
    try:
        since = datetime.fromisoformat(raw) if raw else now - DEFAULT_LOOKBACK
    except ValueError:
        return None
    if since.tzinfo is None:
        since = since.replace(tzinfo=now.tzinfo)
    try:
        return max(since, now - DEFAULT_LOOKBACK)
    except OverflowError:  # at the very ends of datetime
        return now - DEFAULT_LOOKBACK


def _when(found: DueReminder) -> str:
    occurrence = found.occurrence
    if isinstance(occurrence, datetime):
        return occurrence.strftime("%Y-%m-%d %H:%M")
    return occurrence.isoformat()


def _day_of(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def entry(found: DueReminder, today: date) -> dict[str, Any]:
    """One due reminder as reminders.js shows it."""
    item = found.item
    base = LINKS[item.kind]
    return {
        "key": found.key,
        "kind": item.kind,
        "title": item.title,
        "link": f"{base}/{item.id}/edit" if item.id else base,
        "when": _when(found),
        "days_until": (_day_of(found.occurrence) - today).days,
        "age": item.age if item.kind == "birthday" else None,
        "years": item.age if item.kind == "holiday" else None,
        "lunar": item.lunar_date,
        "fire_at": found.fire_at.isoformat(),
        "missed": found.missed,
    }


@router.get("/reminders/due.json")
def due_json(request: Request, since: str = "") -> Response:
    who = session.current(request)
    if who is None:
        return JSONResponse({"error": "not_authenticated"}, status_code=401, headers=NO_STORE)
    user = who[0]
    prefs = i18n.person_prefs(request) or Preferences()
    now = person_now(request).replace(microsecond=0)
    start = _since(since.strip()[:64], now)
    if start is None:
        problem = {"error": "invalid_input", "field": "since"}
        return JSONResponse(problem, status_code=422, headers=NO_STORE)
    agenda = agenda_for(request, user, prefs).agenda
    found = due(agenda, now, since=start)
    body = {
        "now": now.isoformat(),
        "since": start.isoformat(),
        "timezone": prefs.time_zone,
        "reminders": [entry(d, now.date()) for d in found],
    }
    return JSONResponse(body, headers=NO_STORE)
