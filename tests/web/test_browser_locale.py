"""The test browser speaks Chinese (issue 5 §9: screenshots as a person in China sees them):
Chromium's UI language is zh-CN — its date and time inputs read 2026/11/27 and 14:05, not
11/27/2026 and 02:05 PM — which takes Debian's chromium-l10n and LANGUAGE/LANG at launch
(headless Chromium ignores --lang). The page contexts say zh-CN too (conftest)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from .browser_support import Shots
from .test_browser_modules import _register_and_log_in

pytestmark = pytest.mark.browser


def test_the_browser_itself_is_chinese(browser: Browser) -> None:
    context = browser.new_context()  # no locale given: Chromium's own UI language
    try:
        tab = context.new_page()
        found = tab.evaluate("[navigator.language, Intl.DateTimeFormat().resolvedOptions().locale]")
        assert found == ["zh-CN", "zh-CN"]
    finally:
        context.close()


def test_an_event_form_with_date_and_time_inputs(server: str, page: tuple[Page, list[str]]) -> None:
    tab, complaints = page
    _register_and_log_in(tab, server, "locale-walker")
    tab.goto(server + "/events/new?date=2026-11-27")
    expect(tab.locator('[name="start_date"]')).to_have_value("2026-11-27")
    tab.fill('[name="start_time"]', "14:05")
    Shots().take(tab, "37-event-form-date-inputs")
    assert complaints == []
