"""An operator adds a newly published year's official schedule (调休) without a new release
(issue 4 §4; R6, R7): ALMANAC_HOLIDAY_SCHEDULE names a holiday-cn-shaped file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from almanac.errors import InvalidInput
from almanac.server.app import create_app

from .support import cheap_settings, new_person

# A made-up year far ahead, so the shipped dataset can never already hold it.
YEAR_2090 = {
    "year": 2090,
    "days": [
        {"name": "元旦", "date": "2090-01-02", "isOffDay": True},
        {"name": "元旦", "date": "2090-01-07", "isOffDay": False},
    ],
}


def _status(client: TestClient, day: str) -> dict[str, object]:
    person = new_person(client)
    response = person.get("/calendar/days", params={"from": day, "to": day})
    assert response.status_code == 200, response.text
    status: dict[str, object] = response.json()["days"][0]["status"]
    return status


def test_the_operators_file_adds_a_year(tmp_path: Path) -> None:
    schedule = tmp_path / "holidays-2090.json"
    schedule.write_text(json.dumps(YEAR_2090, ensure_ascii=False), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'a.db'}"
    with TestClient(create_app(cheap_settings(tmp_path, db))) as plain:
        assert _status(plain, "2090-01-02")["kind"] == "unknown"  # not yet published
    settings = cheap_settings(tmp_path, db, holiday_schedule=schedule)
    with TestClient(create_app(settings)) as client:
        off = _status(client, "2090-01-02")
        assert (off["kind"], off["name"], off["off"]) == ("holiday", "元旦", True)
        makeup = _status(client, "2090-01-07")  # a Saturday worked in exchange
        assert (makeup["kind"], makeup["makeup"]) == ("workday", True)
        ordinary = _status(client, "2090-01-03")
        assert ordinary["kind"] == "workday" and ordinary["published"] is True
        shipped = _status(client, "2026-02-17")  # the shipped years are still there
        assert shipped["kind"] == "holiday"


def test_an_unreadable_file_stops_the_start_with_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    settings = cheap_settings(tmp_path, f"sqlite:///{tmp_path / 'a.db'}", holiday_schedule=broken)
    with pytest.raises(InvalidInput) as caught:
        create_app(settings)
    assert "broken.json" in caught.value.message
