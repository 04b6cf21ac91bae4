"""The calendar pages in-process (R7; issue 5 §2): the month grid (春节 2026, 休/班 of 2026's
official schedule, a lunar birthday on its solar day, the person's first weekday, hidden and
shown festivals, their time zone's today), the day view (lunar date with 干支 and zodiac,
status, items with edit links, "add on this day" links that fill the forms), picking a
month or a day, bad input refused by name, escaping, and the clock's setting saved only
with a valid CSRF token."""

from __future__ import annotations

import re
from datetime import date, datetime
from html import unescape
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from almanac.calendar import to_lunar
from almanac.model.event import zone

from .support import csrf_from, owner_id, records_of

_CELL = re.compile(r'<td class="cal-cell([^"]*)">(.*?)</td>', re.S)
_HREF = re.compile(r'href="/calendar/day/(\d{4}-\d{2}-\d{2})"')
_TAG = re.compile(r"<[^>]+>")


def cells(html: str) -> dict[date, tuple[set[str], str]]:
    """The month grid's cells: day → (its classes, its visible text)."""
    found: dict[date, tuple[set[str], str]] = {}
    for classes, body in _CELL.findall(html):
        link = _HREF.search(body)
        assert link, body
        text = " ".join(unescape(_TAG.sub(" ", body)).split())
        found[date.fromisoformat(link.group(1))] = (set(classes.split()), text)
    return found


def first_days(html: str) -> list[date]:
    """The first day of each week row."""
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    return [date.fromisoformat(_HREF.findall(row)[0]) for row in rows if _HREF.search(row)]


def prefs(app: FastAPI, client: TestClient, **patch: Any) -> Any:
    return app.state.ctx.preferences.update(owner_id(app, client), patch)


def add(app: FastAPI, client: TestClient, kind: str, data: dict[str, Any]) -> str:
    return str(app.state.ctx.records.create(owner_id(app, client), kind, data).id)


def test_february_2026_has_chunjie_and_the_statutory_days(logged_in: TestClient) -> None:
    """2026-02-17 is 春节 (正月初一, shown as the month name 正月), 2/15–2/23 off (休),
    2/14 and 2/28 make-up workdays (班); January's 元旦 days and the 1/4 workday too."""
    page = logged_in.get("/calendar?month=2026-02")
    assert page.status_code == 200
    assert "2026年2月" in page.text
    assert "乙巳年（蛇年） – 丙午年（马年）" in page.text  # the lunar year turns at 春节
    grid = cells(page.text)
    classes, text = grid[date(2026, 2, 17)]
    assert "春节" in text and "正月" in text and "休" in text and "off" in classes
    assert "廿八" in grid[date(2026, 2, 15)][1]  # an ordinary lunar day: its day name
    assert "除夕" in grid[date(2026, 2, 16)][1]  # 腊月 has 29 days in 乙巳: 除夕 on 廿九
    off = {d for d, (c, _) in grid.items() if "off" in c}
    makeup = {d for d, (c, _) in grid.items() if "makeup" in c}
    assert {date(2026, 2, d) for d in range(15, 24)} <= off
    assert date(2026, 2, 24) not in off and date(2026, 2, 14) not in off
    assert {date(2026, 2, 14), date(2026, 2, 28)} <= makeup
    assert "班" in grid[date(2026, 2, 14)][1]
    january = cells(logged_in.get("/calendar?month=2026-01").text)
    assert {d for d in january if "off" in january[d][0] and d.month == 1} == {
        date(2026, 1, 1),
        date(2026, 1, 2),
        date(2026, 1, 3),
    }
    assert "makeup" in january[date(2026, 1, 4)][0]
    # 2026-02-04 is 立春 (a solar term), shown in the cell
    assert "立春" in grid[date(2026, 2, 4)][1]


def test_a_lunar_birthday_shows_on_its_solar_day(app: FastAPI, logged_in: TestClient) -> None:
    """A 八月十五 birthday falls on 2026-09-25 (中秋), not on September 15th."""
    lunar = {"calendar": "lunar", "month": 8, "day": 15}
    add(app, logged_in, "birthday", {"name": "外婆", "date": lunar})
    grid = cells(logged_in.get("/calendar?month=2026-09").text)
    assert "外婆" in grid[date(2026, 9, 25)][1]
    assert "中秋" in grid[date(2026, 9, 25)][1]
    assert not [d for d, (_, text) in grid.items() if "外婆" in text and d != date(2026, 9, 25)]


def test_many_items_show_three_and_a_count(app: FastAPI, logged_in: TestClient) -> None:
    for n in range(5):
        add(app, logged_in, "event", {"title": f"会议{n}", "start": f"2026-03-10T0{n}:00"})
    _, text = cells(logged_in.get("/calendar?month=2026-03").text)[date(2026, 3, 10)]
    assert "会议0" in text and "会议2" in text and "会议4" not in text and "+2" in text


def test_weeks_start_on_the_persons_first_weekday(app: FastAPI, logged_in: TestClient) -> None:
    monday = logged_in.get("/calendar?month=2026-02").text
    assert all(d.isoweekday() == 1 for d in first_days(monday))
    assert first_days(monday)[0] == date(2026, 1, 26)
    assert re.search(r'<thead><tr>\s*<th scope="col">周一</th>', monday)
    prefs(app, logged_in, week_start=7)
    sunday = logged_in.get("/calendar?month=2026-02").text
    assert all(d.isoweekday() == 7 for d in first_days(sunday))
    assert first_days(sunday)[0] == date(2026, 2, 1)  # 2026-02-01 is a Sunday
    assert re.search(r'<thead><tr>\s*<th scope="col" class="weekend">周日</th>', sunday)
    assert len(first_days(sunday)) == 4  # 28 days from a Sunday: four whole weeks
    assert min(cells(sunday)) == date(2026, 2, 1) and max(cells(sunday)) == date(2026, 2, 28)


def test_hidden_festivals_are_left_out_and_shown_ones_in(
    app: FastAPI, logged_in: TestClient
) -> None:
    """七夕 2026 is 2026-08-19; hidden, the cell shows its lunar day instead. 南方小年
    (hidden by default) shows when the person asks for it."""
    qixi = date(2026, 8, 19)
    assert "七夕" in cells(logged_in.get("/calendar?month=2026-08").text)[qixi][1]
    prefs(app, logged_in, festivals_hidden=["qixi"])
    text = cells(logged_in.get("/calendar?month=2027-01").text)
    assert not [d for d, (_, t) in text.items() if "南方小年" in t]
    _, hidden = cells(logged_in.get("/calendar?month=2026-08").text)[qixi]
    assert "七夕" not in hidden and "初七" in hidden
    assert "七夕" not in logged_in.get("/calendar/day/2026-08-19").text
    prefs(app, logged_in, festivals_shown=["xiaonian_south"])
    south = cells(logged_in.get("/calendar?month=2027-01").text)
    assert [d for d, (_, t) in south.items() if "小年" in t]


def test_today_is_today_in_the_persons_time_zone(app: FastAPI, logged_in: TestClient) -> None:
    """UTC+14 and UTC−11 are always on different dates: the marked day follows the setting."""
    marked = []
    for name in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        prefs(app, logged_in, time_zone=name)
        page = logged_in.get("/calendar")
        today = datetime.now(zone(name)).date()
        grid = cells(page.text)
        assert [d for d, (c, _) in grid.items() if "today" in c] == [today]
        assert f'href="/calendar/day/{today.isoformat()}" aria-current="date"' in page.text
        marked.append(today)
    assert marked[0] != marked[1]


def test_the_year_select_offers_every_year_with_the_months_chosen(logged_in: TestClient) -> None:
    for lang, unit in (("zh", "年"), ("en", "")):
        for month in ("1901-01", "1988-08", "2099-12"):
            html = logged_in.get(f"/calendar?month={month}&lang={lang}").text
            select = re.search(r'<select id="cal-y" name="y">(.*?)</select>', html, re.S)
            assert select is not None
            options = re.findall(
                r'<option value="(\d+)"( selected)?>(\d+)([^<]*)</option>', select[1]
            )
            assert [int(v) for v, _, _, _ in options] == list(range(1901, 2100))
            assert all(v == shown and rest == unit for v, _, shown, rest in options)
            assert [v for v, chosen, _, _ in options if chosen] == [month[:4]]


def test_month_and_day_can_be_picked(logged_in: TestClient) -> None:
    by_selects = logged_in.get("/calendar?y=1988&m=8")
    assert by_selects.status_code == 200 and "1988年8月" in by_selects.text
    assert '<option value="1988" selected>' in by_selects.text
    assert '<option value="8" selected>' in by_selects.text
    assert cells(by_selects.text) == cells(logged_in.get("/calendar?month=1988-08").text)
    assert 'href="/calendar?month=1988-07"' in by_selects.text  # previous
    assert 'href="/calendar?month=1988-09"' in by_selects.text  # next
    jump = logged_in.get("/calendar/day?date=2027-09-15")
    assert jump.status_code == 303 and jump.headers["location"] == "/calendar/day/2027-09-15"
    # the ends of the lunar range: no link beyond them, empty cells outside
    first = logged_in.get("/calendar?month=1901-01")
    assert first.status_code == 200 and 'rel="prev"' not in first.text
    last = logged_in.get("/calendar?month=2099-12")
    assert last.status_code == 200 and 'rel="next"' not in last.text


@pytest.mark.parametrize(
    "address",
    [
        "/calendar?month=2026-13",
        "/calendar?month=soon",
        "/calendar?month=1900-12",
        "/calendar?y=2100&m=1",
        "/calendar?y=2026&m=0",
        "/calendar?y=2026",
        "/calendar/day/2026-02-30",
        "/calendar/day/2100-01-01",
        "/calendar/day?date=next-week",
        "/events/new?date=2026-02-30",
    ],
)
def test_bad_months_and_days_are_refused(logged_in: TestClient, address: str) -> None:
    page = logged_in.get(address)
    assert page.status_code == 400
    assert "请求无效" in page.text


def test_the_day_view(app: FastAPI, logged_in: TestClient) -> None:
    """中秋 2027 is 2027-09-15 (丁未年八月十五, 羊). Items come with their time and an edit link;
    the add links fill the forms with that day (solar or lunar)."""
    lunar = {"calendar": "lunar", "year": 1948, "month": 8, "day": 15}
    born = add(app, logged_in, "birthday", {"name": "外婆", "date": lunar})
    evening = {"title": "赏月", "start": "2027-09-15T19:30", "end": "2027-09-15T21:00"}
    meeting = add(app, logged_in, "event", evening)
    memo = add(app, logged_in, "memo", {"title": "买月饼", "due": "2027-09-15T09:00"})
    page = logged_in.get("/calendar/day/2027-09-15")
    assert page.status_code == 200
    text = " ".join(unescape(_TAG.sub(" ", page.text)).split())
    assert "2027年9月15日 周三" in text
    assert "八月十五" in text and "丁未年（羊年）" in text and "中秋节" in text
    assert "79 周岁" in text  # born 1948: turns 79 in 2027
    assert "19:30 –21:00" in text and "09:00" in text
    for kind, rid in (("birthdays", born), ("events", meeting), ("memos", memo)):
        assert f'href="/{kind}/{rid}/edit"' in page.text
    assert "这一年的放假安排尚未公布" in text  # 2027's schedule: said so, never guessed
    for link in ('href="/events/new?date=2027-09-15"', 'href="/birthdays/new?date=2027-09-15"'):
        assert link in page.text
    lunar = logged_in.get("/birthdays/new?date=2027-09-15&calendar=lunar").text
    assert re.search(r'value="lunar" checked', lunar)
    assert re.search(r'name="date.month".*?<option value="8"[^>]*selected>八月<', lunar, re.S)
    assert re.search(r'name="date.day".*?<option value="15"[^>]*selected>十五<', lunar, re.S)
    solar = logged_in.get("/birthdays/new?date=2027-09-15").text
    assert re.search(r'name="date.day".*?<option value="15"[^>]*selected>', solar, re.S)
    assert re.search(r'name="date.month".*?<option value="9"[^>]*selected>', solar, re.S)
    event = logged_in.get("/events/new?date=2027-09-15").text
    assert 'name="start_date" type="date" value="2027-09-15"' in event
    holiday = logged_in.get("/holidays/new?date=2027-09-15").text
    assert re.search(r'value="solar" checked', holiday)
    assert re.search(r'name="date.month".*?<option value="9"[^>]*selected>', holiday, re.S)
    assert 'name="start_date" type="date" value=""' in logged_in.get("/events/new").text


def test_status_words_on_the_day_view(logged_in: TestClient) -> None:
    def status(day: str) -> str:
        page = logged_in.get(f"/calendar/day/{day}").text
        found = re.search(r'<dd class="cal-status">(.*?)</dd>', page, re.S)
        assert found
        return found.group(1)

    assert status("2026-10-01") == "法定节假日 · 国庆节"
    assert status("2026-10-10") == "调休上班 · 国庆节"
    assert status("2026-11-28") == "周末"
    assert status("2026-11-27") == "工作日"
    assert status("2099-06-01") == "这一年的放假安排尚未公布"


def test_a_leap_month_day_prefills_a_leap_lunar_birthday(logged_in: TestClient) -> None:
    """2025 has a 闰六月: its first day is 2025-07-25."""
    assert to_lunar(date(2025, 7, 25)).leap
    day = logged_in.get("/calendar/day/2025-07-25").text
    assert "闰六月初一" in day
    assert (
        cells(logged_in.get("/calendar?month=2025-07").text)[date(2025, 7, 25)][1].find("闰六月")
        >= 0
    )
    form = logged_in.get("/birthdays/new?date=2025-07-25&calendar=lunar").text
    assert re.search(r'name="date.leap" value="1" checked', form)


def test_item_titles_are_escaped(app: FastAPI, logged_in: TestClient) -> None:
    payload = '<script>window.__pwned=1</script><img src=x onerror="alert(1)">'
    add(app, logged_in, "event", {"title": payload, "start": "2026-05-20T08:00"})
    add(app, logged_in, "birthday", {"name": payload, "date": {"month": 5, "day": 20}})
    for address in ("/calendar?month=2026-05", "/calendar/day/2026-05-20"):
        page = logged_in.get(address).text
        assert "<script>window" not in page and "<img src=x" not in page
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page


def test_english_pages(app: FastAPI, logged_in: TestClient) -> None:
    prefs(app, logged_in, language="en")
    page = logged_in.get("/calendar?month=2026-02").text
    assert "February 2026" in page and "Spring Festival" in page and "Mon</th>" in page
    day = logged_in.get("/calendar/day/2026-02-17").text
    assert "Public holiday · 春节" in day and "Add event" in day and "正月初一" in day


def test_the_clock_starts_from_the_setting(app: FastAPI, logged_in: TestClient) -> None:
    page = logged_in.get("/calendar").text
    assert 'data-clock-format="24h" data-clock-visible="1"' in page
    assert re.search(r"<time datetime=\"[^\"]+\">\d\d:\d\d</time>", page)
    prefs(app, logged_in, clock_format="12h", clock_visible=False)
    page = logged_in.get("/calendar/day/2026-02-17").text
    assert 'data-clock-format="12h" data-clock-visible="0"' in page
    assert re.search(r'class="clock-time"[^>]*hidden><time[^>]*>(上午|下午) \d{1,2}:\d\d<', page)
    assert 'name="clock_visible" value="1" aria-pressed="false"' in page


def test_the_clock_is_in_the_top_bar_of_every_logged_in_page(
    logged_in: TestClient, client_factory: Any
) -> None:
    for address in ("/contacts", "/memos", "/upcoming", "/help", "/calendar"):
        page = logged_in.get(address).text
        assert page.count('id="clock"') == 1, address
        assert f'name="next" value="{address}"' in page  # the form comes back here
    assert 'id="clock"' not in client_factory().get("/login").text


def test_clock_choice_needs_the_csrf_token(
    app: FastAPI, logged_in: TestClient, client_factory: Any
) -> None:
    owner = owner_id(app, logged_in)
    store = app.state.ctx.preferences
    form = {"clock_format": "12h", "next": "/calendar?month=2026-02"}
    other = client_factory()
    foreign = csrf_from(other.get("/login").text)  # valid for another browser's cookie
    for token in (None, "", "x" * 64, foreign):
        sent = form if token is None else {**form, "csrf_token": token}
        assert logged_in.post("/calendar/clock", data=sent).status_code == 403
    assert store.get(owner).clock_format == "24h"

    token = csrf_from(logged_in.get("/calendar").text)
    saved = logged_in.post("/calendar/clock", data={**form, "csrf_token": token})
    assert saved.status_code == 303 and saved.headers["location"] == "/calendar?month=2026-02"
    assert store.get(owner).clock_format == "12h"
    by_script = {"clock_visible": "0", "js": "1", "csrf_token": token}
    assert logged_in.post("/calendar/clock", data=by_script).status_code == 204
    assert store.get(owner).clock_visible is False
    # never sent off-site; bad values refused by name and nothing changed
    away = {"clock_visible": "1", "next": "//evil.example/x", "csrf_token": token}
    assert logged_in.post("/calendar/clock", data=away).headers["location"] == "/calendar"
    before = store.get(owner)
    bad = logged_in.post("/calendar/clock", data={"clock_format": "13h", "csrf_token": token})
    assert bad.status_code == 400
    empty = logged_in.post("/calendar/clock", data={"csrf_token": token})
    assert empty.status_code == 400
    assert store.get(owner) == before


def test_pages_need_a_login(client: TestClient) -> None:
    for address in ("/calendar", "/calendar/day/2026-02-17", "/calendar/day?date=2026-02-17"):
        assert client.get(address).headers["location"] == "/login"


def test_only_the_persons_own_items(
    app: FastAPI, logged_in: TestClient, client_factory: Any
) -> None:
    from .support import login, register

    add(app, logged_in, "event", {"title": "王的会", "start": "2026-06-01T10:00"})
    other = client_factory()
    register(other, "lilei")
    login(other, "lilei")
    assert "王的会" not in other.get("/calendar?month=2026-06").text
    assert "王的会" in logged_in.get("/calendar?month=2026-06").text
    assert records_of(app, other, "event") == []


def test_a_change_shows_at_once(app: FastAPI, logged_in: TestClient) -> None:
    """The agenda is kept between requests only until the person's next change (any write,
    from any device, gives them a new change number)."""
    store = app.state.ctx.records
    owner = owner_id(app, logged_in)

    def day_text() -> str:
        return cells(logged_in.get("/calendar?month=2026-07").text)[date(2026, 7, 7)][1]

    assert "游泳" not in day_text()
    made = store.create(owner, "event", {"title": "游泳", "start": "2026-07-07T07:00"})
    assert "游泳" in day_text()
    assert "游泳" in day_text()  # the kept agenda
    store.update(owner, "event", made.id, {"title": "跑步", "start": "2026-07-07T07:00"})
    assert "跑步" in day_text() and "游泳" not in day_text()
    store.delete(owner, "event", made.id)
    assert "跑步" not in day_text()
