"""The browser path end to end (issue 2 §6; R1, R2, R4) in a real headless Chromium against a
real uvicorn server: register, log in, see one's contacts, search by pinyin initials, log out
— with screenshots at desktop and phone size under test-artifacts/web/."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from .browser_support import Shots

pytestmark = pytest.mark.browser

USERNAME = "liming"
PASSWORD = "桂花-2026-spring"


def add_contacts_through_the_api(base_url: str) -> None:
    """张三 and 李四, added as the desktop app would: a bearer token and the JSON API."""
    with httpx.Client(base_url=base_url, timeout=10) as api:
        login = {"username": USERNAME, "password": PASSWORD, "device": "browser test"}
        token = api.post("/api/v1/auth/token", json=login).json()["token"]
        headers = {"authorization": f"Bearer {token}"}
        contacts = [
            {
                "name": "张三",
                "phones": [{"label": "mobile", "value": "+86 138 0013 8000"}],
                "emails": [{"label": "work", "value": "zhangsan@example.cn"}],
                "company": "北京星辰科技有限公司",
                "title": "产品经理",
            },
            {
                "name": "李四",
                "phones": [{"label": "home", "value": "021-6543 2100"}],
                "company": "上海明月设计",
            },
        ]
        for contact in contacts:
            response = api.post("/api/v1/contacts", json=contact, headers=headers)
            assert response.status_code == 201, response.text


def test_register_log_in_list_search_log_out(server: str, page: tuple[Page, list[str]]) -> None:
    tab, complaints = page
    shots = Shots()

    tab.goto(server + "/")
    expect(tab).to_have_url(server + "/login")
    expect(tab.locator("h1")).to_have_text("登录 Almanac")
    shots.take(tab, "01-login")

    tab.get_by_role("link", name="注册").click()
    expect(tab).to_have_url(server + "/register")
    shots.take(tab, "02-register")

    tab.fill("#username", "li")
    tab.fill("#password", PASSWORD)
    tab.fill("#password2", PASSWORD)
    tab.get_by_role("button", name="注册").click()
    expect(tab.get_by_role("alert")).to_have_text("用户名：至少需要 3 个字符")
    shots.take(tab, "03-register-error")

    tab.fill("#username", USERNAME)
    tab.fill("#password", PASSWORD)
    tab.fill("#password2", PASSWORD)
    tab.get_by_role("button", name="注册").click()
    expect(tab.get_by_role("status")).to_have_text("注册成功，请登录。")
    expect(tab.locator("#username")).to_have_value(USERNAME)
    shots.take(tab, "04-login-after-register")

    tab.fill("#password", "wrong-password")
    tab.get_by_role("button", name="登录").click()
    expect(tab.get_by_role("alert")).to_have_text("用户名或密码错误")
    expect(tab.locator("#username")).to_have_value(USERNAME)
    expect(tab.locator("#password")).to_have_value("")
    shots.take(tab, "05-login-wrong-password")

    tab.fill("#password", PASSWORD)
    tab.get_by_role("button", name="登录").click()
    expect(tab).to_have_url(server + "/contacts")
    expect(tab.get_by_role("heading", name="通讯录还是空的")).to_be_visible()
    shots.take(tab, "06-contacts-empty")

    add_contacts_through_the_api(server)
    tab.reload()
    names = tab.locator(".contact-name")
    expect(names).to_have_count(2)
    assert sorted(names.all_inner_texts()) == sorted(["张三", "李四"])
    expect(tab.get_by_role("link", name="+86 138 0013 8000")).to_be_visible()
    expect(tab.get_by_text("北京星辰科技有限公司")).to_be_visible()
    shots.take(tab, "07-contacts")

    tab.fill("#q", "zs")
    tab.press("#q", "Enter")
    expect(tab).to_have_url(re.compile(re.escape(server + "/contacts?q=zs")))
    expect(names).to_have_count(1)
    expect(names).to_have_text("张三")
    shots.take(tab, "08-contacts-search-zs")

    tab.goto(server + "/contacts?lang=en")
    expect(tab.locator("h1")).to_have_text("Contacts")
    shots.take(tab, "09-contacts-english")
    tab.goto(server + "/contacts?lang=zh")

    tab.get_by_role("button", name="退出登录").click()
    expect(tab).to_have_url(server + "/login?logged_out=1")
    expect(tab.get_by_role("status")).to_have_text("您已退出登录。")
    shots.take(tab, "10-logged-out")

    tab.goto(server + "/contacts")
    expect(tab).to_have_url(server + "/login")

    response = tab.goto(server + "/no-such-page")
    assert response is not None and response.status == 404
    expect(tab.locator("h1")).to_have_text("找不到页面")
    shots.take(tab, "11-not-found")

    tab.get_by_role("link", name="帮助与客服").click()  # issue 5 §6: help from the error page
    expect(tab).to_have_url(server + "/help")
    expect(tab.locator("h1")).to_have_text("帮助与客服")
    expect(tab.locator(".support-phone dd")).to_have_text("400-000-0000 (示例)")
    shots.take(tab, "12-help")

    assert complaints == []
    assert all(Path(p).stat().st_size > 0 for p in shots.saved)


def test_the_api_docs_page_runs_under_the_strict_csp(
    server: str, page: tuple[Page, list[str]]
) -> None:
    """/docs (Swagger UI, offline) works without any 'unsafe-inline' exception."""
    tab, complaints = page
    response = tab.goto(server + "/docs")
    assert response is not None
    assert "unsafe-inline" not in (response.headers.get("content-security-policy") or "x")
    expect(tab.locator(".swagger-ui .info")).to_be_visible()
    assert complaints == []


def test_a_form_from_another_site_is_refused(server: str, page: tuple[Page, list[str]]) -> None:
    """CSRF in a real browser (R1): another site's form, even carrying this person's real
    token, does not log them out — the SameSite=Strict CSRF cookie never comes with it."""
    tab, _complaints = page
    with httpx.Client(base_url=server, timeout=10) as api:
        body = {"username": "zhaoliu", "password": PASSWORD}
        assert api.post("/api/v1/auth/register", json=body).status_code == 201
    tab.goto(server + "/login")
    tab.fill("#username", "zhaoliu")
    tab.fill("#password", PASSWORD)
    tab.get_by_role("button", name="登录").click()
    expect(tab).to_have_url(server + "/contacts")
    leaked = tab.locator('input[name="csrf_token"]').first.get_attribute("value")
    assert leaked

    tab.goto("about:blank")  # another site: an opaque origin
    tab.set_content(
        f'<form method="post" action="{server}/logout">'
        f'<input type="hidden" name="csrf_token" value="{leaked}">'
        '<button id="go">win a prize</button></form>'
    )
    with tab.expect_navigation() as navigation:
        tab.click("#go")
    response = navigation.value
    assert response is not None and response.status == 403
    assert "禁止访问" in tab.content()
    Shots().take(tab, "14-forbidden")

    tab.goto(server + "/contacts")
    expect(tab).to_have_url(server + "/contacts")
    expect(tab.get_by_role("button", name="退出登录")).to_be_visible()
