"""The settings page (R3; issue 5 §3): every one of the person's own settings in one form —
language, clock format and whether the clock shows, the first day of the week, the start page,
the time zone (common zones, or any IANA name typed) and which festivals show (ticked = shown,
grouped traditional / public, from ``almanac.calendar.festivals.FESTIVALS``).

- ``GET /settings`` shows them (``?saved=1``: with the "saved" notice);
- ``POST /settings`` saves only the fields changed since the page was shown (the form carries
  the values it started from), so a change made meanwhile on another device — the desktop app,
  the calendar page's clock — to a field left alone here is kept (last writer wins field by
  field). A refused field comes back (422) named, with everything typed kept; nothing changes;
- ``POST /settings/language``: the top bar's language switch for a logged-in person — it
  changes the ``language`` setting (a POST with the CSRF token: a GET that changed stored
  settings could be triggered by any other site's ``<img>``), then goes back to the page.

Every POST checks the CSRF token first (``CheckedForm``).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from almanac.calendar.festivals import FESTIVALS, Festival
from almanac.calendar.lunar import day_name, month_name
from almanac.errors import FieldProblem, InvalidInput
from almanac.model.event import zone
from almanac.model.preferences import START_PAGES, Preferences, festival_settings
from almanac.server.web import i18n, problems
from almanac.server.web.form_fields import checked
from almanac.server.web.pages import CheckedForm, see_other, text, user_of
from almanac.server.web.render import render

router = APIRouter(include_in_schema=False)

COMMON_ZONES = (
    "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Tokyo", "Asia/Seoul",
    "Asia/Singapore", "Asia/Bangkok", "Asia/Kolkata", "Asia/Dubai", "Europe/London",
    "Europe/Paris", "Europe/Berlin", "Europe/Moscow", "America/New_York", "America/Chicago",
    "America/Los_Angeles", "America/Vancouver", "America/Sao_Paulo", "Australia/Sydney",
    "Pacific/Auckland", "UTC",
)  # fmt: skip
OTHER_ZONE = "other"
FESTIVAL_FIELDS = ("festivals_hidden", "festivals_shown")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@router.get("/settings")
def settings_page(request: Request) -> Response:
    user = user_of(request)
    prefs = i18n.person_prefs(request) or Preferences()
    saved = "saved" in request.query_params
    return _page(request, user, form_values(prefs), base=_base_json(prefs), saved=saved)


@router.post("/settings")
def settings_submit(request: Request, form: CheckedForm) -> Response:
    user = user_of(request)
    base = _parse_base(text(form, "base"))
    values, typed, found = read(form, base)
    if not found:
        patch = changes(typed, base)
        try:
            if patch:
                i18n.use_prefs(request, request.app.state.ctx.preferences.update(user.id, patch))
            return see_other("/settings?saved=1")
        except InvalidInput as exc:
            found = list(exc.problems)
    return _page(request, user, values, base=text(form, "base"), found=found)


@router.post("/settings/language")
def language_switch(request: Request, form: CheckedForm) -> Response:
    user = user_of(request)
    lang = text(form, "lang")
    if lang in i18n.SETTING_OF:
        request.app.state.ctx.preferences.update(user.id, {"language": i18n.SETTING_OF[lang]})
    return see_other(_local(text(form, "next")))


# -- the form's values -----------------------------------------------------------------------


def form_values(prefs: Preferences) -> dict[str, Any]:
    """The settings as the form shows them."""
    common = prefs.time_zone in COMMON_ZONES
    return {
        "language": prefs.language,
        "clock_format": prefs.clock_format,
        "clock_visible": prefs.clock_visible,
        "week_start": str(prefs.week_start),
        "start_page": prefs.start_page,
        "festivals": set(prefs.festivals_seen()),
        "time_zone": prefs.time_zone if common else OTHER_ZONE,
        "time_zone_other": "" if common else prefs.time_zone,
    }


def read(
    form: FormData, base: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any], list[FieldProblem]]:
    """What to show again, the settings typed (every field), and the problems found before
    the settings are asked."""
    found: list[FieldProblem] = []
    ticked = {v for v in form.getlist("festival") if isinstance(v, str)}
    known = {f.id for f in FESTIVALS}
    if ticked - known:
        found.append(FieldProblem("festivals", "festivals: unknown festival", "not_a_choice"))
    raw_week = text(form, "week_start").strip()
    chosen_zone, other_zone = text(form, "time_zone"), text(form, "time_zone_other").strip()[:200]
    values: dict[str, Any] = {
        "language": text(form, "language"),
        "clock_format": text(form, "clock_format"),
        "clock_visible": checked(form, "clock_visible"),
        "week_start": raw_week,
        "start_page": text(form, "start_page"),
        "festivals": ticked & known,
        "time_zone": chosen_zone,
        "time_zone_other": other_zone,
    }
    zone_name = _typed_zone(chosen_zone, other_zone, base)
    if zone_name and zone_name == other_zone:
        values["time_zone"] = OTHER_ZONE  # shown again as typed: under "other…"
    if not zone_name:
        found.append(FieldProblem("time_zone", "time_zone must not be empty", "empty"))
    typed = {
        "language": values["language"],
        "clock_format": values["clock_format"],
        "clock_visible": values["clock_visible"],
        "week_start": int(raw_week) if raw_week.isdigit() and len(raw_week) < 4 else raw_week,
        "start_page": values["start_page"],
        **festival_settings(ticked),
        "time_zone": zone_name,
    }
    return values, typed, found


def _typed_zone(chosen: str, other: str, base: dict[str, Any]) -> str:
    """The zone from the select, or the one typed under it: when "other…" is chosen, or when
    a name was typed and the select was left as it was."""
    if chosen == OTHER_ZONE or not chosen:
        return other
    if other and other != base.get("time_zone") and chosen == base.get("time_zone"):
        return other
    return chosen


def changes(typed: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """The fields that differ from what the page started from (every field without one)."""
    return {k: v for k, v in typed.items() if k not in base or _norm(v) != _norm(base[k])}


def _norm(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value


def _base_json(prefs: Preferences) -> str:
    return json.dumps(prefs.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)


def _parse_base(raw: str) -> dict[str, Any]:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _local(url: str) -> str:
    """``url`` when it is a path on this site, else the start (no open redirect)."""
    if url.startswith("/") and not url.startswith(("//", "/\\")) and "\n" not in url:
        return url
    return "/"


# -- the page --------------------------------------------------------------------------------


def _page(
    request: Request,
    user: Any,
    values: dict[str, Any],
    *,
    base: str,
    saved: bool = False,
    found: list[FieldProblem] | None = None,
) -> Response:
    lang = i18n.lang_of(request)
    t = i18n.translator(lang)
    messages = problems.as_messages(t, lang, [_on_input(p) for p in found or []])
    context = {
        "values": values,
        "problems": messages,
        "base": base,
        "saved": saved and not found,
        "languages": ("zh-CN", "en"),
        "start_pages": START_PAGES,
        "zones": [(name, _zone_label(t, name)) for name in COMMON_ZONES],
        "other_zone": OTHER_ZONE,
        "festival_groups": [
            (kind, [_festival_view(f, lang, t) for f in FESTIVALS if f.kind == kind])
            for kind in ("traditional", "public")
        ],
        "section": "settings",
    }
    return render(request, "settings.html", context, user=user, status_code=422 if found else 200)


def _on_input(problem: FieldProblem) -> FieldProblem:
    """A problem named after the input that shows it (``festivals_hidden.3`` → festivals)."""
    name = problem.field.split(".")[0]
    name = "festivals" if name in FESTIVAL_FIELDS else name
    return FieldProblem(name or "form", problem.message, problem.code)


def _zone_label(t: Any, name: str) -> str:
    """北京时间 (UTC+8) · Asia/Shanghai — the offset of today (summer time changes it)."""
    offset = datetime.now(zone(name)).strftime("%z")  # +0530
    hours, minutes = int(offset[1:3]), offset[3:]
    short = f"{offset[0]}{hours}" + (f":{minutes}" if minutes != "00" else "")
    return f"{t('zone_' + name)} (UTC{short}) · {name}"


def _festival_view(f: Festival, lang: str, t: Any) -> dict[str, Any]:
    if f.id == "chuxi":
        when = t("festival_chuxi_date")
    elif f.calendar == "lunar":
        when = t(
            "festival_lunar_date",
            month=month_name(f.month, False),
            day=day_name(f.day),
            month_n=f.month,
            day_n=f.day,
        )
    else:
        when = t(
            "festival_solar_date", month=f.month, day=f.day, month_en=MONTHS_EN[f.month - 1],
            day_n=f.day,
        )  # fmt: skip
    return {
        "id": f.id,
        "name": f.name,
        "name_en": f.name_en if lang == "en" else "",
        "when": when,
        "off_by_default": f.hidden_by_default,
    }
