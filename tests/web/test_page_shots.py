"""Screenshots of the pages no other browser test visits (issue 5 §9: every page the server
serves, at 1280×800 and 375×812, under test-artifacts/web; ``Shots`` checks the phone size —
no sideways scrolling, controls ≥ 44 px): the group form (a taken name, a rename), the change
forms of a contact, memo, birthday, holiday and event, the new memo and new holiday forms, help
while logged in, the 400 page, and the operators' error reports (R10). Each page is checked
for what it must say before it is saved."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import httpx
import pytest
from playwright.sync_api import Page, expect

from .browser_support import OPERATOR, PHONE, TOUCH_MIN_PX, Shots

pytestmark = pytest.mark.browser

PASSWORD = "山茶花-2026-shots"


def _records(server: str) -> dict[str, str]:
    """The operator's account and one record of each kind, made through the JSON API."""
    soon = (date.today() + timedelta(days=3)).isoformat()
    kinds = [
        ("group", {"name": "同事"}),
        ("contact", {"name": "欧阳晓明", "company": "杭州西湖电子", "title": "工程师",
                     "phones": [{"label": "mobile", "value": "+86 139 1234 5678"}],
                     "birthday": {"calendar": "lunar", "month": 8, "day": 15}}),
        ("memo", {"title": "交房租", "body": "每月5号前转账给房东", "due": f"{soon}T09:00",
                  "pinned": True}),
        ("birthday", {"name": "外婆", "date": {"calendar": "lunar", "year": 1948, "month": 8,
                                               "day": 15}}),
        ("holiday", {"name": "结婚纪念日", "date": {"year": 2016, "month": 10, "day": 1}}),
        ("event", {"title": "羽毛球", "start": f"{soon}T19:30", "end": f"{soon}T21:00",
                   "timezone": "Asia/Shanghai", "location": "奥体中心", "rrule": "FREQ=WEEKLY"}),
    ]  # fmt: skip
    with httpx.Client(base_url=server, timeout=10) as api:
        body = {"username": OPERATOR, "password": PASSWORD}
        assert api.post("/api/v1/auth/register", json=body).status_code == 201
        token = api.post("/api/v1/auth/token", json={**body, "device": "shots"}).json()["token"]
        headers = {"authorization": f"Bearer {token}"}
        ids = {}
        for kind, data in kinds:
            made = api.post(f"/api/v1/{kind}s", json=data, headers=headers)
            assert made.status_code == 201, made.text
            ids[kind] = made.json()["id"]
        ids["report"] = _report(api)
    return ids


def _report(api: httpx.Client) -> str:
    report_id = str(uuid.uuid4())
    body = {
        "report_id": report_id, "app_version": "0.1.0", "os": "Windows-11",
        "what": "memos.save", "error_type": "builtins.KeyError", "message": "'title'",
        "traceback": 'Traceback (most recent call last):\n  File "almanac/desktop/memos.py", '
        "line 42, in save\nKeyError: 'title'",
    }  # fmt: skip
    assert api.post("/api/v1/reports", json=body).status_code == 201
    return report_id


def _h1(tab: Page, server: str, path: str, heading: str) -> None:
    tab.goto(server + path)
    expect(tab.locator("h1")).to_contain_text(heading)


def test_every_other_page_at_both_sizes(server: str, page: tuple[Page, list[str]]) -> None:
    tab, complaints = page
    shots = Shots()
    ids = _records(server)
    tab.goto(server + "/login")
    tab.fill("#username", OPERATOR)
    tab.fill("#password", PASSWORD)
    tab.get_by_role("button", name="登录").click()
    expect(tab).to_have_url(server + "/contacts")

    tab.fill("#new-group", "同事")  # the group menu's form, a name already taken
    tab.get_by_role("button", name="添加分组").click()
    expect(tab.locator("h1")).to_have_text("添加分组")
    expect(tab.locator("#form-problems")).to_contain_text("分组名称：已经存在")
    shots.take(tab, "60-group-name-taken")
    tab.set_viewport_size(PHONE)  # the menu's rename button, touch-sized on a phone
    tab.goto(server + "/contacts")
    rename = tab.get_by_role("link", name="重命名分组 同事")
    box = rename.bounding_box()
    assert box is not None and box["width"] >= TOUCH_MIN_PX and box["height"] >= TOUCH_MIN_PX
    shots.take(tab, "61-group-menu")
    rename.click()
    expect(tab).to_have_url(server + f"/groups/{ids['group']}/edit")
    expect(tab.locator("h1")).to_have_text("重命名分组")
    expect(tab.locator('[name="name"]')).to_have_value("同事")
    shots.take(tab, "61-group-rename")

    forms = [
        (f"/contacts/{ids['contact']}/edit", "修改联系人", "62-contact-edit"),
        ("/memos/new", "新建备忘", "63-memo-new"),
        (f"/memos/{ids['memo']}/edit", "修改备忘", "64-memo-edit"),
        (f"/birthdays/{ids['birthday']}/edit", "修改生日", "65-birthday-edit"),
        ("/holidays/new", "添加节日", "66-holiday-new"),
        (f"/holidays/{ids['holiday']}/edit", "修改节日", "67-holiday-edit"),
        (f"/events/{ids['event']}/edit", "修改日程", "68-event-edit"),
    ]
    for path, heading, name in forms:
        _h1(tab, server, path, heading)
        shots.take(tab, name)
    expect(tab.locator('[name="location"]')).to_have_value("奥体中心")

    _h1(tab, server, "/help", "帮助与客服")
    expect(tab.locator("#help-calendar")).to_contain_text("日历")
    shots.take(tab, "69-help-logged-in")

    response = tab.goto(server + "/calendar?month=2026-13")
    assert response is not None and response.status == 400
    expect(tab.locator("h1")).to_have_text("请求无效")
    shots.take(tab, "13-bad-request")

    _h1(tab, server, "/operator/reports", "错误报告")
    expect(tab.get_by_text("memos.save").first).to_be_visible()
    shots.take(tab, "96-operator-reports")
    _h1(tab, server, f"/operator/reports/{ids['report']}", "错误报告")
    expect(tab.get_by_text("KeyError: 'title'")).to_be_visible()
    shots.take(tab, "97-operator-report")
    assert complaints == []
