"""Birthdays typed on contacts through the calendar routes, on every database (R4, R6, R7):
in the days of a view and upcoming with ``source: "contact"`` and the contact's id, once when
a birthday record links the contact, never in the due reminders, and following an edit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI

from .support import Person

ZHANG = {"calendar": "lunar", "month": 8, "day": 15, "year": 1990}


def _birthdays_on(person: Person, day: str) -> list[tuple[Any, ...]]:
    response = person.get("/calendar/days", params={"from": day, "to": day})
    assert response.status_code == 200, response.text
    (found,) = response.json()["days"]
    return [
        (i["title"], i["id"], i["source"], i["age"], i["nominal_age"], i["lunar_date"])
        for i in found["items"]
        if i["kind"] == "birthday"
    ]


def test_a_contacts_lunar_birthday_is_on_its_day_and_upcoming(
    app: FastAPI, person: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the app's clock (fixed: 10:00 in Shanghai on 2026-09-25) only the birthday record
    reminds (its default: the same day at 09:00), not the contact."""
    monkeypatch.setattr(app.state.ctx, "clock", lambda: datetime(2026, 9, 25, 2, tzinfo=UTC))
    person.create("birthdays", {"name": "妈妈", "date": {"month": 9, "day": 25}})
    zhang = person.create("contacts", {"name": "张伟", "birthday": ZHANG})
    person.create("contacts", {"name": "没生日"})
    assert _birthdays_on(person, "2026-09-25") == [
        ("妈妈", person_record_id(person, "妈妈"), None, None, None, False),
        ("张伟", zhang["id"], "contact", 36, 37, True),
    ]
    response = person.get("/upcoming", params={"today": "2026-09-20", "days": 10})
    assert response.status_code == 200, response.text
    mine = [
        (i["title"], i["id"], i["source"], i["days_until"])
        for i in response.json()["items"]
        if i["kind"] == "birthday"
    ]
    assert mine == [("妈妈", person_record_id(person, "妈妈"), None, 5),
                    ("张伟", zhang["id"], "contact", 5)]  # fmt: skip
    due = person.get("/reminders/due", params={"since": "2026-09-25T00:00:00+08:00"})
    assert due.status_code == 200, due.text
    assert [r["item"]["title"] for r in due.json()["reminders"]] == ["妈妈"]


def person_record_id(person: Person, name: str) -> str:
    (found,) = [b["id"] for b in person.get("/birthdays").json()["items"] if b["name"] == name]
    return str(found)


def test_a_linked_birthday_record_shows_instead_of_the_contact(person: Person) -> None:
    zhang = person.create("contacts", {"name": "张伟", "birthday": ZHANG})
    record = person.create(
        "birthdays", {"name": "张伟（阳历）", "contact_id": zhang["id"],
                      "date": {"month": 9, "day": 26, "year": 1990}},
    )  # fmt: skip
    assert _birthdays_on(person, "2026-09-25") == []
    assert _birthdays_on(person, "2026-09-26") == [
        ("张伟（阳历）", record["id"], None, 36, 37, False)
    ]


def test_a_contact_edit_shows_at_once(person: Person) -> None:
    zhang = person.create("contacts", {"name": "张伟", "birthday": ZHANG})
    assert [t for t, *_ in _birthdays_on(person, "2026-09-25")] == ["张伟"]
    moved = person.patch(
        f"/contacts/{zhang['id']}", {"name": "张大伟", "birthday": {"month": 3, "day": 1}}
    )
    assert moved.status_code == 200, moved.text
    assert _birthdays_on(person, "2026-09-25") == []
    assert [t for t, *_ in _birthdays_on(person, "2027-03-01")] == ["张大伟"]
    assert person.delete(f"/contacts/{zhang['id']}").status_code in (200, 204)
    assert _birthdays_on(person, "2027-03-01") == []
