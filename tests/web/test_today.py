"""Every page's "today" and "now" is the person's (R3): their ``time_zone`` setting read
against the app's clock (``AppContext.clock``, fixed here). At 02:00 UTC on 10 March 2026 it
is 19:00 on 9 March in Los Angeles (summer time since the 8th) and 10:00 on 10 March in
Shanghai (the default zone)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from .support import owner_id, post_form, records_of

AT = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
LOS_ANGELES = "America/Los_Angeles"


@pytest.fixture
def person(app: FastAPI, logged_in: TestClient) -> int:
    """``wang`` at the fixed moment, with a birthday and an all-day event on 9 March."""
    app.state.ctx.clock = lambda: AT
    owner = owner_id(app, logged_in)
    day = {"calendar": "solar", "month": 3, "day": 9}
    app.state.ctx.records.create(owner, "birthday", {"name": "时区测试", "date": day})
    event = {"title": "湖边散步", "all_day": True, "start": "2026-03-09", "timezone": LOS_ANGELES}
    app.state.ctx.records.create(owner, "event", event)
    return owner


def _in_zone(app: FastAPI, owner: int, name: str) -> None:
    app.state.ctx.preferences.update(owner, {"time_zone": name})


def _entry(html: str, name: str) -> str:
    before = html[: html.index(name)]
    return before[before.rindex('<div class="when') :]


def test_events_list_starts_on_the_persons_today(
    app: FastAPI, logged_in: TestClient, person: int
) -> None:
    assert "<strong>3/9</strong>" not in logged_in.get("/events").text  # Shanghai: 10 March
    _in_zone(app, person, LOS_ANGELES)
    coming = logged_in.get("/events").text
    assert "<strong>3/9</strong>" in _entry(coming, "湖边散步")


def test_birthdays_count_days_from_the_persons_today(
    app: FastAPI, logged_in: TestClient, person: int
) -> None:
    shanghai = logged_in.get("/birthdays").text
    assert "2027-03-09" in shanghai and "<strong>364</strong>" in _entry(shanghai, "时区测试")
    _in_zone(app, person, LOS_ANGELES)
    there = logged_in.get("/birthdays").text
    assert "2026-03-09" in there and "<strong>今天</strong>" in _entry(there, "时区测试")


def test_calendar_upcoming_clock_and_due_follow_the_same_clock(
    app: FastAPI, logged_in: TestClient, person: int
) -> None:
    _in_zone(app, person, LOS_ANGELES)
    month = logged_in.get("/calendar").text
    assert 'href="/calendar/day/2026-03-09" aria-current="date"' in month
    assert '<time datetime="2026-03-09T19:00:00-07:00">19:00</time>' in month
    assert "<strong>今天</strong>" in _entry(logged_in.get("/upcoming").text, "时区测试")
    assert logged_in.get("/reminders/due.json").json()["now"] == "2026-03-09T19:00:00-07:00"


def test_a_new_event_is_in_the_persons_zone(
    app: FastAPI, logged_in: TestClient, person: int
) -> None:
    """The new-event form carries the person's zone, so 09:00 typed is 09:00 where they are."""
    _in_zone(app, person, LOS_ANGELES)
    form = logged_in.get("/events/new?date=2026-03-11").text
    assert f'name="timezone" value="{LOS_ANGELES}"' in form
    sent = {"title": "晨跑", "start_date": "2026-03-11", "start_time": "09:00"}
    zone_field = {"timezone": LOS_ANGELES}  # what the form's hidden field sends back
    assert post_form(logged_in, "/events/new", "/events/new", sent | zone_field).status_code == 303
    made = [r.data for r in records_of(app, logged_in, "event") if r.data["title"] == "晨跑"]
    assert [(e["start"], e["timezone"]) for e in made] == [("2026-03-11T09:00:00", LOS_ANGELES)]
