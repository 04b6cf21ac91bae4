"""Network trouble in a real headless Chromium, part two (issue 5 §5; R11, R14):

- the answer to a new contact's POST is lost (the server commits it, then dies before
  answering): the resend after the restart makes exactly one contact;
- the one-button forms — pin, delete, the conflict page's "保留我的版本" — are kept, announced
  and resent like the record forms (a pending one offered again when its page is opened);
- logging out removes the person's drafts from the browser (a shared computer)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .browser_support import Shots
from .offline_support import (
    BACK,
    FAILED,
    _contact_changed_in_another_tab,
    _draft_keys_become,
    _drafts,
    _register_and_log_in,
    serving,
)

pytestmark = pytest.mark.browser

PENDING = "这一页有一项未发送的操作保存在本机"


def test_a_lost_answer_then_the_resend_makes_one_contact(
    tmp_path: Path, page: tuple[Page, list[str]]
) -> None:
    tab, complaints = page
    with serving(tmp_path, "lossy_app:make_app", LOSE_ANSWER_TO="/contacts/new") as server:
        base = server.url
        _register_and_log_in(tab, base, "lost-answer")
        tab.goto(base + "/contacts/new")
        form_id = tab.locator('input[name="id"]').input_value()
        tab.fill('[name="name"]', "李娜")
        tab.fill('[name="company"]', "苏州园林设计院")
        tab.get_by_role("button", name="保存").click()  # committed, then the server dies
        banner = tab.locator("#net-banner")
        expect(banner).to_contain_text(FAILED)
        expect(tab.locator('[name="name"]')).to_have_value("李娜")
        ((key, kept),) = _drafts(tab)
        assert key == "almanac.draft|lost-answer|/contacts/new|new"
        assert kept["pending"] is True and ["id", form_id] in kept["pairs"]

        server.factory = "server_app:make_app"  # the same data, answers no longer lost
        server.start()
        other = tab.context.new_page()  # the first send did arrive
        other.goto(base + "/contacts")
        expect(other.locator(".contact-name")).to_have_text(["李娜"])
        other.close()

        expect(banner).to_contain_text(BACK, timeout=15_000)
        banner.get_by_role("button", name="重新发送").click()
        expect(tab.locator("h1")).to_have_text("李娜")
        expect(tab).to_have_url(f"{base}/contacts/{form_id}")
        assert _drafts(tab) == []
        tab.goto(base + "/contacts")
        expect(tab.locator(".contact-name")).to_have_text(["李娜"])  # exactly once
    assert complaints == []


def test_a_lost_answer_then_a_changed_resend_shows_what_was_saved(
    tmp_path: Path, page: tuple[Page, list[str]]
) -> None:
    """The first send was saved but its answer lost; the person changed the kept form before
    sending it again: the conflict page shows both, the draft now belongs to the record."""
    tab, complaints = page
    with serving(tmp_path, "lossy_app:make_app", LOSE_ANSWER_TO="/memos/new") as server:
        base = server.url
        _register_and_log_in(tab, base, "lost-then-changed")
        tab.goto(base + "/memos/new")
        memo_id = tab.locator('input[name="id"]').input_value()
        tab.fill('[name="title"]', "体检")
        tab.fill('[name="body"]', "空腹")
        tab.get_by_role("button", name="保存").click()
        banner = tab.locator("#net-banner")
        expect(banner).to_contain_text(FAILED)
        tab.fill('[name="body"]', "空腹，带上医保卡")
        server.factory = "server_app:make_app"
        server.start()
        expect(banner).to_contain_text(BACK, timeout=15_000)
        banner.get_by_role("button", name="重新发送").click()
        expect(tab.locator("h1")).to_have_text("保存冲突")
        expect(tab.locator(".lead")).to_contain_text("上次已经保存")
        expect(tab.locator(".version.theirs")).to_contain_text("空腹")
        expect(tab.locator(".version.mine")).to_contain_text("空腹，带上医保卡")
        Shots().take(tab, "75-resent-new-record-conflict")
        # The typed version is kept against the record now, not as a new record's draft.
        want = [f"almanac.draft|lost-then-changed|/memos/{memo_id}/edit|1"]
        assert _draft_keys_become(tab, want) == want
        tab.get_by_role("link", name="保留已保存的版本").click()
        expect(tab.locator(".entry-title")).to_have_text(["体检"])
        assert _draft_keys_become(tab, []) == []
    assert complaints == []


def _add_memo(tab: Page, base: str, title: str) -> None:
    tab.goto(base + "/memos/new")
    tab.fill('[name="title"]', title)
    tab.get_by_role("button", name="保存").click()
    expect(tab.locator(".entry-title").filter(has_text=title)).to_be_visible()


def test_pin_and_delete_kept_offline_and_resent(server: str, page: tuple[Page, list[str]]) -> None:
    tab, complaints = page
    tab.on("dialog", lambda dialog: dialog.accept())  # 确定要删除吗？
    _register_and_log_in(tab, server, "offline-pin")
    _add_memo(tab, server, "交水电费")
    banner = tab.locator("#net-banner")

    tab.context.set_offline(True)
    tab.get_by_role("button", name="置顶").click()
    expect(banner).to_contain_text(FAILED)
    ((key, kept),) = _drafts(tab)
    assert key.startswith("almanac.draft|offline-pin|/memos/") and key.endswith("/pin|1")
    assert kept["pending"] is True and ["pinned", "1"] in kept["pairs"]
    tab.context.set_offline(False)
    expect(banner).to_contain_text(BACK, timeout=15_000)
    banner.get_by_role("button", name="重新发送").click()
    expect(tab.get_by_role("button", name="取消置顶")).to_be_visible()
    assert _drafts(tab) == []

    tab.context.set_offline(True)
    tab.get_by_role("button", name="删除").click()
    expect(banner).to_contain_text(FAILED)
    ((key, kept),) = _drafts(tab)
    assert key.endswith("/delete|2") and kept["pending"] is True
    tab.context.set_offline(False)
    expect(banner).to_contain_text(BACK, timeout=15_000)
    # Opened again later, the page offers the kept deletion (its version still shown).
    tab.reload()
    expect(banner).to_contain_text(PENDING)
    Shots().take(tab, "74-pending-delete-offer")
    expect(tab.locator(".entry-title")).to_have_count(1)
    banner.get_by_role("button", name="重新发送").click()
    expect(tab.locator(".entry-title")).to_have_count(0)
    assert _drafts(tab) == []
    assert complaints == []


def test_keep_mine_on_the_conflict_page_kept_offline_and_resent(
    server: str, page: tuple[Page, list[str]]
) -> None:
    tab, complaints = page
    _contact_changed_in_another_tab(tab, server, "offline-keep-mine")
    tab.fill('[name="company"]', "峨眉山茶业")
    tab.get_by_role("button", name="保存").click()
    expect(tab.locator("h1")).to_have_text("保存冲突")

    banner = tab.locator("#net-banner")
    tab.context.set_offline(True)
    tab.get_by_role("button", name="保留我的版本").click()
    expect(banner).to_contain_text(FAILED)
    expect(tab.locator("h1")).to_have_text("保存冲突")  # the page stays
    kept = dict(_drafts(tab))
    mine = next(d for k, d in kept.items() if k.endswith("/edit|2"))  # against the saved one
    assert mine["pending"] is True and ["company", "峨眉山茶业"] in mine["pairs"]
    tab.context.set_offline(False)
    expect(banner).to_contain_text(BACK, timeout=15_000)
    banner.get_by_role("button", name="重新发送").click()
    expect(tab.locator("h1")).to_have_text("赵敏")
    expect(tab.get_by_text("峨眉山茶业")).to_be_visible()
    assert _drafts(tab) == []  # saved: the edit's drafts are gone too
    assert complaints == []


def test_logging_out_removes_the_persons_drafts(server: str, page: tuple[Page, list[str]]) -> None:
    tab, complaints = page
    _register_and_log_in(tab, server, "shared-pc")
    tab.evaluate(  # someone else's draft on this computer: not this person's to remove
        "localStorage.setItem('almanac.draft|someone|/memos/new|new', '{}')"
    )
    tab.goto(server + "/memos/new")
    tab.fill('[name="title"]', "给妈妈的礼物：围巾")
    tab.wait_for_function("() => Object.keys(localStorage).some(k => k.includes('shared-pc|'))")
    tab.get_by_role("button", name="退出").click()
    expect(tab).to_have_url(server + "/login?logged_out=1")
    assert [key for key, _ in _drafts(tab)] == ["almanac.draft|someone|/memos/new|new"]
    # Back as the same person: nothing is offered.
    tab.fill("#username", "shared-pc")
    tab.fill("#password", "腊梅-2026-offline")
    tab.get_by_role("button", name="登录").click()
    tab.goto(server + "/memos/new")
    expect(tab.locator('[name="title"]')).to_have_value("")
    expect(tab.locator("#net-banner")).to_be_hidden()
    assert complaints == []


def test_a_group_added_offline_beside_the_contacts_is_kept_and_made_once(
    server: str, page: tuple[Page, list[str]]
) -> None:
    tab, complaints = page
    _register_and_log_in(tab, server, "offline-group")
    banner = tab.locator("#net-banner")
    tab.context.set_offline(True)
    tab.fill("#new-group", "大学同学")
    tab.get_by_role("button", name="添加分组").click()
    expect(banner).to_contain_text(FAILED)
    expect(tab.locator("#new-group")).to_have_value("大学同学")
    ((key, kept),) = _drafts(tab)
    assert key == "almanac.draft|offline-group|/groups/new|new" and kept["pending"] is True
    group_id = tab.locator('.add-group input[name="id"]').input_value()
    tab.context.set_offline(False)
    expect(banner).to_contain_text(BACK, timeout=15_000)
    banner.get_by_role("button", name="重新发送").click()
    expect(tab).to_have_url(f"{server}/contacts?group={group_id}")
    expect(tab.locator(".side-link").filter(has_text="大学同学")).to_have_count(1)
    assert _drafts(tab) == []
    assert complaints == []
