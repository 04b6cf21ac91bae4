"""The live clock (R7): what the server renders (the time now in the person's zone, in their
24-hour or 12-hour format, shown or hidden) and ``POST /calendar/clock``, which remembers the
choice in the person's settings (``ctx.preferences``). ``static/clock.js`` ticks it every
second and sends the choice without leaving the page; without script the same buttons post
the form and come back here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from almanac.errors import InvalidInput
from almanac.model.preferences import Preferences
from almanac.server.web.pages import CheckedForm, see_other, text, user_of

router = APIRouter(include_in_schema=False)
CLOCK_FIELDS = ("clock_format", "clock_visible")
DEFAULT_BACK = "/calendar"


def clock_text(now: datetime, clock_format: str, lang: str) -> str:
    """``14:05`` or, in 12-hour form, ``下午 2:05`` / ``2:05 PM`` (no seconds: the script
    adds them when it ticks)."""
    if clock_format != "12h":
        return now.strftime("%H:%M")
    hour = now.hour % 12 or 12
    if lang == "en":
        return f"{hour}:{now.minute:02d} {'AM' if now.hour < 12 else 'PM'}"
    return f"{'上午' if now.hour < 12 else '下午'} {hour}:{now.minute:02d}"


def clock_view(prefs: Preferences, now: datetime, lang: str, back: str) -> dict[str, Any]:
    """What ``calendar_clock.html`` needs: the settings, the time ``now`` (in the person's
    zone: ``pages.person_now``) and where to return."""
    return {
        "format": prefs.clock_format,
        "visible": prefs.clock_visible,
        "zone": prefs.time_zone,
        "text": clock_text(now, prefs.clock_format, lang),
        "iso": now.isoformat(timespec="seconds"),
        "back": back,
    }


def safe_back(raw: str) -> str:
    """A local path to return to (never another site: no ``//host`` nor ``/\\host``)."""
    if raw.startswith("/") and not raw.startswith(("//", "/\\")) and len(raw) <= 2000:
        return raw
    return DEFAULT_BACK


@router.post("/calendar/clock")
def save_clock(request: Request, form: CheckedForm) -> Response:
    """Remember the clock's format and/or visibility; bad values → ``InvalidInput`` naming
    the field, nothing changed. The script (``js=1``) gets 204, a plain form a redirect."""
    user = user_of(request)
    patch = {name: text(form, name) for name in CLOCK_FIELDS if text(form, name)}
    if not patch:
        raise InvalidInput.one("clock_format", "clock_format or clock_visible is needed", "empty")
    request.app.state.ctx.preferences.update(user.id, patch)
    if text(form, "js") == "1":
        return Response(status_code=204)
    return see_other(safe_back(text(form, "next")))
