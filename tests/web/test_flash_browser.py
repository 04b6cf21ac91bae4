"""The message after a save or a delete in Chromium (R4–R7): offline.js sends the form with
fetch and opens the page it was sent to; that page says 已保存。/已删除。 once, with
role="status", and the CSP stays quiet (no inline script). A long memo shows as a preview."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .browser_support import Shots
from .test_browser_modules import _register_and_log_in, _save

pytestmark = pytest.mark.browser

LONG = "《红楼梦》第三回\n" + "很长的一段文字。" * 30


def test_saved_and_deleted_are_said_once(server: str, page: tuple[Page, list[str]]) -> None:
    tab, complaints = page
    shots = Shots()
    _register_and_log_in(tab, server, "flash-walker")
    tab.goto(server + "/memos/new")
    tab.fill('[name="title"]', "读书笔记")
    tab.fill('[name="body"]', LONG)
    _save(tab)
    expect(tab).to_have_url(server + "/memos")
    said = tab.get_by_role("status").filter(has_text="已保存。")
    expect(said).to_have_count(1)
    expect(tab.locator(".entry-text")).to_have_text(LONG[:8] + "\n" + LONG[9:120] + "…")
    expect(tab.get_by_role("link", name="查看全文：读书笔记")).to_be_visible()
    shots.take(tab, "34-memo-saved")
    tab.reload()
    expect(tab.locator(".flash")).to_have_count(0)  # shown once

    tab.get_by_role("link", name="查看全文：读书笔记").click()
    expect(tab.locator('[name="body"]')).to_have_value(LONG)  # the whole text on its form
    tab.fill('[name="title"]', "读书笔记（二）")
    _save(tab)
    expect(tab.locator(".flash")).to_have_text("已保存。")

    tab.once("dialog", lambda dialog: dialog.accept())  # almanac.js asks before a delete
    tab.locator(".entry", has_text="读书笔记").get_by_role("button", name="删除").click()
    expect(tab.locator(".flash")).to_have_text("已删除。")
    expect(tab.locator(".entry")).to_have_count(0)
    shots.take(tab, "35-memo-deleted")
    tab.goto(server + "/contacts")
    expect(tab.locator(".flash")).to_have_count(0)
    assert complaints == []
