"""Memos (R5), birthdays and holidays (R6), events (R7, R9) and the upcoming list in the
browser (issue 5 §1): every form's happy path, its field problems, and its version check."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.testclient import TestClient

from almanac.calendar import to_lunar

from .support import post_form, records_of


def _today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


# -- memos --------------------------------------------------------------------------------


def _memo(client: TestClient, **form: str) -> object:
    return post_form(client, "/memos/new", "/memos/new", form)


def test_memos_pinned_first_and_pin_unpin(app: FastAPI, logged_in: TestClient) -> None:
    """R5: add, pin/unpin; the list shows pinned memos first."""
    assert _memo(logged_in, title="阿姨的电话", body="周三上午来打扫").status_code == 303
    assert _memo(logged_in, title="房租", body="每月5号前转账", pinned="1").status_code == 303
    html = logged_in.get("/memos").text
    titles = re.findall(
        r'<h2 class="entry-title">(?:<span class="badge">置顶</span> )?([^<]+)</h2>', html
    )
    assert titles == ["房租", "阿姨的电话"]
    first = next(m for m in records_of(app, logged_in, "memo") if m.data["title"] == "阿姨的电话")
    pinned = post_form(
        logged_in, "/memos", f"/memos/{first.id}/pin", {"pinned": "1", "version": "1"}
    )
    assert pinned.status_code == 303
    html = logged_in.get("/memos").text
    assert html.count("取消置顶") == 2
    # The list was shown at version 1; pinning again from that stale list is a conflict.
    stale = post_form(
        logged_in, "/memos", f"/memos/{first.id}/pin", {"pinned": "0", "version": "1"}
    )
    assert stale.status_code == 409 and "保存冲突" in stale.text


def test_memo_change_delete_and_problems(app: FastAPI, logged_in: TestClient) -> None:
    empty = _memo(logged_in, title="", body="只写了内容", due="2026-13-40T25:00")
    assert empty.status_code == 422
    assert 'id="err-title"' in empty.text and "只写了内容" in empty.text
    _memo(logged_in, title="体检", body="空腹", due="2026-12-05T08:00")
    (memo,) = records_of(app, logged_in, "memo")
    assert memo.data["due"].startswith("2026-12-05T08:00")
    edit = f"/memos/{memo.id}/edit"
    form = logged_in.get(edit).text
    assert 'value="2026-12-05T08:00"' in form and "空腹" in form
    changed = post_form(
        logged_in, edit, edit, {"title": "体检（改期）", "body": "空腹", "version": "1"}
    )
    assert changed.status_code == 303
    assert records_of(app, logged_in, "memo")[0].data["title"] == "体检（改期）"
    stale = post_form(logged_in, edit, edit, {"title": "别的", "version": "1"})
    assert stale.status_code == 409 and "体检（改期）" in stale.text and "别的" in stale.text
    gone = post_form(logged_in, "/memos", f"/memos/{memo.id}/delete", {"version": "2"})
    assert gone.status_code == 303 and records_of(app, logged_in, "memo") == []


# -- birthdays and holidays -----------------------------------------------------------------


def _date_form(kind: str, name: str, when: dict[str, str], **more: str) -> dict[str, str]:
    return {"name": name, **{f"date.{k}": v for k, v in when.items()}, **more}


def test_one_entry_point_with_two_buttons(logged_in: TestClient) -> None:
    """R6: a 生日 and a 节日 button on the left; the matching entries on the right."""
    html = logged_in.get("/birthdays").text
    assert 'href="/birthdays" aria-current="page"' in html and 'href="/holidays"' in html
    assert "还没有生日" in html
    html = logged_in.get("/holidays").text
    assert 'href="/holidays" aria-current="page"' in html and "还没有节日" in html
    assert "生日节日" in html  # the navigation entry


def test_a_lunar_birthday_shows_its_next_date_and_age(app: FastAPI, logged_in: TestClient) -> None:
    """R6: a lunar birthday (with its year) shows the next solar date, days until, 周岁."""
    on = _today() + timedelta(days=5)
    lunar = to_lunar(on)
    born = lunar.year - 30
    when = {"calendar": "lunar", "year": str(born), "month": str(lunar.month),
            "day": str(lunar.day)}  # fmt: skip
    if lunar.leap:  # 30 years back has no such leap month: a leap birthday without a year
        when = {**when, "year": "", "leap": "1"}
    made = post_form(logged_in, "/birthdays/new", "/birthdays/new", _date_form("b", "外婆", when))
    assert made.status_code == 303 and made.headers["location"] == "/birthdays"
    html = logged_in.get("/birthdays").text
    assert "外婆" in html and f"农历{born}年" in html if when["year"] else True
    assert on.isoformat() in html
    assert "<strong>5</strong><span>天后</span>" in html
    if when["year"]:
        assert "30 周岁" in html


def test_a_solar_birthday_and_problems_by_field(app: FastAPI, logged_in: TestClient) -> None:
    bad = _date_form("b", "", {"calendar": "lunar", "year": "2026", "month": "6", "day": "1",
                               "leap": "1"})  # fmt: skip
    response = post_form(logged_in, "/birthdays/new", "/birthdays/new", bad)
    assert response.status_code == 422
    assert 'id="err-name"' in response.text
    fixed = {**bad, "name": "小明"}
    response = post_form(logged_in, "/birthdays/new", "/birthdays/new", fixed)
    assert response.status_code == 422  # 2026 has no 闰六月
    assert 'id="err-date.leap"' in response.text and "这一年没有这个闰月" in response.text
    assert 'value="小明"' in response.text and 'name="date.leap" value="1" checked' in response.text
    ok = {**fixed, "date.calendar": "solar", "date.leap": "", "date.year": "2020"}
    ok["date.month"], ok["date.day"] = "2", "29"
    assert post_form(logged_in, "/birthdays/new", "/birthdays/new", ok).status_code == 303
    (stored,) = records_of(app, logged_in, "birthday")
    assert stored.data["date"]["month"] == 2 and stored.data["date"]["day"] == 29
    edit = f"/birthdays/{stored.id}/edit"
    changed = post_form(logged_in, edit, edit, {**ok, "name": "小明明", "version": "1"})
    assert changed.status_code == 303
    stale = post_form(logged_in, edit, edit, {**ok, "name": "别名", "version": "1"})
    assert stale.status_code == 409 and "小明明" in stale.text
    assert post_form(logged_in, "/birthdays", f"/birthdays/{stored.id}/delete",
                     {"version": "2"}).status_code == 303  # fmt: skip
    assert records_of(app, logged_in, "birthday") == []


def test_holidays_yearly_or_once(app: FastAPI, logged_in: TestClient) -> None:
    """R6: a yearly solar holiday with its anniversary; a one-off needs a year."""
    soon = _today() + timedelta(days=10)
    when = {"calendar": "solar", "year": str(soon.year - 5), "month": str(soon.month),
            "day": str(soon.day)}  # fmt: skip
    form = _date_form("h", "结婚纪念日", when, yearly="1")
    assert post_form(logged_in, "/holidays/new", "/holidays/new", form).status_code == 303
    html = logged_in.get("/holidays").text
    assert "结婚纪念日" in html and "第 5 年" in html and "<strong>10</strong>" in html
    once = _date_form("h", "搬家", {"calendar": "solar", "month": "3", "day": "1"})
    response = post_form(logged_in, "/holidays/new", "/holidays/new", once)
    assert response.status_code == 422 and 'id="err-date.year"' in response.text
    assert "非每年重复的节日需要填写年份" in response.text
    new_form = logged_in.get("/holidays/new").text
    assert 'name="yearly" value="1" checked' in new_form  # yearly unless unticked


# -- events -------------------------------------------------------------------------------


def test_events_timed_all_day_and_repeating(app: FastAPI, logged_in: TestClient) -> None:
    """R7/R9: a timed weekly event and an all-day one show among the next 60 days."""
    start = _today() + timedelta(days=1)
    weekly = {"title": "羽毛球", "start_date": start.isoformat(), "start_time": "19:00",
              "end_time": "21:00", "rrule": "FREQ=WEEKLY", "location": "体育馆"}  # fmt: skip
    assert post_form(logged_in, "/events/new", "/events/new", weekly).status_code == 303
    trip = {"title": "去苏州", "all_day": "1",
            "start_date": (start + timedelta(days=3)).isoformat(),
            "end_date": (start + timedelta(days=4)).isoformat()}  # fmt: skip
    assert post_form(logged_in, "/events/new", "/events/new", trip).status_code == 303
    stored = {r.data["title"]: r for r in records_of(app, logged_in, "event")}
    assert stored["羽毛球"].data["rrule"] == "FREQ=WEEKLY"
    assert stored["去苏州"].data["all_day"] is True
    html = logged_in.get("/events").text
    section = html.split('class="entries occurrences"')[1].split("</ul>")[0]
    assert section.count("羽毛球") >= 8  # weekly for 60 days
    assert section.count("19:00–21:00") >= 8 and "去苏州" in section
    assert "每周" in html and "体育馆" in html
    edit = f"/events/{stored['羽毛球'].id}/edit"
    form = logged_in.get(edit).text
    assert '<option value="FREQ=WEEKLY" selected>' in form and 'value="19:00"' in form


def test_event_problems_and_a_custom_rule_kept(app: FastAPI, logged_in: TestClient) -> None:
    day = (_today() + timedelta(days=2)).isoformat()
    early = {"title": "会议", "start_date": day, "start_time": "10:00", "end_time": "09:00"}
    response = post_form(logged_in, "/events/new", "/events/new", early)
    assert response.status_code == 422
    assert 'id="err-end_date"' in response.text and "不能早于开始时间" in response.text
    no_time = {"title": "会议", "start_date": day}
    response = post_form(logged_in, "/events/new", "/events/new", no_time)
    assert response.status_code == 422 and 'id="err-start_time"' in response.text
    owner = app.state.ctx.records
    from .support import owner_id

    made = owner.create(owner_id(app, logged_in), "event", {
        "title": "例会", "start": f"{day}T09:00", "rrule": "FREQ=WEEKLY;BYDAY=MO,WE"})  # fmt: skip
    form = logged_in.get(f"/events/{made.id}/edit").text
    assert (
        '<option value="FREQ=WEEKLY;BYDAY=MO,WE" selected>自定义：FREQ=WEEKLY;BYDAY=MO,WE' in form
    )
    edit = f"/events/{made.id}/edit"
    again = {"title": "例会（改）", "start_date": day, "start_time": "09:30",
             "rrule": "FREQ=WEEKLY;BYDAY=MO,WE", "version": "1"}  # fmt: skip
    assert post_form(logged_in, edit, edit, again).status_code == 303
    (event,) = records_of(app, logged_in, "event")
    assert event.data["rrule"] == "FREQ=WEEKLY;BYDAY=MO,WE" and event.data["start"].endswith(
        "09:30:00"
    )
    stale = post_form(logged_in, edit, edit, {**again, "title": "冲突"})
    assert stale.status_code == 409 and "例会（改）" in stale.text


# -- upcoming -----------------------------------------------------------------------------


def test_upcoming_lists_the_next_30_days_with_days_until(
    app: FastAPI, logged_in: TestClient
) -> None:
    """R6/R9: the upcoming list from the calendar's Agenda, each with its days until."""
    on = _today() + timedelta(days=3)
    bday = _date_form("b", "李老师", {"calendar": "solar", "year": str(on.year - 60),
                                     "month": str(on.month), "day": str(on.day)})  # fmt: skip
    post_form(logged_in, "/birthdays/new", "/birthdays/new", bday)
    far = _today() + timedelta(days=45)
    for title, day, clock in (("远方的会", far, "09:00"), ("今天的会", _today(), "23:59")):
        event = {"title": title, "start_date": day.isoformat(), "start_time": clock}
        assert post_form(logged_in, "/events/new", "/events/new", event).status_code == 303
    html = logged_in.get("/upcoming").text
    assert "李老师" in html and "60 周岁" in html and "<strong>3</strong>" in html
    assert "今天的会" in html and "<strong>今天</strong>" in html
    assert "远方的会" not in html
    assert 'href="/upcoming" aria-current="page"' in html


def test_every_module_speaks_english_on_request(logged_in: TestClient) -> None:
    """R2: Chinese first, English when asked; the navigation follows."""
    expected = {
        "/contacts": ("New contact", "Groups"),
        "/contacts/new": ("New contact", "Birthday"),
        "/memos": ("Memos", "New memo"),
        "/birthdays": ("Birthdays", "Holidays"),
        "/holidays/new": ("Add holiday", "Every year"),
        "/events": ("Next 60 days", "All events"),
        "/events/new": ("Repeat", "Does not repeat"),
        "/upcoming": ("Upcoming", "Nothing in the next 30 days."),
    }
    for path, words in expected.items():
        html = logged_in.get(path, params={"lang": "en"}).text
        assert all(word in html for word in words), path
        assert "Birthdays &amp; holidays" in html and "备忘录" not in html, path
    assert "备忘录" in logged_in.get("/memos", params={"lang": "zh"}).text
