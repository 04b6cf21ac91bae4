"""The help page and the installable web app (issue 5 §4 and §6; R2, R10): the help page in
both languages with the operator's customer-service contact (labelled placeholders until it
is set), linked from the navigation and the error pages; the manifest, its PNG icons and the
links to them in every page."""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from almanac.server.web import STATIC_DIR
from almanac.server.web.headers import CSP

from .support import login, register

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MODULE_TITLES_ZH = (
    *("通讯录", "备忘录", "生日节日", "日程", "近期"),
    *("同步与冲突", "桌面程序", "命令行"),
)
MODULE_TITLES_EN = ("Contacts", "Memos", "Birthdays &amp; holidays", "Events", "Upcoming")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (which must come first)."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_help_page_in_chinese_shows_the_configured_contact(
    app_factory: Callable[..., FastAPI],
) -> None:
    """R10, issue 5 §6: the operator's contact on /help; Chinese by default; no login needed."""
    app = app_factory(
        support_phone="400-820-8820",
        support_email="kefu@xingchen.cn",
        support_hours="每天 8:30–21:00",
    )
    with TestClient(app) as client:
        page = client.get("/help")
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in page.text
    assert "<h1>帮助与客服</h1>" in page.text
    for title in MODULE_TITLES_ZH:
        assert f"<h3>{title}</h3>" in page.text
    assert '<a href="tel:400-820-8820">400-820-8820</a>' in page.text
    assert '<a href="mailto:kefu@xingchen.cn">kefu@xingchen.cn</a>' in page.text
    assert "每天 8:30–21:00" in page.text
    assert "示例" not in page.text


def test_help_page_in_english(app_factory: Callable[..., FastAPI]) -> None:
    """R2, R10: the same page in English, the contact unchanged (it is the operator's text)."""
    app = app_factory(support_phone="+86 21 6543 2100", support_hours="Mon–Fri 9:00–17:30")
    with TestClient(app) as client:
        page = client.get("/help?lang=en")
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert "<h1>Help and support</h1>" in page.text
    for title in MODULE_TITLES_EN:
        assert f"<h3>{title}</h3>" in page.text
    assert '<a href="tel:+862165432100">+86 21 6543 2100</a>' in page.text
    assert "Mon–Fri 9:00–17:30" in page.text
    # the email is still the default: shown as the labelled placeholder, with the note
    assert "support@example.com (示例)" in page.text
    assert "this service has not filled in its own yet" in page.text
    assert "ALMANAC_SUPPORT" not in page.text


def test_defaults_are_labelled_placeholders_until_set(client: TestClient) -> None:
    """Issue 5 §6: sensible defaults shown until the operator sets them — marked as examples,
    not dialable, and the page says who sets the real ones."""
    page = client.get("/help")
    assert page.status_code == 200
    defaults = ("400-000-0000 (示例)", "support@example.com (示例)", "周一至周五 9:00–18:00 (示例)")
    for shown in defaults:
        assert f"<dd>{shown}</dd>" in page.text
    assert "tel:" not in page.text and "mailto:" not in page.text
    assert "服务方尚未填写自己的客服信息" in page.text
    # how to configure it is the operator's business (docs/configuration.md), not the reader's
    assert "ALMANAC_SUPPORT" not in page.text
    assert "仅管理员可见" not in page.text


def test_operators_are_told_which_settings_to_change(
    app_factory: Callable[..., FastAPI],
) -> None:
    """Issue 5 §6: the configuration hint goes to the people in ALMANAC_OPERATORS only; another
    logged-in person sees the defaults and the plain note."""
    app = app_factory(operators="boss")
    with TestClient(app, follow_redirects=False) as boss, TestClient(app) as wang:
        for client, name in ((boss, "boss"), (wang, "wang")):
            assert register(client, name).status_code in (200, 303)
            login(client, name)
        boss_page = boss.get("/help").text
        wang_page = wang.get("/help").text
    assert "400-000-0000 (示例)" in boss_page and "400-000-0000 (示例)" in wang_page
    assert "仅管理员可见" in boss_page
    for name in ("PHONE", "EMAIL", "HOURS"):
        assert f"ALMANAC_SUPPORT_{name}" in boss_page
    assert "ALMANAC_SUPPORT" not in wang_page
    assert "服务方尚未填写自己的客服信息" in wang_page


def test_contact_from_the_environment(
    app_factory: Callable[..., FastAPI], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The settings are read from ALMANAC_SUPPORT_* like every other setting."""
    monkeypatch.setenv("ALMANAC_SUPPORT_PHONE", "010-6552 8888")
    with TestClient(app_factory()) as client:
        page = client.get("/help")
    assert '<a href="tel:010-65528888">010-6552 8888</a>' in page.text


def test_contact_text_is_escaped(app_factory: Callable[..., FastAPI]) -> None:
    """Issue 5 §7: operator text renders escaped like everything else."""
    app = app_factory(support_hours="<script>alert(1)</script>")
    with TestClient(app) as client:
        page = client.get("/help")
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_help_is_in_the_navigation(logged_in: TestClient) -> None:
    """Issue 5 §6: linked from the navigation (logged in) and the top bar (logged out)."""
    contacts = logged_in.get("/contacts")
    assert '<a href="/help">帮助</a>' in contacts.text
    help_page = logged_in.get("/help")
    assert '<a href="/help" aria-current="page">帮助</a>' in help_page.text
    assert 'aria-label="主导航"' in help_page.text


def test_help_is_linked_from_the_login_and_error_pages(client: TestClient) -> None:
    """Issue 5 §6: error pages are friendly, in the person's language, and point to help."""
    assert 'href="/help"' in client.get("/login").text
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert '需要帮助？ <a href="/help">帮助与客服</a>' in missing.text
    missing_en = client.get("/no-such-page?lang=en")
    assert 'Need help? <a href="/help">Help and support</a>' in missing_en.text


def test_manifest_is_valid_with_png_icons_of_the_stated_sizes(client: TestClient) -> None:
    """Issue 5 §4, R2: installable as a web app — the manifest's fields, and every PNG icon
    it names is served, is a PNG and has the size it states."""
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/manifest+json"
    assert response.headers["content-security-policy"] == CSP
    manifest = json.loads(response.content)
    assert manifest["name"] == "个人助理 Almanac"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    pngs = [icon for icon in manifest["icons"] if icon["type"] == "image/png"]
    assert {icon["sizes"] for icon in pngs} >= {"192x192", "512x512"}
    for icon in pngs:
        served = client.get(icon["src"])
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/png"
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert png_size(served.content) == (width, height)
        assert (STATIC_DIR / Path(icon["src"]).name).read_bytes() == served.content


def test_pages_link_the_manifest_and_touch_icon(client: TestClient) -> None:
    """Issue 5 §4: every page (base template) links the manifest and an apple-touch-icon
    that exists and is a PNG."""
    for path in ("/login", "/register", "/help", "/no-such-page"):
        text = client.get(path).text
        assert '<link rel="manifest" href="/manifest.webmanifest">' in text, path
        assert '<link rel="apple-touch-icon" href="/static/apple-touch-icon.png">' in text, path
    touch = client.get("/static/apple-touch-icon.png")
    assert touch.status_code == 200
    assert png_size(touch.content) == (180, 180)
