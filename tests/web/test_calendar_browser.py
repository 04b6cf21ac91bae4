"""The calendar in a real headless Chromium against a real server (issue 5 §2, §9; R2, R7):
pick a year and month, open a day, add a lunar birthday from it, jump to a date; the live
clock ticks, switches 24h ↔ 12h (上午/下午) and hides when its icon is clicked, and after a
reload it is still as chosen — with and without JavaScript. Screenshots of the month and
day views at 1280×800 and 375×812 (``Shots`` checks no sideways scrolling and 44 px
controls at the phone size)."""

from __future__ import annotations

import re
from datetime import date

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from .browser_support import DESKTOP, PHONE, Shots

pytestmark = pytest.mark.browser

PASSWORD = "桂花-2026-autumn"
CLOCK_24 = re.compile(r"^\d\d:\d\d:\d\d$")
CLOCK_12 = re.compile(r"^(上午|下午) \d{1,2}:\d\d:\d\d$")


def _register_and_log_in(tab: Page, server: str, username: str) -> None:
    tab.goto(server + "/register")
    tab.fill("#username", username)
    tab.fill("#password", PASSWORD)
    tab.fill("#password2", PASSWORD)
    tab.get_by_role("button", name="注册").click()
    tab.fill("#password", PASSWORD)
    tab.get_by_role("button", name="登录").click()
    expect(tab.locator("#mainnav")).to_be_attached()


def _cell(tab: Page, day: str) -> object:
    return tab.locator(f'a.cal-day[href="/calendar/day/{day}"]')


def _add_event(server: str, username: str, title: str, start: str, end: str | None = None) -> None:
    with httpx.Client(base_url=server, timeout=10) as api:
        body = {"username": username, "password": PASSWORD, "device": "test"}
        token = api.post("/api/v1/auth/token", json=body).json()["token"]
        made = api.post(
            "/api/v1/events",
            json={"title": title, "start": start, "end": end},
            headers={"authorization": f"Bearer {token}"},
        )
        assert made.status_code == 201, made.text


def test_month_day_and_picking(server: str, page: tuple[Page, list[str]]) -> None:
    tab, complaints = page
    shots = Shots()
    _register_and_log_in(tab, server, "chenjing")
    tab.get_by_role("link", name="日历").click()
    expect(tab).to_have_url(server + "/calendar")
    expect(tab.locator('a.cal-day[aria-current="date"]')).to_have_count(1)

    tab.select_option("#cal-y", "2026")
    tab.select_option("#cal-m", "2")
    tab.get_by_role("button", name="查看").click()
    expect(tab.locator("h1")).to_contain_text("2026年2月")
    chunjie = _cell(tab, "2026-02-17")
    expect(chunjie).to_contain_text("春节")
    expect(chunjie.locator(".cal-badge")).to_have_text("休")
    expect(_cell(tab, "2026-02-14").locator(".cal-badge")).to_have_text("班")
    for n in range(4):  # a busy day: three chips and "+1"
        _add_event(server, "chenjing", f"拜年{n}", f"2026-02-18T{10 + n}:00")
    tab.reload()
    expect(_cell(tab, "2026-02-18").locator(".cal-chip")).to_have_count(3)
    expect(_cell(tab, "2026-02-18").locator(".cal-more")).to_have_text("+1")
    shots.take(tab, "40-calendar-month")

    chunjie.click()
    expect(tab).to_have_url(server + "/calendar/day/2026-02-17")
    expect(tab.locator("h1")).to_contain_text("2026年2月17日")
    expect(tab.locator(".cal-day-lunar")).to_contain_text("正月初一")
    expect(tab.locator(".cal-day-lunar")).to_contain_text("丙午年（马年）")
    tab.get_by_role("link", name="＋ 添加生日（农历 正月初一）").click()
    expect(tab.locator('[name="date.calendar"][value="lunar"]')).to_be_checked()
    tab.fill('[name="name"]', "舅舅")
    tab.get_by_role("button", name="保存").click()
    expect(tab).to_have_url(server + "/birthdays")
    _add_event(server, "chenjing", "年夜饭", "2026-02-17T18:30", "2026-02-17T21:00")
    tab.goto(server + "/calendar/day/2026-02-17")
    expect(tab.locator(".cal-items .entry").nth(1).locator(".when")).to_have_text("18:30–21:00")
    item = tab.locator(".cal-items .entry").first
    expect(item).to_contain_text("舅舅")
    expect(item.get_by_role("link", name="修改")).to_have_attribute(
        "href", re.compile(r"^/birthdays/[0-9a-f-]{36}/edit$")
    )
    shots.take(tab, "41-calendar-day")

    tab.get_by_role("link", name="后一天").click()
    expect(tab).to_have_url(server + "/calendar/day/2026-02-18")
    expect(tab.locator(".cal-items .entry")).to_have_count(4)
    tab.get_by_role("link", name="← 返回月历").click()
    expect(tab).to_have_url(server + "/calendar?month=2026-02")
    tab.get_by_role("link", name="下个月").click()
    expect(tab.locator("h1")).to_contain_text("2026年3月")
    # the lunar birthday recurs: next year on 2027-02-06 (正月初一 of 丁未)
    tab.goto(server + "/calendar?month=2027-02")
    expect(_cell(tab, "2027-02-06")).to_contain_text("舅舅")

    tab.fill("#cal-date", "2027-09-15")
    tab.get_by_role("button", name="前往").click()
    expect(tab).to_have_url(server + "/calendar/day/2027-09-15")
    expect(tab.locator(".cal-festivals")).to_contain_text("中秋节")
    assert complaints == []


def test_phone_month_is_compact(server: str, page: tuple[Page, list[str]]) -> None:
    """At 375 px the grid fits: chips become dots and the festival replaces the lunar day."""
    tab, complaints = page
    _register_and_log_in(tab, server, "phoneuser")
    _add_event(server, "phoneuser", "很长很长的日程标题需要省略", "2026-10-01T09:00")
    tab.set_viewport_size(PHONE)
    tab.goto(server + "/calendar?month=2026-10")
    cell = _cell(tab, "2026-10-01")
    box = cell.bounding_box()
    assert box is not None and box["width"] <= 375 / 7 + 1 and box["height"] >= 44
    dot = cell.locator(".cal-chip").bounding_box()
    assert dot is not None and dot["width"] <= 8
    expect(cell.locator(".cal-mark")).to_be_visible()
    expect(cell.locator(".cal-lunar")).to_be_hidden()
    Shots().take(tab, "42-calendar-month-busy")
    tab.set_viewport_size(DESKTOP)
    assert complaints == []


def test_the_clock_switches_hides_and_is_remembered(
    server: str, page: tuple[Page, list[str]]
) -> None:
    tab, complaints = page
    shots = Shots()
    _register_and_log_in(tab, server, "liuyang")
    tab.goto(server + "/calendar")
    time = tab.locator(".clock-time time")
    expect(time).to_have_text(CLOCK_24)
    first = time.text_content()
    expect(time).not_to_have_text(first or "", timeout=3000)  # it ticks

    with tab.expect_response(f"{server}/calendar/clock") as sent:
        tab.locator(".clock-time").click()
    assert sent.value.status == 204
    expect(time).to_have_text(CLOCK_12)
    tab.reload()
    expect(time).to_have_text(CLOCK_12)
    expect(tab.locator("#clock")).to_have_attribute("data-clock-format", "12h")
    shots.take(tab, "43-calendar-clock-12h")

    icon = tab.locator(".clock-icon")
    with tab.expect_response(f"{server}/calendar/clock"):
        icon.click()
    expect(tab.locator(".clock-time")).to_be_hidden()
    expect(icon).to_be_visible()
    expect(icon).to_have_attribute("aria-pressed", "false")
    tab.goto(server + "/calendar/day/2026-02-17")
    expect(tab.locator(".clock-time")).to_be_hidden()
    expect(tab.locator(".clock-icon")).to_have_attribute("aria-label", "显示时钟")
    with tab.expect_response(f"{server}/calendar/clock"):
        tab.locator(".clock-icon").click()
    expect(time).to_have_text(CLOCK_12)
    with tab.expect_response(f"{server}/calendar/clock"):
        tab.locator(".clock-time").click()
    tab.reload()
    expect(time).to_have_text(CLOCK_24)
    assert complaints == []


def test_the_clock_works_without_javascript(server: str, browser: Browser) -> None:
    """No script: the server renders the time, and the same buttons post the form."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", java_script_enabled=False)
    tab = context.new_page()
    try:
        _register_and_log_in(tab, server, "nojs-user")
        tab.goto(server + "/calendar?month=2026-02")
        time = tab.locator(".clock-time time")
        expect(time).to_have_text(re.compile(r"^\d\d:\d\d$"))
        tab.locator(".clock-time").click()
        expect(tab).to_have_url(server + "/calendar?month=2026-02")
        expect(time).to_have_text(re.compile(r"^(上午|下午) \d{1,2}:\d\d$"))
        tab.locator(".clock-icon").click()
        expect(tab.locator(".clock-time")).to_be_hidden()
        expect(tab.locator(".clock-icon")).to_be_visible()
    finally:
        context.close()


def test_titles_never_run_in_the_calendar(server: str, page: tuple[Page, list[str]]) -> None:
    tab, complaints = page
    _register_and_log_in(tab, server, "xss-calendar")
    payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
    _add_event(server, "xss-calendar", payload, "2026-05-20T08:00")
    for path in ("/calendar?month=2026-05", "/calendar/day/2026-05-20"):
        tab.goto(server + path)
        assert tab.evaluate("() => window.__pwned") is None, path
    expect(tab.locator(".cal-items .entry-title")).to_contain_text(payload)
    assert complaints == []


def test_today_is_marked(server: str, page: tuple[Page, list[str]]) -> None:
    tab, _ = page
    _register_and_log_in(tab, server, "today-user")
    tab.goto(server + "/calendar")
    marked = tab.locator('a.cal-day[aria-current="date"]').get_attribute("href") or ""
    shown = date.fromisoformat(marked.rsplit("/", 1)[1])
    assert abs((shown - date.today()).days) <= 1  # today in Asia/Shanghai, the default
