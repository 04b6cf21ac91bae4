"""What every record page shares: the logged-in person (or off to the login page), the
submitted form (CSRF checked first), redirects, and "today" in the person's time zone."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse

from almanac.errors import NotAuthenticated
from almanac.model.event import DEFAULT_TIMEZONE
from almanac.server.web import csrf, i18n, session

# An event's zone when its form or its data gives none (a new event's form carries the
# person's zone: ``event_pages.new_event``).
TIMEZONE = DEFAULT_TIMEZONE


def user_of(request: Request) -> Any:
    """The logged-in person; ``NotAuthenticated`` (→ the login page) otherwise."""
    found = session.current(request)
    if found is None:
        raise NotAuthenticated()
    return found[0]


async def checked_form(request: Request) -> FormData:
    """The submitted form, after the CSRF check (a dependency of every record POST route)."""
    form = await request.form()
    token = form.get(csrf.CSRF_FIELD)
    csrf.verify(request, token if isinstance(token, str) else None)
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def person_zone(request: Request) -> str:
    """The person's ``time_zone`` setting (the default zone when nobody is logged in)."""
    prefs = i18n.person_prefs(request)
    return prefs.time_zone if prefs is not None else DEFAULT_TIMEZONE


def person_now(request: Request) -> datetime:
    """The time now in the person's zone, from the app's clock (``AppContext.now_in``)."""
    return request.app.state.ctx.now_in(person_zone(request))


def person_today(request: Request) -> date:
    """Today's date in the person's zone: what every page's "today" is."""
    return person_now(request).date()


def text(form: FormData, name: str) -> str:
    """A text field's value ('' when absent or a file)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def records(request: Request) -> Any:
    """The server's RecordStore."""
    return request.app.state.ctx.records
