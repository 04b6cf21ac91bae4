"""Birthdays typed on contacts on the web pages (R4, R6, R7): the month grid, the day view
(linking to the contact, ``/contacts/{id}``) and the upcoming list show them; an edit of the
contact shows at once (the kept agenda follows the person's change number)."""

from __future__ import annotations

from datetime import date
from html import unescape

from fastapi import FastAPI
from fastapi.testclient import TestClient

from .support import owner_id
from .test_calendar_pages import _TAG, cells

ZHANG = {"calendar": "lunar", "month": 8, "day": 15, "year": 1990}


def text_of(html: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", html)).split())


def test_the_month_day_and_upcoming_pages_show_a_contacts_birthday(
    app: FastAPI, logged_in: TestClient
) -> None:
    """张伟, born 1990 八月十五: on 2026-09-25 (中秋), turning 36."""
    made = app.state.ctx.records.create(
        owner_id(app, logged_in), "contact", {"name": "张伟", "birthday": ZHANG}
    )
    grid = cells(logged_in.get("/calendar?month=2026-09").text)
    assert "张伟" in grid[date(2026, 9, 25)][1]
    assert not [d for d, (_, text) in grid.items() if "张伟" in text and d != date(2026, 9, 25)]
    day = logged_in.get("/calendar/day/2026-09-25").text
    assert "张伟" in text_of(day) and "36 周岁" in text_of(day)
    assert f'href="/contacts/{made.id}"' in day
    assert "/birthdays/None" not in day and f"/birthdays/{made.id}" not in day
    upcoming = logged_in.get("/upcoming?days=366").text
    assert "张伟" in text_of(upcoming)


def test_a_contact_edit_shows_at_once(app: FastAPI, logged_in: TestClient) -> None:
    store, owner = app.state.ctx.records, owner_id(app, logged_in)

    def on(day: date) -> str:
        return cells(logged_in.get(f"/calendar?month={day:%Y-%m}").text)[day][1]

    made = store.create(owner, "contact", {"name": "李娜", "birthday": {"month": 7, "day": 7}})
    assert "李娜" in on(date(2026, 7, 7))
    assert "李娜" in on(date(2026, 7, 7))  # the kept agenda
    store.update(owner, "contact", made.id, {"name": "李娜", "birthday": {"month": 7, "day": 8}})
    assert "李娜" not in on(date(2026, 7, 7)) and "李娜" in on(date(2026, 7, 8))
    store.update(owner, "contact", made.id, {"birthday": None})  # a patch: cleared
    assert "李娜" not in on(date(2026, 7, 8))
