"""The person's own settings through the real app, on SQLite, PostgreSQL and MariaDB (R3;
issue 5 §3): 401 without a token, the defaults, a patch that changes some fields and resets
one, a 422 naming the field with nothing changed, two people kept apart — and the calendar
routes following the person's time zone and festival choices unless the request overrides
them (issue 4 §3, §5)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

from almanac.calendar.festivals import festival_date

from .support import API, Person

DEFAULTS = {
    "language": "zh-CN",
    "clock_format": "24h",
    "clock_visible": True,
    "week_start": 1,
    "start_page": "contacts",
    "festivals_hidden": [],
    "festivals_shown": [],
    "time_zone": "Asia/Shanghai",
}
QIXI_2026 = festival_date("qixi", 2026)  # 2026-08-19
SOUTH_XIAONIAN = festival_date("xiaonian_south", 2026)  # 2027-01-31


def _settings(person: Person) -> dict[str, Any]:
    response = person.get("/settings")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _patch(person: Person, patch: Any) -> dict[str, Any]:
    response = person.patch("/settings", patch)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _festival_ids(person: Person, day: object, **params: str) -> list[str]:
    query = {"from": str(day), "to": str(day), **params}
    response = person.get("/calendar/days", params=query)
    assert response.status_code == 200, response.text
    return [f["id"] for f in response.json()["days"][0]["festivals"]]


def test_settings_need_a_token(client: TestClient) -> None:
    assert client.get(f"{API}/settings").status_code == 401
    assert client.patch(f"{API}/settings", json={"language": "en"}).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert client.get(f"{API}/settings", headers=bad).status_code == 401


def test_a_new_person_has_the_defaults(person: Person) -> None:
    assert _settings(person) == {"settings": DEFAULTS, "updated_at": None}


def test_patch_changes_the_fields_given_and_null_resets_one(person: Person) -> None:
    before = datetime.now().astimezone()
    body = _patch(person, {"language": "en", "clock_format": "12h", "week_start": 7})
    assert body["settings"] == {**DEFAULTS, "language": "en", "clock_format": "12h",
                                "week_start": 7}  # fmt: skip
    changed_at = datetime.fromisoformat(body["updated_at"])
    assert changed_at.tzinfo is not None and changed_at >= before.replace(microsecond=0)
    assert _settings(person) == body
    body = _patch(
        person,
        {"festivals_hidden": ["qixi", "chunjie"], "time_zone": "Europe/Berlin", "week_start": None},
    )
    assert body["settings"] == {
        **DEFAULTS,
        "language": "en",
        "clock_format": "12h",
        "festivals_hidden": ["chunjie", "qixi"],
        "time_zone": "Europe/Berlin",
    }
    assert _settings(person)["settings"] == body["settings"]


def test_bad_input_is_a_422_naming_the_field_and_nothing_changes(person: Person) -> None:
    _patch(person, {"language": "en"})
    kept = _settings(person)
    cases: list[tuple[Any, str, str]] = [
        ({"language": "fr"}, "language", "not_a_choice"),
        ({"week_start": 9, "language": "zh-CN"}, "week_start", "out_of_range"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "unknown_timezone"),
        ({"festivals_hidden": ["qixi", "valentine"]}, "festivals_hidden.1", "not_a_choice"),
        ({"colour": "red"}, "colour", "unknown_field"),
    ]
    for patch, field, code in cases:
        response = person.patch("/settings", patch)
        assert response.status_code == 422, (patch, response.text)
        error = response.json()["error"]
        assert error["field"] == field, (patch, error)
        assert {p["field"]: p["code"] for p in error["details"]}[field] == code
        assert _settings(person) == kept, patch  # nothing changed
    response = person.patch("/settings", ["language", "en"])
    assert response.status_code == 422
    assert _settings(person) == kept


def test_two_people_keep_their_own_settings(make_person: Callable[[], Person]) -> None:
    ann, bo = make_person(), make_person()
    _patch(ann, {"language": "en", "time_zone": "Asia/Tokyo"})
    _patch(bo, {"week_start": 7})
    assert _settings(ann)["settings"] == {**DEFAULTS, "language": "en", "time_zone": "Asia/Tokyo"}
    assert _settings(bo)["settings"] == {**DEFAULTS, "week_start": 7}


def test_two_devices_changing_different_fields_both_keep_their_change(person: Person) -> None:
    """Last writer wins field by field: a patch carries only what changed."""
    _patch(person, {"clock_format": "12h"})  # the desktop app
    _patch(person, {"language": "en"})  # the browser, which still showed 24h
    settings = _settings(person)["settings"]
    assert (settings["clock_format"], settings["language"]) == ("12h", "en")


# -- the calendar routes follow the settings ------------------------------------------------


def test_calendar_routes_use_the_persons_time_zone_unless_tz_is_given(person: Person) -> None:
    def zone_of(path: str, **params: str) -> str:
        response = person.get(path, params=params)
        assert response.status_code == 200, response.text
        return str(response.json()["timezone"])

    days = {"from": "2026-05-01", "to": "2026-05-02"}
    assert zone_of("/upcoming") == "Asia/Shanghai"
    _patch(person, {"time_zone": "Pacific/Kiritimati"})
    for path, params in (("/calendar/days", days), ("/upcoming", {}), ("/reminders/due", {})):
        assert zone_of(path, **params) == "Pacific/Kiritimati", path
        assert zone_of(path, **params, tz="Europe/Berlin") == "Europe/Berlin", path
    # UTC+14: "today" of the upcoming list is the person's day, not the server's.
    body = person.get("/upcoming").json()
    now = datetime.fromisoformat(person.get("/reminders/due").json()["now"])
    assert body["today"] == now.date().isoformat()
    assert now.utcoffset() is not None and now.utcoffset().total_seconds() == 14 * 3600


def test_calendar_routes_leave_out_the_festivals_the_person_hid(person: Person) -> None:
    assert _festival_ids(person, QIXI_2026) == ["qixi"]
    _patch(person, {"festivals_hidden": ["qixi"]})
    assert _festival_ids(person, QIXI_2026) == []
    assert _festival_ids(person, QIXI_2026, hide="") == ["qixi"]  # the request overrides
    assert _festival_ids(person, QIXI_2026, hide="guoqing") == ["qixi"]
    upcoming = person.get("/upcoming", params={"today": "2026-08-10", "days": "20"}).json()
    assert "qixi" not in [i["id"] for i in upcoming["items"] if i["kind"] == "festival"]
    upcoming = person.get(
        "/upcoming", params={"today": "2026-08-10", "days": "20", "hide": ""}
    ).json()
    assert "qixi" in [i["id"] for i in upcoming["items"] if i["kind"] == "festival"]


def test_a_festival_hidden_by_default_shows_when_the_person_turns_it_on(person: Person) -> None:
    assert _festival_ids(person, SOUTH_XIAONIAN) == []
    _patch(person, {"festivals_shown": ["xiaonian_south"]})
    assert _festival_ids(person, SOUTH_XIAONIAN) == ["xiaonian_south"]
    assert _festival_ids(person, SOUTH_XIAONIAN, hide="xiaonian_south") == []


def test_a_bad_override_is_still_named(person: Person) -> None:
    _patch(person, {"time_zone": "Asia/Tokyo"})
    response = person.get("/upcoming", params={"tz": "Nowhere/Land"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "tz"
