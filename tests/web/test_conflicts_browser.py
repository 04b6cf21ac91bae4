"""Sync conflicts in a real headless Chromium against a real server (issue 5 §1, §9; R2, R8,
R14): two devices change one contact's company and one memo's text through the sync API,
the navigation shows the badge, /conflicts shows both values, keeping one settles it and the
badge goes. /conflicts is saved at 1280×800 and 375×812 under test-artifacts/web (Shots
checks the phone size: no sideways scrolling, controls ≥ 44 px)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from .browser_support import DESKTOP, PHONE, Shots
from .payloads import IMG, SCRIPT

pytestmark = pytest.mark.browser

PASSWORD = "腊梅-2026-conflicts"
USERNAME = "qianduo"
MEMO = "周末要做的事：\n" + "\n".join(f"{n}. 打扫第 {n} 个房间" for n in range(1, 30))


def _push(api: httpx.Client, headers: dict[str, str], **mutation: Any) -> dict[str, Any]:
    body = {"mutations": [{"mutation_id": str(uuid.uuid4()), **mutation}]}
    response = api.post("/api/v1/sync/push", json=body, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["results"][0]
    assert result["status"] != "rejected", result
    return result


def _two_devices(
    api: httpx.Client,
    headers: dict[str, str],
    kind: str,
    data: dict[str, Any],
    field: str,
    first: Any,
    second: Any,
) -> None:
    rid = str(uuid.uuid4())
    made = _push(api, headers, record_id=rid, kind=kind, op="create", changes=data)
    base = made["record"]["version"]
    for value in (first, second):
        edit = {"record_id": rid, "kind": kind, "op": "update", "base_version": base}
        _push(api, headers, **edit, changes={field: value})


def _make_conflicts(server: str, username: str = USERNAME, hostile: bool = False) -> None:
    with httpx.Client(base_url=server, timeout=30) as api:
        body = {"username": username, "password": PASSWORD}
        assert api.post("/api/v1/auth/register", json=body).status_code == 201
        token = api.post("/api/v1/auth/token", json={**body, "device": "手机"}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        if hostile:  # payloads in the title and both values (issue 5 §7)
            contact = {"name": SCRIPT, "company": "x"}
            _two_devices(api, headers, "contact", contact, "company", IMG, SCRIPT)
            memo = {"title": IMG, "body": "a\nb"}
            _two_devices(api, headers, "memo", memo, "body", "a\n" + SCRIPT, "a\n" + IMG)
            return
        contact = {"name": "赵敏", "company": "阿里巴巴"}
        _two_devices(api, headers, "contact", contact, "company", "腾讯", "字节跳动")
        memo = {"title": "周末", "body": MEMO}
        phone = MEMO.replace("1. 打扫第 1 个房间", "1. 打扫客厅和阳台")
        laptop = MEMO.replace("1. 打扫第 1 个房间", "1. 先去买菜，再打扫厨房")
        _two_devices(api, headers, "memo", memo, "body", phone, laptop)


def _log_in(tab: Page, server: str, username: str = USERNAME) -> None:
    tab.goto(server + "/login")
    tab.fill("#username", username)
    tab.fill("#password", PASSWORD)
    tab.get_by_role("button", name="登录").click()


def test_see_both_versions_and_keep_one(server: str, page: tuple[Page, list[str]]) -> None:
    tab, complaints = page
    shots = Shots()
    _make_conflicts(server)
    _log_in(tab, server)
    expect(tab).to_have_url(server + "/contacts")
    nav = tab.locator("#mainnav")
    expect(nav.locator(".count-badge")).to_have_text("2")

    nav.get_by_role("link", name="冲突").click()
    expect(tab).to_have_url(server + "/conflicts")
    expect(tab.locator("h1")).to_have_text("同步冲突")
    cards = tab.locator(".cf")
    expect(cards).to_have_count(2)
    contact = cards.filter(has_text="赵敏")
    expect(contact.locator(".version.kept .cf-value")).to_have_text("字节跳动")
    expect(contact.locator(".version.other .cf-value")).to_have_text("腾讯")
    expect(contact).to_contain_text("字段：单位")
    memo = cards.filter(has_text="周末")
    expect(memo.locator(".version.kept .cf-value")).to_contain_text("先去买菜")
    expect(memo.locator(".version.other .cf-value")).to_contain_text("打扫客厅和阳台")
    memo.get_by_text("修改前的内容").click()
    expect(memo.locator(".cf-base .cf-value")).to_contain_text("1. 打扫第 1 个房间")
    shots.take(tab, "90-conflicts")
    tab.set_viewport_size(PHONE)  # the navigation folds into the menu: the badge shows on it
    expect(tab.locator(".menu-toggle .count-badge")).to_have_text("2")
    tab.set_viewport_size(DESKTOP)

    # Keep the phone's company: the contact shows it, one conflict is left.
    contact.get_by_role("button", name="改用这个版本").click()
    expect(tab).to_have_url(server + "/conflicts?done=other")
    expect(tab.get_by_role("status").filter(has_text="已改用另一版本")).to_be_visible()
    expect(nav.locator(".count-badge")).to_have_text("1")
    expect(tab.locator(".cf")).to_have_count(1)

    # Keep the laptop's text: nothing is open any more, the badge is gone.
    tab.locator(".cf").get_by_role("button", name="保留这个版本").click()
    expect(tab).to_have_url(server + "/conflicts?done=kept")
    expect(tab.get_by_text("没有待处理的冲突。")).to_be_visible()
    expect(nav.locator(".count-badge")).to_have_count(0)
    shots.take(tab, "91-conflicts-none")

    tab.get_by_role("link", name="查看已处理的冲突").click()
    expect(tab.locator(".cf")).to_have_count(2)
    expect(tab.locator(".cf").filter(has_text="赵敏").locator(".cf-now")).to_contain_text("腾讯")
    shots.take(tab, "92-conflicts-settled")

    tab.get_by_role("link", name="通讯录").click()
    expect(tab.locator("#mainnav .nav-conflicts")).to_have_count(0)
    expect(tab.get_by_text("腾讯")).to_be_visible()
    assert complaints == []


def test_payloads_in_conflicts_never_run(server: str, page: tuple[Page, list[str]]) -> None:
    """Issue 5 §7 in Chromium: titles and both values holding payloads stay text."""
    tab, complaints = page
    _make_conflicts(server, "qianduo2", hostile=True)
    _log_in(tab, server, "qianduo2")
    for path in ("/conflicts", "/conflicts/settled"):
        tab.goto(server + path)
        assert tab.evaluate("() => window.__pwned") is None, path
    tab.goto(server + "/conflicts")
    expect(tab.locator(".cf")).to_have_count(2)
    expect(tab.locator(".cf-head a").first).to_have_text(SCRIPT)
    tab.locator(".cf").first.get_by_role("button", name="改用这个版本").click()
    expect(tab.locator(".cf")).to_have_count(1)
    assert tab.evaluate("() => window.__pwned") is None
    assert complaints == []
