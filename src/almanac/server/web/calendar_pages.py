"""The calendar pages (R7; issue 5 §2): ``/calendar`` — a month grid of whole weeks from the
person's first weekday, each day with its lunar day, festival or solar term, 休/班 and the
person's items — and ``/calendar/day/YYYY-MM-DD``, one day in full with links to change each
item and to add an event or a birthday on it. Both read the person's settings (time zone,
first weekday, festivals hidden or shown); the live clock (``calendar_clock``) is in the top
bar of these and every logged-in page (``render``).

The month is picked by ``?month=YYYY-MM`` (links, ``<input type=month>``) or the year and
month selects (``?y=2026&m=2``); ``/calendar/day?date=`` jumps to a day. Bad values are
``InvalidInput`` naming the field (the error page), never a guess."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from markupsafe import Markup, escape
from starlette.responses import Response

from almanac.calendar.lunar import SOLAR_MAX, SOLAR_MIN
from almanac.errors import InvalidInput
from almanac.model.preferences import Preferences
from almanac.server.web import calendar_view, i18n, person_state
from almanac.server.web.calendar_cache import AgendaCache, KeptAgenda
from almanac.server.web.pages import person_today, see_other, user_of
from almanac.server.web.render import render

router = APIRouter(include_in_schema=False)
YEARS = range(SOLAR_MIN.year, SOLAR_MAX.year + 1)
LAST_MONTH = SOLAR_MAX.replace(day=1)


def person(request: Request) -> tuple[Any, Preferences, date]:
    """The logged-in person, their settings and today in their time zone."""
    user = user_of(request)
    prefs = i18n.person_prefs(request) or Preferences()  # read once per request
    return user, prefs, person_today(request)


def agenda_for(request: Request, user: Any, prefs: Preferences) -> KeptAgenda:
    """The person's agenda (built like the API's, with the festivals they hid or showed),
    kept in this app's ``AgendaCache`` until their next change."""
    state = request.app.state
    cache = getattr(state, "calendar_agendas", None)
    if cache is None:
        cache = state.calendar_agendas = AgendaCache()
    return cache.get(state.ctx, user.id, prefs, person_state.of(request, user.id).change_no)


def month_url(first: date) -> str:
    return f"/calendar?month={first:%Y-%m}"


def day_url(day: date) -> str:
    return f"/calendar/day/{day.isoformat()}"


def _number(raw: str, field: str, low: int, high: int) -> int:
    if not raw.strip().isdigit() or not low <= int(raw) <= high:
        raise InvalidInput.one(field, f"{field} must be a number {low}–{high}", "out_of_range")
    return int(raw)


def picked_month(request: Request, today: date) -> date:
    """The first day of the month asked for (``y``+``m``, else ``month=YYYY-MM``, else
    this month)."""
    query = request.query_params
    if query.get("y") or query.get("m"):
        year = _number(query.get("y", ""), "y", YEARS.start, YEARS.stop - 1)
        return date(year, _number(query.get("m", ""), "m", 1, 12), 1)
    raw = query.get("month", "").strip()
    if not raw:
        return today.replace(day=1)
    try:
        first = date.fromisoformat(raw + "-01")
    except ValueError:
        raise InvalidInput.one("month", "month must look like 2026-02", "not_a_date") from None
    if not SOLAR_MIN <= first <= SOLAR_MAX:
        raise InvalidInput.one("month", "month must be within 1901–2099", "out_of_range")
    return first


def picked_day(raw: str, field: str = "date") -> date:
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInput.one(field, f"{field} must look like 2026-02-17", "not_a_date") from None
    if not SOLAR_MIN <= day <= SOLAR_MAX:
        raise InvalidInput.one(field, f"{field} must be within 1901–2099", "out_of_range")
    return day


@lru_cache(maxsize=64)
def year_options(selected: int, lang: str) -> Markup:
    """The year select's 199 options (1901–2099), ``selected`` chosen: the same few for
    every month page, so made once each instead of looped in the template (that loop was
    ~0.6 ms of the month page's 1.7 ms of rendering)."""
    unit = "年" if lang == "zh" else ""
    return Markup("").join(
        Markup('<option value="{0}"{1}>{0}{2}</option>').format(
            y, Markup(" selected") if y == selected else "", escape(unit)
        )
        for y in YEARS
    )


def month_title(first: date, lang: str) -> str:
    if lang == "en":
        return first.strftime("%B %Y")
    return f"{first.year}年{first.month}月"


@router.get("/calendar")
def month_page(request: Request) -> Response:
    user, prefs, today = person(request)
    lang = i18n.lang_of(request)
    first = picked_month(request, today)
    agenda = agenda_for(request, user, prefs)
    weeks = calendar_view.month_weeks(agenda, first, prefs.week_start, today, lang)
    years = [c.day.lunar for w in weeks for c in w if c.in_month and c.day and c.day.lunar]
    lunar_years = list({(d.ganzhi, d.zodiac): None for d in years})  # one or two
    context = {
        "section": "calendar",
        "first": first,
        "title": month_title(first, lang),
        "weeks": weeks,
        "weekdays": calendar_view.weekday_order(prefs.week_start),
        "lunar_years": lunar_years,
        "year_options": year_options(first.year, lang),
        "prev_url": month_url(calendar_view.previous_month(first)) if first > SOLAR_MIN else None,
        "next_url": month_url(calendar_view.next_month(first)) if first < LAST_MONTH else None,
        "today": today,
        "day_url": day_url,
    }
    return render(request, "calendar_month.html", context, user=user)


@router.get("/calendar/day")
def jump_to_day(request: Request) -> Response:
    """The jump-to-date form: off to that day's page."""
    user_of(request)
    return see_other(day_url(picked_day(request.query_params.get("date", ""))))


@router.get("/calendar/day/{raw_day}")
def day_page(request: Request, raw_day: str) -> Response:
    user, prefs, today = person(request)
    lang = i18n.lang_of(request)
    on = picked_day(raw_day)
    day = agenda_for(request, user, prefs).days(on, on)[0]
    one = timedelta(days=1)
    context = {
        "section": "calendar",
        "day": day,
        "on": on,
        "is_today": on == today,
        "festivals": [calendar_view.festival_name(f.id, f.name, lang) for f in day.festivals],
        "badge": calendar_view.badge_of(day),
        "items": [calendar_view.item_view(i) for i in day.items],
        "prev_url": day_url(on - one) if on > SOLAR_MIN else None,
        "next_url": day_url(on + one) if on < SOLAR_MAX else None,
        "month_url": month_url(on.replace(day=1)),
    }
    return render(request, "calendar_day.html", context, user=user)
