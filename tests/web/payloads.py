"""Hostile text for the escaping tests (issue 5 §7): one record of every kind with a payload
in every text field, and the pages that show them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '"><img src=x onerror="window.__pwned=2">'
SHORT = "<script>x()</script>"  # fits a 20-character label
RAW_MARKERS = ("<script>window", "<script>x()", "<img src=x")


def payload_records(day: date) -> list[tuple[str, dict[str, Any]]]:
    """(kind, data) pairs; contacts refer to the group by the placeholder ``GROUP``."""
    soon = day + timedelta(days=2)
    lunar = {"calendar": "lunar", "month": 8, "day": 15}
    return [
        ("group", {"name": IMG[:60]}),
        (
            "contact",
            {
                "name": SCRIPT,
                "company": IMG,
                "title": SCRIPT,
                "address": IMG + "\n" + SCRIPT,
                "notes": SCRIPT + "\n" + IMG,
                "phones": [{"label": SHORT, "value": "138 0013 8000"}],
                "emails": [{"label": SHORT, "value": "a@example.cn"}],
                "groups": ["GROUP"],
                "birthday": {"month": soon.month, "day": soon.day},
            },
        ),
        ("memo", {"title": SCRIPT, "body": IMG + "\n" + SCRIPT, "due": f"{soon}T09:00"}),
        ("birthday", {"name": SCRIPT, "date": lunar, "notes": IMG}),
        ("holiday", {"name": IMG, "date": {"month": soon.month, "day": soon.day}, "notes": SCRIPT}),
        (
            "event",
            {
                "title": SCRIPT,
                "start": f"{soon}T10:00",
                "location": IMG,
                "notes": SCRIPT,
                "rrule": "FREQ=WEEKLY",
            },
        ),
    ]


def pages_for(ids: dict[str, str]) -> list[str]:
    """Every page that shows one of the records (ids by kind)."""
    soon = date.today() + timedelta(days=2)  # where payload_records(date.today()) puts them
    return [
        "/contacts",
        "/contacts?q=script",
        f"/contacts?group={ids['group']}",
        f"/contacts/{ids['contact']}",
        f"/contacts/{ids['contact']}/edit",
        "/contacts/new",
        f"/groups/{ids['group']}/delete",
        f"/groups/{ids['group']}/edit",
        "/memos",
        f"/memos/{ids['memo']}/edit",
        "/birthdays",
        f"/birthdays/{ids['birthday']}/edit",
        "/holidays",
        f"/holidays/{ids['holiday']}/edit",
        "/events",
        f"/events/{ids['event']}/edit",
        "/upcoming",
        f"/calendar?month={soon:%Y-%m}",
        f"/calendar/day/{soon.isoformat()}",
        "/conflicts",  # sync conflicts (issue 5 §1): test_conflict_pages stores payloads in them
        "/conflicts/settled",
    ]
