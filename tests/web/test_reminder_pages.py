"""Reminders in the web pages, in-process (issue 4 §6, issue 5 §1; R6, R7, R9): the reminder
rows of the birthday, holiday, event and memo forms are saved and shown, a bad row is named
(``reminders.0.days_before``) with what was typed kept and nothing stored; the birthday form's
default and "不提醒"; ``GET /reminders/due.json`` answers only the logged-in person, about
their own records, computed in their time zone, missed ones marked."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.testclient import TestClient

from .support import login, owner_id, post_form, records_of, register

BIRTHDAY = {"name": "妈妈", "date.calendar": "lunar", "date.month": "8", "date.day": "15"}
HOLIDAY = {"name": "结婚纪念日", "date.calendar": "solar", "date.month": "5", "date.day": "20",
           "yearly": "1"}  # fmt: skip
EVENT = {"title": "周会", "start_date": "2026-12-01", "start_time": "10:00"}
MEMO = {"title": "交水费", "body": "", "due": "2026-12-05T18:00"}
FORMS = {"birthday": BIRTHDAY, "holiday": HOLIDAY, "event": EVENT, "memo": MEMO}


def _rows(*rows: tuple[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for i, (days, at) in enumerate(rows):
        found[f"reminders.{i}.days_before"] = days
        found[f"reminders.{i}.at"] = at
    return found


def _add(client: TestClient, kind: str, **extra: str) -> Any:
    page = f"/{kind}s/new"
    return post_form(client, page, page, {**FORMS[kind], **extra})


def _input(html: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    assert found, name
    return found.group(1)


def _chips(html: str) -> list[str]:
    return re.findall(r'class="reminder-chip">([^<]*)<', html)


def test_each_kind_saves_its_reminder_rows_and_lists_them(
    app: FastAPI, logged_in: TestClient
) -> None:
    shown = {"birthday": "/birthdays", "holiday": "/holidays", "event": "/events", "memo": "/memos"}
    for kind in FORMS:
        # a gap between typed rows closes up; an empty time is the item's own time
        typed = {**_rows(("1", "08:30"), ("", ""), ("０", "")), "reminders.5.days_before": "7"}
        assert _add(logged_in, kind, **typed).status_code == 303, kind
        (record,) = records_of(app, logged_in, kind)
        assert record.data["reminders"] == [
            {"days_before": 1, "at": "08:30"},
            {"days_before": 0, "at": None},
            {"days_before": 7, "at": None},
        ], kind
        own = "09:00" if kind in ("birthday", "holiday") else "按时"
        assert _chips(logged_in.get(shown[kind]).text) == [
            "提前1天 08:30",
            f"当天 {own}",
            f"提前7天 {own}",
        ], kind
        form = logged_in.get(f"/{kind}s/{record.id}/edit").text
        assert _input(form, "reminders.0.days_before") == "1"
        assert _input(form, "reminders.0.at") == "08:30"
        assert _input(form, "reminders.2.days_before") == "7"
        assert _input(form, "reminders.3.days_before") == ""  # one empty row offered


def test_a_change_replaces_the_rows_and_emptying_them_removes_the_reminders(
    app: FastAPI, logged_in: TestClient
) -> None:
    assert _add(logged_in, "event", **_rows(("2", "20:00"))).status_code == 303
    (event,) = records_of(app, logged_in, "event")
    edit = f"/events/{event.id}/edit"
    sent = {**EVENT, **_rows(("", ""), ("3", "07:15")), "version": str(event.version)}
    assert post_form(logged_in, edit, edit, sent).status_code == 303
    (event,) = records_of(app, logged_in, "event")
    assert event.data["reminders"] == [{"days_before": 3, "at": "07:15"}]
    sent = {**EVENT, **_rows(("", "")), "version": str(event.version)}
    assert post_form(logged_in, edit, edit, sent).status_code == 303
    (event,) = records_of(app, logged_in, "event")
    assert "reminders" not in event.data  # none: left out, as before reminders existed
    assert _chips(logged_in.get("/events").text) == []


def test_a_bad_row_is_named_with_what_was_typed_kept(app: FastAPI, logged_in: TestClient) -> None:
    typed = _rows(("1", "09:00"), ("三", "25:99"), ("400", "07:00"))
    answer = _add(logged_in, "memo", **typed)
    assert answer.status_code == 422
    html = answer.text
    assert 'id="err-reminders.1.days_before">请填写数字' in html
    assert 'id="err-reminders.2.days_before">超出范围' in html
    assert 'aria-invalid="true"' in html
    for name, value in typed.items():
        assert _input(html, name) == value, name
    assert _input(html, "title") == "交水费"
    assert records_of(app, logged_in, "memo") == []
    answer = _add(logged_in, "event", **_rows(("1", "9点")))
    assert 'id="err-reminders.0.at">请填写时间（时:分）' in answer.text
    assert records_of(app, logged_in, "event") == []


def test_more_rows_than_allowed_are_refused(app: FastAPI, logged_in: TestClient) -> None:
    answer = _add(logged_in, "holiday", **_rows(*[(str(n), "09:00") for n in range(11)]))
    assert answer.status_code == 422
    assert 'id="err-reminders">' in answer.text
    assert records_of(app, logged_in, "holiday") == []


def test_the_birthday_default_and_turning_it_off(app: FastAPI, logged_in: TestClient) -> None:
    form = logged_in.get("/birthdays/new").text
    assert "不设置提醒时，生日当天 09:00 提醒。" in form
    assert _add(logged_in, "birthday").status_code == 303
    (birthday,) = records_of(app, logged_in, "birthday")
    assert "reminders" not in birthday.data  # null: the default reminder
    assert _chips(logged_in.get("/birthdays").text) == ["当天 09:00（默认）"]
    edit = f"/birthdays/{birthday.id}/edit"
    off = {**BIRTHDAY, "reminders_off": "1", "version": str(birthday.version)}
    assert post_form(logged_in, edit, edit, off).status_code == 303
    (birthday,) = records_of(app, logged_in, "birthday")
    assert birthday.data["reminders"] == []
    assert _chips(logged_in.get("/birthdays").text) == []
    assert re.search(r'name="reminders_off" value="1" checked', logged_in.get(edit).text)
    # "no reminder" and rows at once: refused, both kept
    both = {**off, "version": str(birthday.version), **_rows(("1", "09:00"))}
    answer = post_form(logged_in, edit, edit, both)
    assert answer.status_code == 422
    assert 'id="err-reminders_off">选择“不提醒”时请清空提醒行' in answer.text
    assert _input(answer.text, "reminders.0.days_before") == "1"


def test_english_pages_say_the_reminders_in_english(app: FastAPI, logged_in: TestClient) -> None:
    app.state.ctx.preferences.update(owner_id(app, logged_in), {"language": "en"})
    assert _add(logged_in, "event", **_rows(("1", "08:30"), ("0", ""))).status_code == 303
    assert _chips(logged_in.get("/events").text) == ["1 d before 08:30", "on the day on time"]
    assert "＋ Add a reminder" in logged_in.get("/events/new").text
    assert 'data-missed="Reminders you missed while away"' in logged_in.get("/events").text


# -- GET /reminders/due.json ---------------------------------------------------------------


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _day_long_event(app: FastAPI, owner: int, title: str, fire: datetime) -> None:
    """An all-day event on ``fire``'s day with a reminder at ``fire``'s time of day: it fires
    at that wall-clock time in the person's zone."""
    data = {"title": title, "all_day": True, "start": fire.date().isoformat(),
            "reminders": [{"days_before": 0, "at": fire.strftime("%H:%M")}]}  # fmt: skip
    app.state.ctx.records.create(owner, "event", data)


def _due(client: TestClient, since: datetime | None = None) -> Any:
    query = {"since": since.isoformat()} if since else {}
    answer = client.get("/reminders/due.json", params=query)
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    return answer.json()


def test_due_reminders_only_for_the_logged_in_person(
    app: FastAPI, logged_in: TestClient, client_factory: Any
) -> None:
    other = client_factory()
    assert register(other, "lifang").status_code == 303
    assert login(other, "lifang").status_code == 303
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    _day_long_event(app, owner_id(app, logged_in), "王的会", _minute(now - timedelta(minutes=1)))
    _day_long_event(app, owner_id(app, other), "李的会", _minute(now - timedelta(minutes=1)))
    mine = [r["title"] for r in _due(logged_in)["reminders"]]
    theirs = [r["title"] for r in _due(other)["reminders"]]
    assert mine == ["王的会"] and theirs == ["李的会"]
    stranger = client_factory()
    answer = stranger.get("/reminders/due.json")
    assert answer.status_code == 401
    assert answer.json() == {"error": "not_authenticated"}


def test_due_and_missed_in_the_persons_time_zone(app: FastAPI, logged_in: TestClient) -> None:
    owner = owner_id(app, logged_in)
    zone = ZoneInfo("America/New_York")
    app.state.ctx.preferences.update(owner, {"time_zone": "America/New_York"})
    now = datetime.now(zone)
    _day_long_event(app, owner, "刚到", _minute(now - timedelta(minutes=1)))
    _day_long_event(app, owner, "错过", _minute(now - timedelta(minutes=40)))
    _day_long_event(app, owner, "还没到", _minute(now + timedelta(minutes=30)))
    # the same wall-clock times in Shanghai are half a day away: none of them
    body = _due(logged_in, since=now - timedelta(hours=1))
    assert body["timezone"] == "America/New_York"
    assert body["now"].endswith(now.strftime("%z")[:3] + ":" + now.strftime("%z")[3:])
    found = {r["title"]: r for r in body["reminders"]}
    assert set(found) == {"刚到", "错过"}
    assert found["刚到"]["missed"] is False and found["错过"]["missed"] is True
    assert found["刚到"]["days_until"] == 0
    assert found["刚到"]["link"].startswith("/events/") and found["刚到"]["kind"] == "event"
    # the next question, from the last answer's "now": nothing again
    assert _due(logged_in, since=datetime.fromisoformat(body["now"]))["reminders"] == []


def test_a_birthday_reminder_says_the_age_and_the_days_until(
    app: FastAPI, logged_in: TestClient
) -> None:
    owner = owner_id(app, logged_in)
    fire = _minute(datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(minutes=2))
    day = fire.date() + timedelta(days=3)
    data = {"name": "爸爸", "date": {"calendar": "solar", "year": day.year - 60,
            "month": day.month, "day": day.day},
            "reminders": [{"days_before": 3, "at": fire.strftime("%H:%M")}]}  # fmt: skip
    app.state.ctx.records.create(owner, "birthday", data)
    (found,) = _due(logged_in, since=fire - timedelta(minutes=1))["reminders"]
    assert (found["title"], found["days_until"], found["age"]) == ("爸爸", 3, 60)
    assert found["when"] == day.isoformat()
    assert found["link"].startswith("/birthdays/") and found["link"].endswith("/edit")


def test_since_is_checked_and_reaches_back_a_week_at_most(logged_in: TestClient) -> None:
    answer = logged_in.get("/reminders/due.json", params={"since": "yesterday"})
    assert answer.status_code == 422
    assert answer.json() == {"error": "invalid_input", "field": "since"}
    body = _due(logged_in, since=datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC")))
    now, since = datetime.fromisoformat(body["now"]), datetime.fromisoformat(body["since"])
    assert now - since == timedelta(days=7)
    body = _due(logged_in)  # no since: a week back
    assert datetime.fromisoformat(body["now"]) - datetime.fromisoformat(body["since"]) == (
        timedelta(days=7)
    )


def test_asking_changes_nothing(app: FastAPI, logged_in: TestClient) -> None:
    owner = owner_id(app, logged_in)
    _day_long_event(app, owner, "会", _minute(datetime.now(ZoneInfo("Asia/Shanghai"))))
    before = app.state.ctx.records.last_change_no(owner)
    first = _due(logged_in)["reminders"]
    assert _due(logged_in)["reminders"] == first  # the browser keeps what it showed
    assert app.state.ctx.records.last_change_no(owner) == before
