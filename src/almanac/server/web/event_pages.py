"""Events (R7, R9): the occurrences of the next 60 days and every event, add, change and
delete; all-day or timed, with a repeat preset (daily, weekly, monthly, yearly) chosen from
a list. A rule made elsewhere (``FREQ=WEEKLY;BYDAY=MO,WE``) is kept and offered as itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from almanac.calendar import Agenda
from almanac.errors import FieldProblem
from almanac.server.web import i18n, reminder_fields
from almanac.server.web.calendar_prefill import event_on
from almanac.server.web.form_fields import checked, day_value, time_value
from almanac.server.web.pages import TIMEZONE, person_today, person_zone, records, text, user_of
from almanac.server.web.record_forms import FormSpec, Reading, add_routes
from almanac.server.web.render import render

router = APIRouter(include_in_schema=False)
PRESETS = ("", "FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY")
PRESET_KEYS = dict(zip(PRESETS, ("none", "daily", "weekly", "monthly", "yearly"), strict=True))
AHEAD_DAYS = 60
PAGE = 500


def _when(day: str, clock: str, all_day: bool) -> str | None:
    if not day:
        return None
    return day if all_day else f"{day}T{clock}"


def read(form: FormData) -> Reading:
    found: list[FieldProblem] = []
    names = ("title", "start_date", "start_time", "end_date", "end_time", "location", "notes")
    values: dict[str, Any] = {name: text(form, name).strip() for name in names}
    values["notes"] = text(form, "notes")
    values["all_day"] = checked(form, "all_day")
    values["rrule"] = text(form, "rrule").strip()
    values["timezone"] = text(form, "timezone").strip() or TIMEZONE
    all_day = values["all_day"]
    start_day = day_value(values["start_date"], "start_date", found)
    end_day = day_value(values["end_date"], "end_date", found)
    start_clock = time_value(values["start_time"], "start_time", found)
    end_clock = time_value(values["end_time"], "end_time", found)
    if start_day is None and not values["start_date"]:
        found.append(FieldProblem("start_date", "start_date is empty", "empty"))
    if not all_day and start_clock is None and not values["start_time"]:
        found.append(FieldProblem("start_time", "start_time is empty", "needs_datetime"))
    start = _when(values["start_date"], values["start_time"], all_day)
    end = None
    if values["end_date"] or (values["end_time"] and not all_day):
        end_day_text = values["end_date"] or values["start_date"]
        end = _when(end_day_text, values["end_time"] or values["start_time"], all_day)
    del start_day, end_day, start_clock, end_clock  # read for their problems only
    data = {
        "title": values["title"],
        "all_day": all_day,
        "start": start,
        "end": end,
        "timezone": values["timezone"],
        "location": values["location"],
        "notes": values["notes"],
        "rrule": values["rrule"] or None,
    }
    reminders, data["reminders"] = reminder_fields.read(form, "event", found)
    values.update(reminders)
    return Reading(values, data, found)


def values_of(data: dict[str, Any]) -> dict[str, Any]:
    start, end = str(data.get("start") or ""), str(data.get("end") or "")
    return reminder_fields.values_of(data, "event") | {
        "title": str(data.get("title") or ""),
        "all_day": bool(data.get("all_day")),
        "start_date": start[:10],
        "start_time": start[11:16],
        "end_date": end[:10] if end != start else "",
        "end_time": end[11:16] if end != start else "",
        "timezone": str(data.get("timezone") or TIMEZONE),
        "location": str(data.get("location") or ""),
        "notes": str(data.get("notes") or ""),
        "rrule": str(data.get("rrule") or ""),
    }


def when_text(values: dict[str, Any], t: Callable[..., str]) -> str:
    start = f"{values['start_date']} {values['start_time']}".strip()
    end = f"{values['end_date']} {values['end_time']}".strip()
    shown = start + (f" – {end}" if end else "")
    return f"{shown} ({t('all_day')})" if values["all_day"] else shown


def repeat_text(rule: str, t: Callable[..., str]) -> str:
    key = PRESET_KEYS.get(rule)
    return t(f"rrule_{key}") if key else t("rrule_custom", rule=rule)


def summary(values: dict[str, Any], t: Callable[..., str], lang: str) -> list[tuple[str, str]]:
    lines = [
        (t("event_title"), values["title"]),
        (t("start"), when_text(values, t)),
        (t("repeat"), repeat_text(values["rrule"], t)),
    ]
    lines += [(t(k), values[k]) for k in ("location", "notes") if values[k]]
    return lines + reminder_fields.summary_line(values, "event", t)


def new_event(request: Request) -> dict[str, Any]:
    """A new event: in the person's time zone, starting on ``?date=`` when given."""
    return {"timezone": person_zone(request), **event_on(request.query_params)}


SPEC = FormSpec(
    kind="event",
    base="/events",
    template="event_form.html",
    section="events",
    read=read,
    values_of=values_of,
    summary=summary,
    done=lambda record_id: "/events",
    gone="/events",
    extra=lambda request, owner: {"presets": PRESET_KEYS},
    aliases={"start": "start_date", "end": "end_date"},
    prefill=new_event,
)
add_routes(router, SPEC)


@router.get("/events")
def events_page(request: Request) -> Response:
    user = user_of(request)
    page = records(request).list(user.id, "event", limit=PAGE)
    stored = [{**r.data, "id": str(r.id)} for r in page.items]
    first = person_today(request)
    agenda = Agenda(events=stored, timezone=person_zone(request))
    coming = [
        item
        for item in agenda.between(first, first + timedelta(days=AHEAD_DAYS - 1))
        if item.kind == "event"
    ]
    t = i18n.translator(i18n.lang_of(request))
    events = []
    for record in page.items:
        values = values_of(record.data)
        values.update(
            id=str(record.id),
            version=record.version,
            when=when_text(values, t),
            repeat=repeat_text(values["rrule"], t) if values["rrule"] else "",
            reminders_text=reminder_fields.shown(values, "event", t),
        )
        events.append(values)
    context = {
        "occurrences": [_occurrence(item) for item in coming],
        "events": events,
        "section": "events",
    }
    return render(request, "events.html", context, user=user)


def _occurrence(item: Any) -> dict[str, Any]:
    clock = ""
    if not item.all_day and item.start is not None:
        clock = item.start.strftime("%H:%M")
        if item.end is not None and item.end != item.start:
            clock += "–" + item.end.strftime("%H:%M")
    return {"day": item.day, "title": item.title, "id": item.id, "clock": clock}
