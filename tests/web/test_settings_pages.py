"""The settings page and the server following the settings (R3; issue 5 §3, issue 4 §3/§5),
in-process: every setting shown with its label, a save changes only what was changed, a bad
field is named with what was typed kept and nothing changed, the language of a logged-in
person's pages, the language switch (a CSRF-checked POST), the start page, and the upcoming
page in the person's time zone without the festivals they hid."""

from __future__ import annotations

import html as htmllib
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.testclient import TestClient

from almanac.calendar.festivals import FESTIVALS, festivals_between

from .support import csrf_from, login, owner_id, post_form, register

FIELDS = ("language", "clock_format", "clock_visible", "week_start", "start_page", "time_zone")


def _prefs(app: FastAPI, client: TestClient) -> Any:
    return app.state.ctx.preferences.get(owner_id(app, client))


def _found(pattern: str, html: str) -> str:
    match = re.search(pattern, html, re.S)
    assert match, pattern
    return htmllib.unescape(match.group(1))


def _form(html: str) -> dict[str, Any]:
    """The settings form as the browser would send it untouched (ticked boxes, selections)."""
    form: dict[str, Any] = {"base": _found(r'name="base" value="([^"]*)"', html)}
    for name in ("language", "start_page", "week_start", "time_zone"):
        select = re.search(rf'<select id="f-{name}" name="{name}".*?</select>', html, re.S)
        assert select, name
        chosen = re.search(r'<option value="([^"]*)" selected>', select.group(0))
        assert chosen, name
        form[name] = chosen.group(1)
    form["clock_format"] = _found(r'name="clock_format" value="([^"]*)" checked', html)
    if re.search(r'name="clock_visible" value="1" checked', html):
        form["clock_visible"] = "1"
    form["time_zone_other"] = _found(r'name="time_zone_other" type="text" value="([^"]*)"', html)
    form["festival"] = re.findall(r'name="festival" value="([^"]*)" checked', html)
    return form


def _save(client: TestClient, html: str, **changes: Any) -> Any:
    """Send the form of ``html`` with ``changes`` (``None``: a box left unticked)."""
    form = {**_form(html), **changes, "csrf_token": csrf_from(html)}
    return client.post("/settings", data={k: v for k, v in form.items() if v is not None})


def test_the_page_shows_every_setting_with_its_label(logged_in: TestClient) -> None:
    html = logged_in.get("/settings").text
    assert "<h1>设置</h1>" in html
    for label in ("界面语言", "时钟格式", "24 小时制", "12 小时制", "显示时钟",
                  "每周从哪天开始", "星期一", "起始页", "时区", "北京时间", "显示哪些节日",
                  "传统节日（农历）", "公共节日与纪念日（公历）"):  # fmt: skip
        assert label in html, label
    form = _form(html)
    assert (form["language"], form["start_page"], form["week_start"]) == ("zh-CN", "contacts", "1")
    assert (form["clock_format"], form["clock_visible"]) == ("24h", "1")
    assert form["time_zone"] == "Asia/Shanghai"
    shown = {f.id for f in FESTIVALS if not f.hidden_by_default}
    assert set(form["festival"]) == shown
    for f in FESTIVALS:  # every festival by name, ticked when shown
        assert f'value="{f.id}"' in html and f.name in html
    assert "农历七月初七" in html and "10月1日" in html and "默认不显示" in html
    assert '<a href="/settings" aria-current="page">设置</a>' in html
    assert 'data-clock-format="24h" data-clock-visible="1" data-week-start="1"' in html


def test_saving_changes_the_settings_and_says_so(app: FastAPI, logged_in: TestClient) -> None:
    html = logged_in.get("/settings").text
    festivals = [f for f in _form(html)["festival"] if f != "qixi"] + ["xiaonian_south"]
    response = _save(
        logged_in,
        html,
        language="en",
        clock_format="12h",
        clock_visible=None,
        week_start="7",
        start_page="upcoming",
        time_zone="Asia/Tokyo",
        festival=festivals,
    )
    assert response.status_code == 303 and response.headers["location"] == "/settings?saved=1"
    prefs = _prefs(app, logged_in)
    assert (prefs.language, prefs.clock_format, prefs.clock_visible) == ("en", "12h", False)
    assert (prefs.week_start, prefs.start_page, prefs.time_zone) == (7, "upcoming", "Asia/Tokyo")
    assert (prefs.festivals_hidden, prefs.festivals_shown) == (("qixi",), ("xiaonian_south",))
    page = logged_in.get("/settings?saved=1").text
    assert '<html lang="en">' in page and "Settings saved." in page
    assert 'data-clock-format="12h" data-clock-visible="0" data-week-start="7"' in page
    again = _form(page)
    assert (again["language"], again["week_start"], again["time_zone"]) == ("en", "7", "Asia/Tokyo")
    assert "qixi" not in again["festival"] and "xiaonian_south" in again["festival"]


def test_any_iana_zone_can_be_typed(app: FastAPI, logged_in: TestClient) -> None:
    html = logged_in.get("/settings").text
    # Typed under the select, the select left as it was: the typed zone is meant.
    assert _save(logged_in, html, time_zone_other="America/Argentina/Ushuaia").status_code == 303
    assert _prefs(app, logged_in).time_zone == "America/Argentina/Ushuaia"
    page = logged_in.get("/settings").text
    form = _form(page)
    assert (form["time_zone"], form["time_zone_other"]) == ("other", "America/Argentina/Ushuaia")
    # Back to a common zone from the select.
    assert _save(logged_in, page, time_zone="Europe/Paris").status_code == 303
    assert _prefs(app, logged_in).time_zone == "Europe/Paris"


def test_a_bad_field_is_named_with_what_was_typed_kept(app: FastAPI, logged_in: TestClient) -> None:
    html = logged_in.get("/settings").text
    before = _prefs(app, logged_in)
    response = _save(
        logged_in, html, language="en", time_zone="other", time_zone_other="Mars/Olympus<b>"
    )
    assert response.status_code == 422
    page = response.text
    assert '<p class="field-error" id="err-time_zone">不是有效的时区</p>' in page
    assert "时区：不是有效的时区" in page  # the summary names the field
    assert 'value="Mars/Olympus&lt;b&gt;"' in page  # kept, escaped
    assert '<option value="en" selected>' in page  # the other typed values kept too
    assert _prefs(app, logged_in) == before  # nothing changed
    tampered = _save(logged_in, html, week_start="9", festival=["qixi", "valentine"])
    assert tampered.status_code == 422
    assert 'id="err-festivals"' in tampered.text
    tampered = _save(logged_in, html, week_start="9")
    assert 'id="err-week_start"' in tampered.text
    assert _prefs(app, logged_in) == before
    empty = _save(logged_in, html, time_zone="other", time_zone_other="")
    assert empty.status_code == 422 and 'id="err-time_zone"' in empty.text


def test_a_save_keeps_a_change_made_meanwhile_elsewhere(
    app: FastAPI, logged_in: TestClient
) -> None:
    """Only the fields changed on the page are sent: the clock set meanwhile (the calendar
    page, the desktop app) stays as it was set there."""
    html = logged_in.get("/settings").text  # shows 24h
    app.state.ctx.preferences.update(owner_id(app, logged_in), {"clock_format": "12h"})
    assert _save(logged_in, html, week_start="7").status_code == 303
    prefs = _prefs(app, logged_in)
    assert (prefs.clock_format, prefs.week_start) == ("12h", 7)


def test_pages_follow_the_persons_language(app: FastAPI, logged_in: TestClient) -> None:
    assert '<html lang="zh-CN">' in logged_in.get("/contacts").text
    app.state.ctx.preferences.update(owner_id(app, logged_in), {"language": "en"})
    logged_in.cookies.set("lang", "zh")  # a cookie from before does not count when logged in
    page = logged_in.get("/contacts")
    assert '<html lang="en">' in page.text and "Log out" in page.text
    assert "lang=en" in page.headers["set-cookie"]  # the cookie follows the setting
    assert '<html lang="zh-CN">' in logged_in.get("/contacts?lang=zh").text  # one page only
    assert '<html lang="en">' in logged_in.get("/memos").text
    token = csrf_from(logged_in.get("/contacts").text)
    logged_in.post("/logout", data={"csrf_token": token})
    assert '<html lang="en">' in logged_in.get("/login").text  # logged out: the cookie's


def test_the_language_switch_changes_the_setting(app: FastAPI, logged_in: TestClient) -> None:
    html = logged_in.get("/memos?q=x").text
    assert 'action="/settings/language"' in html
    assert '<input type="hidden" name="next" value="/memos?q=x">' in html
    response = post_form(
        logged_in, "/memos", "/settings/language", {"lang": "en", "next": "/memos?q=x"}
    )
    assert response.status_code == 303 and response.headers["location"] == "/memos?q=x"
    assert _prefs(app, logged_in).language == "en"
    assert '<html lang="en">' in logged_in.get("/memos").text
    for elsewhere in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = post_form(
            logged_in, "/memos", "/settings/language", {"lang": "zh", "next": elsewhere}
        )
        assert response.headers["location"] == "/"  # never off the site
    assert _prefs(app, logged_in).language == "zh-CN"
    refused = logged_in.post("/settings/language", data={"lang": "en", "next": "/"})
    assert refused.status_code == 403 and _prefs(app, logged_in).language == "zh-CN"


def test_logged_out_pages_keep_the_link_switch(client: TestClient) -> None:
    html = client.get("/login").text
    assert 'href="/login?lang=en"' in html and "/settings/language" not in html
    assert client.get("/settings").headers["location"] == "/login"


def test_start_page_is_followed(app: FastAPI, client: TestClient) -> None:
    register(client, "zhao")
    assert login(client, "zhao").headers["location"] == "/contacts"
    app.state.ctx.preferences.update(owner_id(app, client), {"start_page": "upcoming"})
    assert client.get("/").headers["location"] == "/upcoming"
    assert client.get("/login").headers["location"] == "/upcoming"
    token = csrf_from(client.get("/contacts").text)
    client.post("/logout", data={"csrf_token": token})
    assert login(client, "zhao").headers["location"] == "/upcoming"
    app.state.ctx.preferences.update(owner_id(app, client), {"start_page": "dates"})
    assert client.get("/").headers["location"] == "/birthdays"


def test_upcoming_page_leaves_out_hidden_festivals(app: FastAPI, logged_in: TestClient) -> None:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    coming = festivals_between(today, today + timedelta(days=365))
    first = coming[0].festival  # the next festival, whichever it is
    assert f"{first.name}</h2>" in logged_in.get("/upcoming?days=366").text
    app.state.ctx.preferences.update(owner_id(app, logged_in), {"festivals_hidden": [first.id]})
    assert f"{first.name}</h2>" not in logged_in.get("/upcoming?days=366").text
    assert "接下来 366 天" in logged_in.get("/upcoming?days=366").text
    assert "接下来 30 天" in logged_in.get("/upcoming?days=0001000").text


def test_upcoming_page_counts_days_in_the_persons_zone(app: FastAPI, logged_in: TestClient) -> None:
    """Kiritimati (UTC+14) and Pago Pago (UTC−11) are never on the same date: a birthday on
    today's date in Kiritimati is today there and still ahead in Pago Pago."""
    owner = owner_id(app, logged_in)
    prefs = app.state.ctx.preferences
    prefs.update(owner, {"time_zone": "Pacific/Kiritimati"})
    day = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    date_spec = {"calendar": "solar", "month": day.month, "day": day.day}
    app.state.ctx.records.create(owner, "birthday", {"name": "时区测试", "date": date_spec})

    def days_until() -> str:
        html = logged_in.get("/upcoming").text
        entry = html[: html.index("时区测试")]
        return entry[entry.rindex('<div class="when') :]

    assert "<strong>今天</strong>" in days_until()
    prefs.update(owner, {"time_zone": "Pacific/Pago_Pago"})
    assert "<strong>今天</strong>" not in days_until()
