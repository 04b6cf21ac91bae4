"""The calendar routes through the real app (issue 4 item 7; R6, R7, R9): the days of a view
with lunar dates, terms, festivals, 调休 and the person's own items; upcoming; due reminders;
the 422s that name the parameter at fault; and isolation between people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI

from .support import Person

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _days(person: Person, start: str, end: str, **params: Any) -> dict[str, Any]:
    response = person.get("/calendar/days", params={"from": start, "to": end, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _error(response: Any) -> tuple[int, str | None, str]:
    body = response.json()["error"]
    return response.status_code, body.get("field"), body["code"]


def test_days_of_spring_festival_2026_with_a_lunar_birthday(person: Person) -> None:
    mum = person.create(
        "birthdays",
        {"name": "妈妈", "date": {"calendar": "lunar", "month": 12, "day": 30, "year": 1961}},
    )
    body = _days(person, "2026-02-14", "2026-02-17")
    assert body["timezone"] == "Asia/Shanghai"
    days = {d["date"]: d for d in body["days"]}
    assert list(days) == ["2026-02-14", "2026-02-15", "2026-02-16", "2026-02-17"]
    first = days["2026-02-17"]
    assert first["lunar"]["text"] == "正月初一"
    assert first["lunar"]["full_text"] == "丙午年正月初一"
    assert (first["lunar"]["ganzhi"], first["lunar"]["zodiac"]) == ("丙午", "马")
    assert [f["name"] for f in first["festivals"]] == ["春节"]
    assert first["status"] == {
        "kind": "holiday", "name": "春节", "makeup": False, "off": True, "published": True
    }  # fmt: skip
    makeup = days["2026-02-14"]["status"]
    assert makeup["kind"] == "workday" and makeup["makeup"] is True and makeup["off"] is False
    eve = days["2026-02-16"]
    assert eve["lunar"]["text"] == "腊月廿九"
    assert [f["id"] for f in eve["festivals"]] == ["chuxi"]
    (item,) = eve["items"]
    assert (item["kind"], item["title"], item["id"]) == ("birthday", "妈妈", mum["id"])
    assert (item["age"], item["nominal_age"], item["lunar_date"]) == (64, 65, True)
    assert eve["weekday"] == 1


def test_terms_unpublished_years_and_hidden_festivals(person: Person) -> None:
    qingming = _days(person, "2026-04-05", "2026-04-05")["days"][0]
    assert [(t["key"], t["name"]) for t in qingming["terms"]] == [("qingming", "清明")]
    later = _days(person, "2030-10-01", "2030-10-01")["days"][0]
    assert later["status"]["kind"] == "unknown"
    assert later["status"]["published"] is False and later["status"]["off"] is None
    assert [f["id"] for f in later["festivals"]] == ["guoqing"]
    hidden = _days(person, "2030-10-01", "2030-10-01", hide="guoqing, qixi")["days"][0]
    assert hidden["festivals"] == []


def test_events_with_exceptions_and_a_memo_show_on_their_days(person: Person) -> None:
    event = person.create(
        "events",
        {
            "title": "例会",
            "start": "2026-03-02T09:00",
            "end": "2026-03-02T10:00",
            "rrule": "FREQ=WEEKLY;COUNT=4",
            "exdates": ["2026-03-09"],
            "moves": [{"original": "2026-03-16T09:00", "start": "2026-03-17T14:00"}],
        },
    )
    person.create("memos", {"title": "交水费", "due": "2026-03-23T18:00"})
    days = {d["date"]: d for d in _days(person, "2026-03-02", "2026-03-23")["days"]}
    assert [i["start"] for i in days["2026-03-02"]["items"]] == ["2026-03-02T09:00:00+08:00"]
    assert days["2026-03-09"]["items"] == []
    assert days["2026-03-16"]["items"] == []
    (moved,) = days["2026-03-17"]["items"]
    assert (moved["id"], moved["start"], moved["end"]) == (
        event["id"], "2026-03-17T14:00:00+08:00", "2026-03-17T15:00:00+08:00"
    )  # fmt: skip
    titles = [(i["kind"], i["title"]) for i in days["2026-03-23"]["items"]]
    assert titles == [("event", "例会"), ("memo", "交水费")]
    # the viewer's zone decides the day and the shown time
    utc = {d["date"]: d for d in _days(person, "2026-03-02", "2026-03-02", tz="UTC")["days"]}
    assert [i["start"] for i in utc["2026-03-02"]["items"]] == ["2026-03-02T09:00:00+08:00"]


def test_all_day_items_have_dates(person: Person) -> None:
    person.create(
        "events", {"title": "出差", "all_day": True, "start": "2026-05-06", "end": "2026-05-07"}
    )
    days = _days(person, "2026-05-06", "2026-05-08")["days"]
    assert [[(i["start"], i["end"]) for i in d["items"]] for d in days] == [
        [("2026-05-06", "2026-05-07")],
        [("2026-05-06", "2026-05-07")],
        [],
    ]


def test_range_and_parameter_errors_name_the_parameter(person: Person) -> None:
    def days(**params: str) -> tuple[int, str | None, str]:
        return _error(person.get("/calendar/days", params=params))

    assert days(to="2026-01-01") == (422, "from", "required")
    assert days(**{"from": "2026-01-01"}) == (422, "to", "required")
    assert days(**{"from": "2026-13-01", "to": "2026-12-31"})[:2] == (422, "from")
    assert days(**{"from": "2026-02-01", "to": "2026-01-01"}) == (422, "to", "out_of_range")
    assert days(**{"from": "2026-01-01", "to": "2027-01-02"}) == (422, "to", "range_too_long")
    assert days(**{"from": "1900-12-31", "to": "1901-01-01"}) == (422, "from", "out_of_range")
    assert days(**{"from": "2099-12-31", "to": "2100-01-01"}) == (422, "to", "out_of_range")
    ok = {"from": "2026-01-01", "to": "2026-12-31"}
    assert len(_days(person, **{"start": ok["from"], "end": ok["to"]})["days"]) == 365
    assert days(**ok, tz="Mars/Olympus") == (422, "tz", "unknown_timezone")
    assert days(**ok, tz="../etc/passwd") == (422, "tz", "unknown_timezone")
    assert days(**ok, hide="chunjie,nosuch") == (422, "hide.1", "not_a_choice")
    assert _error(person.get("/upcoming", params={"days": 0}))[:2] == (422, "days")
    assert _error(person.get("/upcoming", params={"days": 367}))[:2] == (422, "days")
    assert _error(person.get("/upcoming", params={"tz": "Nowhere"}))[:2] == (422, "tz")
    assert _error(person.get("/reminders/due", params={"since": "yesterday"}))[:2] == (
        422, "since"
    )  # fmt: skip
    old = (datetime.now(SHANGHAI) - timedelta(days=400)).isoformat()
    assert _error(person.get("/reminders/due", params={"since": old})) == (
        422, "since", "out_of_range"
    )  # fmt: skip


def test_upcoming_lists_birthdays_with_the_age_they_turn(person: Person) -> None:
    person.create("birthdays", {"name": "小明", "date": {"month": 10, "day": 3, "year": 2016}})
    person.create("holidays", {"name": "结婚纪念日", "date": {"month": 9, "day": 28, "year": 2020}})
    person.create("memos", {"title": "续签合同", "due": "2026-10-02T10:00"})
    person.create("memos", {"title": "没有期限"})
    response = person.get("/upcoming", params={"today": "2026-09-25", "days": 10})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["today"] == "2026-09-25"
    mine = [
        (i["kind"], i["title"], i["days_until"], i["age"])
        for i in body["items"]
        if i["kind"] != "festival"
    ]
    assert mine == [
        ("holiday", "结婚纪念日", 3, 6),
        ("memo", "续签合同", 7, None),
        ("birthday", "小明", 8, 10),
    ]
    festivals = [(i["id"], i["days_until"]) for i in body["items"] if i["kind"] == "festival"]
    assert ("zhongqiu", 0) in festivals and ("guoqing", 6) in festivals
    default = person.get("/upcoming").json()
    assert all(0 <= i["days_until"] <= 30 for i in default["items"])


def test_due_reminders_fire_for_the_past_window(person: Person) -> None:
    now = datetime.now(SHANGHAI).replace(second=0, microsecond=0)
    due_at = now - timedelta(hours=2)
    memo = person.create(
        "memos",
        {
            "title": "给爸爸打电话",
            "due": due_at.replace(tzinfo=None).isoformat(),
            "reminders": [{"days_before": 0, "at": None}],
        },
    )
    person.create(  # no reminder: never due
        "memos", {"title": "无提醒", "due": due_at.replace(tzinfo=None).isoformat()}
    )
    future = now + timedelta(days=3)
    person.create(
        "memos",
        {"title": "以后", "due": future.replace(tzinfo=None).isoformat(),
         "reminders": [{"days_before": 1, "at": None}]},
    )  # fmt: skip
    response = person.get("/reminders/due")
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(r["item"]["title"], r["item"]["id"]) for r in body["reminders"]] == [
        ("给爸爸打电话", memo["id"])
    ]
    (reminder,) = body["reminders"]
    assert reminder["missed"] is True and reminder["at"] is None
    assert datetime.fromisoformat(reminder["fire_at"]) == due_at
    assert reminder["key"].startswith(f"memo:{memo['id']}:")
    # a check made after it fired no longer returns it
    since = (now - timedelta(hours=1)).isoformat()
    later = person.get("/reminders/due", params={"since": since}).json()
    assert later["reminders"] == []


def test_each_person_sees_only_their_own_items(make_person) -> None:
    alice, bob = make_person(), make_person()
    alice.create("birthdays", {"name": "爱丽丝的妈妈", "date": {"month": 3, "day": 8}})
    bob.create("birthdays", {"name": "鲍勃的爸爸", "date": {"month": 3, "day": 8}})
    bob.create("events", {"title": "鲍勃的会", "start": "2026-03-08T10:00"})

    def titles(p: Person) -> list[str]:
        day = _days(p, "2026-03-08", "2026-03-08")["days"][0]
        return [i["title"] for i in day["items"]]

    assert titles(alice) == ["爱丽丝的妈妈"]
    assert titles(bob) == ["鲍勃的爸爸", "鲍勃的会"]
    up = alice.get("/upcoming", params={"today": "2026-03-01", "days": 10}).json()
    assert [i["title"] for i in up["items"] if i["kind"] != "festival"] == ["爱丽丝的妈妈"]


def test_the_routes_need_a_token(client) -> None:
    for path in ("/calendar/days?from=2026-01-01&to=2026-01-02", "/upcoming", "/reminders/due"):
        response = client.get("/api/v1" + path)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"


def test_today_and_now_are_the_persons_on_the_apps_clock(
    app: FastAPI, person: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's clock (fixed: 02:00 UTC on 10 March 2026) read in the person's zone — still
    9 March in Los Angeles; ``tz`` asks for another zone."""
    monkeypatch.setattr(app.state.ctx, "clock", lambda: datetime(2026, 3, 10, 2, tzinfo=UTC))
    assert person.patch("/settings", json={"time_zone": "America/Los_Angeles"}).status_code == 200
    up = person.get("/upcoming", params={"days": 1}).json()
    assert (up["today"], up["timezone"]) == ("2026-03-09", "America/Los_Angeles")
    assert person.get("/upcoming", params={"tz": "Asia/Shanghai"}).json()["today"] == "2026-03-10"
    assert person.get("/reminders/due").json()["now"] == "2026-03-09T19:00:00-07:00"
