"""Network trouble in a real headless Chromium (issue 5 §5, §9; R11, R14): the banner, forms
that keep what was typed (in the page and in localStorage), the "back" message and the resend
with a fresh CSRF token and the kept base version.

The first test really stops the server (its own uvicorn process, restarted on the same port
with the same data); the second cuts the browser off with Playwright's ``set_offline``.
Screenshots of the offline banner and the back-online offer at 1280×800 and 375×812 go to
test-artifacts/web (``Shots`` checks the phone size)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from .browser_support import DESKTOP, PHONE, Shots
from .offline_support import (
    BACK,
    FAILED,
    PASSWORD,
    Restartable,
    _contact_changed_in_another_tab,
    _drafts,
    _register_and_log_in,
    serving,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[Restartable]:
    with serving(tmp_path) as server:
        yield server


def _shoot(shots: Shots, tab: Page, name: str) -> None:
    """A full-page shot from the top, where the sticky banner sits when not scrolled."""
    tab.evaluate("window.scrollTo(0, 0)")
    shots.take(tab, name)


def _check_banner_fits(tab: Page) -> None:
    """At 375×812 the banner is inside the viewport, its buttons touch-sized."""
    tab.set_viewport_size(PHONE)
    box = tab.locator("#net-banner").bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert box["height"] < PHONE["height"] / 3, box
    for button in tab.locator("#net-banner button").all():
        size = button.bounding_box()
        assert size is not None and size["height"] >= 44, size
        assert size["x"] + size["width"] <= PHONE["width"], size
    tab.set_viewport_size(DESKTOP)


def test_server_stopped_typed_contact_kept_and_resent_once(
    own_server: Restartable, page: tuple[Page, list[str]]
) -> None:
    tab, complaints = page
    base = own_server.url
    shots = Shots()
    _register_and_log_in(tab, base, "zhouxun")
    tab.goto(base + "/contacts/new")
    tab.fill('[name="name"]', "李娜")
    tab.fill('[name="phones.0.value"]', "+86 139 1000 2000")
    tab.fill('[name="company"]', "苏州园林设计院")
    tab.fill('[name="notes"]', "周三下午见面\n带上合同")

    own_server.stop()  # the server is really gone: the POST cannot connect
    tab.get_by_role("button", name="保存").click()
    banner = tab.locator("#net-banner")
    expect(banner).to_contain_text(FAILED)
    expect(banner).to_have_attribute("role", "status")
    # Everything typed is still in the page …
    expect(tab).to_have_url(base + "/contacts/new")
    expect(tab.locator('[name="name"]')).to_have_value("李娜")
    expect(tab.locator('[name="notes"]')).to_have_value("周三下午见面\n带上合同")
    # … and in localStorage, kept by the form's action and version, without the CSRF token.
    drafts = _drafts(tab)
    assert [key for key, _ in drafts] == ["almanac.draft|zhouxun|/contacts/new|new"]
    kept = drafts[0][1]
    assert kept["pending"] is True
    assert ["name", "李娜"] in kept["pairs"]
    assert ["company", "苏州园林设计院"] in kept["pairs"]
    assert ["notes", "周三下午见面\n带上合同"] in kept["pairs"]
    assert not any(name == "csrf_token" for name, _ in kept["pairs"])
    _shoot(shots, tab, "70-offline-banner")
    _check_banner_fits(tab)

    own_server.start()  # the probe of /healthz notices; the typed form is not reloaded away
    expect(banner).to_contain_text(BACK, timeout=15_000)
    resend = banner.get_by_role("button", name="重新发送")
    expect(resend).to_be_visible()
    expect(tab.locator('[name="name"]')).to_have_value("李娜")
    _shoot(shots, tab, "71-back-online-offer")
    _check_banner_fits(tab)

    resend.click()
    expect(tab.locator("h1")).to_have_text("李娜")
    expect(tab.get_by_text("苏州园林设计院")).to_be_visible()
    expect(tab.get_by_role("status").filter(has_text="已保存。")).to_have_count(1)
    assert _drafts(tab) == []  # sent: nothing kept any more

    tab.goto(base + "/contacts")
    expect(tab.locator(".contact-name")).to_have_text(["李娜"])  # exactly once
    expect(tab.locator(".flash")).to_have_count(0)  # said once
    assert complaints == []


def test_offline_edit_resent_against_its_base_version_shows_the_conflict(
    server: str, page: tuple[Page, list[str]]
) -> None:
    """R14 across a network cut: tab one edits offline while tab two saves; sending the kept
    change again uses the version tab one started from, so the conflict page shows both."""
    tab, complaints = page
    context = tab.context
    _register_and_log_in(tab, server, "offline-chen")
    tab.goto(server + "/contacts/new")
    tab.fill('[name="name"]', "陈静")
    tab.get_by_role("button", name="保存").click()
    expect(tab.locator("h1")).to_have_text("陈静")
    tab.get_by_role("link", name="修改").click()
    edit_url = tab.url
    started_from = tab.locator('[name="version"]').input_value()

    second = context.new_page()
    second.goto(edit_url)
    second.fill('[name="title"]', "总经理")
    second.get_by_role("button", name="保存").click()
    expect(second.locator("h1")).to_have_text("陈静")
    second.close()

    context.set_offline(True)
    banner = tab.locator("#net-banner")
    expect(banner).to_contain_text("网络已断开")
    tab.fill('[name="company"]', "宁波港务")
    tab.get_by_role("button", name="保存").click()
    expect(banner).to_contain_text(FAILED)
    (key, kept), *others = _drafts(tab)
    assert others == []
    assert key.endswith(f"/edit|{started_from}")
    assert ["version", started_from] in kept["pairs"]

    context.set_offline(False)
    expect(banner).to_contain_text(BACK, timeout=15_000)
    banner.get_by_role("button", name="重新发送").click()
    expect(tab.locator("h1")).to_have_text("保存冲突")
    expect(tab.locator(".version.theirs")).to_contain_text("总经理")
    expect(tab.locator(".version.mine")).to_contain_text("宁波港务")
    tab.get_by_role("button", name="保留我的版本").click()
    expect(tab.locator("h1")).to_have_text("陈静")
    expect(tab.get_by_text("宁波港务")).to_be_visible()
    assert complaints == []


def test_back_online_a_page_without_typing_reloads_with_fresh_data(
    server: str, page: tuple[Page, list[str]]
) -> None:
    """Nothing typed, nothing kept: when the connection is back the page reloads, so a contact
    the desktop app added meanwhile (through the API) shows, and the banner says so."""
    tab, complaints = page
    _register_and_log_in(tab, server, "offline-reload")
    tab.context.set_offline(True)
    banner = tab.locator("#net-banner")
    expect(banner).to_contain_text("网络已断开")
    with httpx.Client(base_url=server, timeout=10) as api:
        login = {"username": "offline-reload", "password": PASSWORD, "device": "desktop"}
        token = api.post("/api/v1/auth/token", json=login).json()["token"]
        made = api.post(
            "/api/v1/contacts",
            json={"name": "孙悦"},
            headers={"authorization": f"Bearer {token}"},
        )
        assert made.status_code == 201, made.text
    expect(tab.locator(".contact-name")).to_have_count(0)
    tab.context.set_offline(False)
    expect(banner).to_contain_text(BACK, timeout=15_000)
    expect(tab.locator(".contact-name")).to_have_text(["孙悦"])
    expect(banner.get_by_role("button", name="重新发送")).to_have_count(0)
    _shoot(Shots(), tab, "72-back-online-refreshed")
    assert complaints == []


def test_two_tabs_the_later_save_shows_the_conflict(
    server: str, page: tuple[Page, list[str]]
) -> None:
    tab, complaints = page
    _contact_changed_in_another_tab(tab, server, "offline-two-tabs")
    tab.fill('[name="company"]', "峨眉山茶业")
    tab.get_by_role("button", name="保存").click()
    expect(tab.locator("h1")).to_have_text("保存冲突")
    expect(tab.locator(".version.theirs")).to_contain_text("武当山文旅")
    expect(tab.locator(".version.mine")).to_contain_text("峨眉山茶业")
    assert complaints == []


def test_typed_text_offered_back_when_the_form_opens_again_in_english(
    server: str, page: tuple[Page, list[str]]
) -> None:
    tab, complaints = page
    _register_and_log_in(tab, server, "offline-draft")
    tab.goto(server + "/contacts/new?lang=en")
    tab.fill('[name="name"]', "王芳")
    tab.fill('[name="address"]', "杭州市西湖区")
    tab.get_by_label("Lunar").check()
    tab.wait_for_function("() => Object.keys(localStorage).some(k => k.includes('/new|new'))")
    tab.goto(server + "/contacts?lang=en")  # left without saving
    tab.goto(server + "/contacts/new?lang=en")
    banner = tab.locator("#net-banner")
    expect(banner).to_contain_text("This form has unsent text")
    _shoot(Shots(), tab, "73-draft-offer-english")
    expect(tab.locator('[name="name"]')).to_have_value("")
    banner.get_by_role("button", name="Restore").click()
    expect(banner).to_be_hidden()
    expect(tab.locator('[name="name"]')).to_have_value("王芳")
    expect(tab.locator('[name="address"]')).to_have_value("杭州市西湖区")
    expect(tab.get_by_label("Lunar")).to_be_checked()
    tab.get_by_role("button", name="Save").click()
    expect(tab.locator("h1")).to_have_text("王芳")
    assert _drafts(tab) == []
    assert complaints == []


def test_words_in_both_languages(server: str, browser: Browser) -> None:
    """The banner's words come from the server, in the page's language."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        tab = context.new_page()
        for lang, offline in (("zh", "网络已断开"), ("en", "You are offline")):
            tab.goto(f"{server}/login?lang={lang}")
            words = tab.locator("#net-banner").get_attribute("data-offline")
            assert words is not None and words.startswith(offline)
    finally:
        context.close()
