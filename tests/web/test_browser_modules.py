"""Every record module end to end in a real headless Chromium against a real server (issue 5
§9; R2, R4–R7, R9, R14): register, log in, add a group and a contact, find it by pinyin
initials, edit it, meet a conflict from a second tab, delete it; a memo; a lunar birthday and
a holiday; an event; the upcoming list; the phone menu. Every page is saved at 1280×800 and
375×812 under test-artifacts/web (Shots checks the phone size: no sideways scrolling,
controls ≥ 44 px). Then the escaping check: payloads in every field of every kind, shown in
Chromium, never set ``window.__pwned`` and never trip the CSP."""

from __future__ import annotations

import re
from datetime import date

import httpx
import pytest
from playwright.sync_api import Page, expect

from .browser_support import PHONE, Shots
from .payloads import RAW_MARKERS, pages_for, payload_records

pytestmark = pytest.mark.browser

PASSWORD = "茉莉花-2026-winter"


def _register_and_log_in(tab: Page, server: str, username: str) -> None:
    tab.goto(server + "/register")
    tab.fill("#username", username)
    tab.fill("#password", PASSWORD)
    tab.fill("#password2", PASSWORD)
    tab.get_by_role("button", name="注册").click()
    tab.fill("#password", PASSWORD)
    tab.get_by_role("button", name="登录").click()
    expect(tab).to_have_url(server + "/contacts")


def _save(tab: Page) -> None:
    tab.get_by_role("button", name="保存").click()


def test_contacts_and_groups(server: str, page: tuple[Page, list[str]]) -> None:
    tab, complaints = page
    tab.on("dialog", lambda dialog: dialog.accept())
    shots = Shots()
    _register_and_log_in(tab, server, "wangfang")
    expect(tab.get_by_role("link", name="通讯录", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    shots.take(tab, "20-contacts-empty")

    tab.fill("#new-group", "同事")
    tab.get_by_role("button", name="添加分组").click()
    expect(tab.locator("h1")).to_have_text("通讯录 · 同事")

    tab.get_by_role("link", name="＋ 新建联系人").click()
    tab.fill('[name="name"]', "张伟")
    tab.fill('[name="phones.0.value"]', "电话号码")
    tab.fill('[name="emails.0.value"]', "zhangwei@example.cn")
    tab.fill('[name="company"]', "杭州西湖电子")
    tab.get_by_label("同事").check()
    tab.get_by_label("农历").check()
    tab.select_option('[name="birthday.month"]', "8")
    tab.select_option('[name="birthday.day"]', "15")
    shots.take(tab, "21-contact-new")
    _save(tab)
    expect(tab.locator('[id="err-phones.0.value"]')).to_contain_text("不是电话号码")
    expect(tab.locator('[name="company"]')).to_have_value("杭州西湖电子")
    shots.take(tab, "22-contact-form-error")
    tab.fill('[name="phones.0.value"]', "+86 138 0013 8000")
    _save(tab)
    expect(tab.locator("h1")).to_have_text("张伟")
    expect(tab.get_by_text("农历八月十五")).to_be_visible()
    shots.take(tab, "23-contact-view")

    tab.goto(server + "/contacts")
    tab.fill('[name="q"]', "zw")
    tab.get_by_role("button", name="搜索").click()
    expect(tab.locator(".contact-name")).to_have_text(["张伟"])
    shots.take(tab, "24-contacts-found-zw")

    tab.get_by_role("link", name="张伟").click()
    tab.get_by_role("link", name="修改").click()
    edit_url = tab.url
    second = tab.context.new_page()  # another tab changes the contact meanwhile
    second.goto(edit_url)
    second.fill('[name="title"]', "总经理")
    second.get_by_role("button", name="保存").click()
    expect(second.locator("h1")).to_have_text("张伟")
    second.close()
    tab.fill('[name="company"]', "西湖电子集团")
    _save(tab)
    expect(tab.locator("h1")).to_have_text("保存冲突")
    expect(tab.locator(".version.theirs")).to_contain_text("总经理")
    expect(tab.locator(".version.mine")).to_contain_text("西湖电子集团")
    shots.take(tab, "25-contact-conflict")
    tab.get_by_role("button", name="保留我的版本").click()
    expect(tab.get_by_text("西湖电子集团")).to_be_visible()

    tab.get_by_role("button", name="删除").click()
    expect(tab).to_have_url(server + "/contacts")
    expect(tab.get_by_role("heading", name="通讯录还是空的")).to_be_visible()

    tab.get_by_role("link", name="删除分组 同事").click()
    expect(tab.locator("h1")).to_have_text("删除分组“同事”？")
    shots.take(tab, "26-group-delete")
    tab.get_by_role("button", name="删除分组").click()
    expect(tab.locator(".side-empty")).to_have_text("还没有分组")
    assert complaints == []


def test_memos_dates_events_upcoming(server: str, page: tuple[Page, list[str]]) -> None:
    tab, complaints = page
    shots = Shots()
    _register_and_log_in(tab, server, "zhaolei")

    tab.get_by_role("link", name="备忘录").click()
    shots.take(tab, "30-memos-empty")
    for title, body, pinned in (("买菜", "西红柿、鸡蛋、青菜", False), ("房租", "每月5号前", True)):
        tab.get_by_role("link", name="＋ 新建备忘").click()
        tab.fill('[name="title"]', title)
        tab.fill('[name="body"]', body)
        if pinned:
            tab.get_by_label("置顶").check()
        _save(tab)
    expect(tab.locator(".entry-title")).to_have_text(["置顶 房租", "买菜"])
    shots.take(tab, "31-memos")
    tab.get_by_role("button", name="取消置顶").click()
    expect(tab.get_by_role("button", name="取消置顶")).to_have_count(0)

    tab.get_by_role("link", name="生日节日").click()
    expect(tab).to_have_url(server + "/birthdays")
    tab.get_by_role("link", name="＋ 添加生日").click()
    tab.fill('[name="name"]', "外婆")
    tab.get_by_label("农历").check()
    tab.fill('[name="date.year"]', "1948")
    tab.select_option('[name="date.month"]', "8")
    tab.select_option('[name="date.day"]', "15")
    shots.take(tab, "32-birthday-new")
    _save(tab)
    expect(tab.locator(".entry-title")).to_have_text(["外婆"])
    expect(tab.locator(".entry-meta")).to_contain_text("农历1948年八月十五")
    expect(tab.locator(".entry-meta")).to_contain_text("周岁")
    shots.take(tab, "33-birthdays")

    tab.get_by_role("link", name="节日", exact=True).click()
    tab.get_by_role("link", name="＋ 添加节日").click()
    tab.fill('[name="name"]', "结婚纪念日")
    tab.fill('[name="date.year"]', "2016")
    tab.select_option('[name="date.month"]', "10")
    tab.select_option('[name="date.day"]', "1")
    _save(tab)
    expect(tab).to_have_url(server + "/holidays")
    expect(tab.locator(".entry-meta")).to_contain_text("2016年10月1日")
    shots.take(tab, "34-holidays")

    tab.get_by_role("link", name="日程").click()
    tab.get_by_role("link", name="＋ 新建日程").click()
    tab.fill('[name="title"]', "羽毛球")
    tab.fill('[name="start_date"]', date.today().isoformat())
    tab.fill('[name="start_time"]', "23:30")
    tab.select_option('[name="rrule"]', "FREQ=WEEKLY")
    tab.fill('[name="location"]', "奥体中心")
    shots.take(tab, "35-event-new")
    _save(tab)
    expect(tab.locator(".occurrences .entry-title").first).to_have_text("羽毛球")
    expect(tab.locator(".occurrences .entry-link").first).to_have_attribute(
        "href", re.compile(r"^/events/[0-9a-f-]{36}/edit$")
    )
    shots.take(tab, "36-events")

    tab.get_by_role("link", name="近期").click()
    expect(tab.locator(".upcoming")).to_contain_text("羽毛球")
    shots.take(tab, "37-upcoming")

    tab.set_viewport_size(PHONE)
    nav = tab.locator("#mainnav")
    expect(nav).to_be_hidden()
    tab.get_by_role("button", name="菜单").click()
    expect(nav).to_be_visible()
    tab.screenshot(path=str(shots.folder / "38-phone-menu-open-375x812.png"))
    tab.get_by_role("link", name="备忘录").click()
    expect(tab).to_have_url(server + "/memos")
    assert complaints == []


def _store_payloads(server: str, username: str) -> dict[str, str]:
    with httpx.Client(base_url=server, timeout=10) as api:
        body = {"username": username, "password": PASSWORD}
        assert api.post("/api/v1/auth/register", json=body).status_code == 201
        token = api.post("/api/v1/auth/token", json={**body, "device": "test"}).json()["token"]
        headers = {"authorization": f"Bearer {token}"}
        ids: dict[str, str] = {}
        for kind, data in payload_records(date.today()):
            if kind == "contact":
                data = {**data, "groups": [ids["group"]]}
            made = api.post(f"/api/v1/{kind}s", json=data, headers=headers)
            assert made.status_code == 201, made.text
            ids[kind] = made.json()["id"]
        return ids


def test_stored_payloads_never_run(server: str, page: tuple[Page, list[str]]) -> None:
    """Issue 5 §7 in Chromium: every page showing the payloads leaves ``window.__pwned``
    unset, logs no CSP refusal (nothing tried to run) and shows the text as typed."""
    tab, complaints = page
    ids = _store_payloads(server, "xss-tester")
    tab.goto(server + "/login")
    tab.fill("#username", "xss-tester")
    tab.fill("#password", PASSWORD)
    tab.get_by_role("button", name="登录").click()
    for path in pages_for(ids):
        tab.goto(server + path)
        assert tab.evaluate("() => window.__pwned") is None, path
        html = tab.content()
        for marker in RAW_MARKERS:
            assert marker not in html, (path, marker)
    tab.goto(server + f"/contacts/{ids['contact']}")
    expect(tab.locator("h1")).to_have_text("<script>window.__pwned=1</script>")
    Shots().take(tab, "39-escaped-payloads")
    assert complaints == []
