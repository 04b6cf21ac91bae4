"""Reminders in headless Chromium against a real server (issue 4 §6, issue 5 §1; R2, R6, R7,
R9): the birthday form's reminder rows (add, remove, saved, listed); a reminder due in the
past minute shows in the panel under the top bar once — not again after a reload; after a
gap (the browser's last check an hour back) the one missed meanwhile is listed under
"您不在时错过的提醒"; the panel fits a 375×812 phone. Screenshots: 80–83 at both sizes."""

from __future__ import annotations

from contextlib import closing
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect

from .browser_support import PHONE, Shots
from .payloads import IMG, SCRIPT

pytestmark = pytest.mark.browser

PASSWORD = "腊梅-2026-reminders"
ZONE = ZoneInfo("Asia/Shanghai")  # the person's zone until they change it


def _log_in(tab: Page, server: str, username: str) -> None:
    tab.goto(server + "/login")
    tab.fill("#username", username)
    tab.fill("#password", PASSWORD)
    tab.get_by_role("button", name="登录").click()
    expect(tab).to_have_url(server + "/contacts")


def _api(server: str, username: str) -> httpx.Client:
    api = httpx.Client(base_url=server, timeout=10)
    body = {"username": username, "password": PASSWORD}
    assert api.post("/api/v1/auth/register", json=body).status_code == 201
    token = api.post("/api/v1/auth/token", json={**body, "device": "test"}).json()["token"]
    api.headers["authorization"] = f"Bearer {token}"
    return api


def _event(api: httpx.Client, title: str, start: datetime) -> None:
    """A timed event starting at ``start`` with a reminder at its own time."""
    data = {"title": title, "all_day": False, "start": start.strftime("%Y-%m-%dT%H:%M"),
            "timezone": "Asia/Shanghai", "reminders": [{"days_before": 0, "at": None}]}  # fmt: skip
    made = api.post("/api/v1/events", json=data)
    assert made.status_code == 201, made.text


def test_birthday_form_reminder_rows(server: str, page: tuple[Page, list[str]]) -> None:
    tab, complaints = page
    shots = Shots()
    _api(server, "reminder-form").close()
    _log_in(tab, server, "reminder-form")
    tab.goto(server + "/birthdays/new")
    rows = tab.locator(".reminder-row:visible")
    expect(rows).to_have_count(1)
    tab.fill('[name="name"]', "外婆")
    tab.get_by_label("农历").check()
    tab.select_option('[name="date.month"]', "12")
    tab.select_option('[name="date.day"]', "8")
    tab.fill('[name="reminders.0.days_before"]', "3")
    tab.fill('[name="reminders.0.at"]', "08:00")
    tab.get_by_role("button", name="＋ 添加提醒").click()
    expect(rows).to_have_count(2)
    tab.fill('[name="reminders.1.days_before"]', "0")
    tab.fill('[name="reminders.1.at"]', "07:30")
    tab.get_by_role("button", name="＋ 添加提醒").click()
    tab.fill('[name="reminders.2.days_before"]', "9")
    expect(rows).to_have_count(3)
    rows.nth(2).get_by_role("button", name="移除").click()
    expect(rows).to_have_count(2)
    shots.take(tab, "80-reminder-rows-form")
    tab.get_by_role("button", name="保存").click()
    expect(tab).to_have_url(server + "/birthdays")
    expect(tab.locator(".reminder-chip")).to_have_text(["提前3天 08:00", "当天 07:30"])
    shots.take(tab, "81-reminders-listed")
    assert complaints == []


def test_due_reminder_once_and_missed_after_a_gap(
    server: str, page: tuple[Page, list[str]]
) -> None:
    tab, complaints = page
    shots = Shots()
    now = datetime.now(ZONE)
    with closing(_api(server, "reminder-due")) as api:
        _event(api, "给妈妈打电话", now.replace(second=0, microsecond=0))
        _event(api, "交电费", (now - timedelta(hours=2)).replace(second=0, microsecond=0))
        _log_in(tab, server, "reminder-due")
        panel = tab.locator("#reminder-panel")
        expect(panel).to_be_visible()
        expect(panel.locator(".reminder-now .reminder-title")).to_have_text(["给妈妈打电话"])
        expect(panel.locator(".reminder-now .reminder-when")).to_contain_text(["今天"])
        expect(panel.locator(".reminder-missed .reminder-heading")).to_have_text(
            "您不在时错过的提醒"
        )
        expect(panel.locator(".reminder-missed .reminder-title")).to_have_text(["交电费"])
        shots.take(tab, "82-reminder-toast")
        tab.set_viewport_size(PHONE)
        box = panel.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        tab.set_viewport_size({"width": 1280, "height": 800})

        tab.reload()  # shown once: not again
        tab.wait_for_function(
            "() => (JSON.parse(localStorage.getItem('almanac.reminders|reminder-due')) || {}).last"
        )
        tab.wait_for_timeout(500)
        expect(panel).to_be_hidden()

        # the browser was closed for an hour; meanwhile a reminder came due
        _event(api, "取快递", (now - timedelta(minutes=30)).replace(second=0, microsecond=0))
        hour_ago = (datetime.now(ZONE) - timedelta(hours=1)).isoformat(timespec="seconds")
        tab.evaluate(
            """(since) => { const key = 'almanac.reminders|reminder-due';
                const state = JSON.parse(localStorage.getItem(key));
                state.last = since; localStorage.setItem(key, JSON.stringify(state)); }""",
            hour_ago,
        )
        tab.goto(server + "/events")
        expect(panel.locator(".reminder-missed .reminder-title")).to_have_text(["取快递"])
        expect(panel.locator(".reminder-now")).to_have_count(0)
        shots.take(tab, "83-reminder-missed-after-a-gap")
        panel.get_by_role("button", name="知道了").click()
        expect(panel).to_be_hidden()
        tab.goto(server + "/memos")
        tab.wait_for_timeout(500)
        expect(panel).to_be_hidden()
    assert complaints == []


def test_a_hostile_title_in_the_panel_is_text(server: str, page: tuple[Page, list[str]]) -> None:
    """Issue 5 §7: the panel puts titles in as text; nothing runs, the CSP is not tripped."""
    tab, complaints = page
    now = datetime.now(ZONE).replace(second=0, microsecond=0)
    with closing(_api(server, "reminder-xss")) as api:
        _event(api, SCRIPT, now)
        _event(api, IMG, now - timedelta(hours=1))
    _log_in(tab, server, "reminder-xss")
    titles = tab.locator("#reminder-panel .reminder-title")
    expect(titles).to_have_text([SCRIPT, IMG])
    assert tab.evaluate("() => window.__pwned") is None
    assert complaints == []


def test_a_kept_draft_brings_its_reminder_rows_back(
    server: str, page: tuple[Page, list[str]]
) -> None:
    """A form's unsent text (offline.js keeps it as typed) comes back with every reminder row
    it had, the added ones shown again (R11)."""
    tab, complaints = page
    _api(server, "reminder-draft").close()
    _log_in(tab, server, "reminder-draft")
    tab.goto(server + "/events/new")
    tab.fill('[name="title"]', "体检")
    tab.fill('[name="start_date"]', "2026-12-10")
    tab.fill('[name="start_time"]', "08:00")
    tab.fill('[name="reminders.0.days_before"]', "1")
    tab.get_by_role("button", name="＋ 添加提醒").click()
    tab.fill('[name="reminders.1.days_before"]', "0")
    tab.fill('[name="reminders.1.at"]', "06:30")
    tab.wait_for_timeout(800)  # offline.js keeps what is typed after a short pause
    tab.goto(server + "/events/new")
    expect(tab.locator(".reminder-row:visible")).to_have_count(1)
    tab.locator("#net-banner").get_by_role("button", name="恢复").click()
    expect(tab.locator(".reminder-row:visible")).to_have_count(2)
    expect(tab.locator('[name="reminders.1.at"]')).to_have_value("06:30")
    tab.get_by_role("button", name="保存").click()
    expect(tab).to_have_url(server + "/events")
    expect(tab.locator(".reminder-chip")).to_have_text(["提前1天 按时", "当天 06:30"])
    assert complaints == []
