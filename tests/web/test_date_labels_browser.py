"""A lunar date's choices in Chromium (R6): picking 农历 relabels the month and day choices
正月 … 腊月 / 初一 … 三十 (almanac.js; no 31st), 公历 puts the numbers back; choosing 八月 and
十五 by their names stores month 8, day 15 as before."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .browser_support import Shots
from .test_browser_modules import _register_and_log_in, _save

pytestmark = pytest.mark.browser

TEXTS = "el => Array.from(el.options).filter(o => !o.hidden).map(o => o.textContent)"


def test_lunar_choices_follow_the_calendar_switch(
    server: str, page: tuple[Page, list[str]]
) -> None:
    tab, complaints = page
    shots = Shots()
    _register_and_log_in(tab, server, "lunar-labels")
    tab.goto(server + "/birthdays/new")
    month, day = tab.locator('[name="date.month"]'), tab.locator('[name="date.day"]')
    assert month.evaluate(TEXTS) == ["", *(str(m) for m in range(1, 13))]
    tab.fill('[name="name"]', "外婆")
    tab.get_by_label("农历").check()
    assert month.evaluate(TEXTS)[1:4] == ["正月", "二月", "三月"]
    assert month.evaluate(TEXTS)[-2:] == ["冬月", "腊月"]
    assert day.evaluate(TEXTS)[1:3] == ["初一", "初二"] and day.evaluate(TEXTS)[-1] == "三十"
    tab.select_option('[name="date.month"]', label="八月")
    tab.select_option('[name="date.day"]', label="十五")
    shots.take(tab, "36-birthday-lunar-choices")
    tab.get_by_label("公历").check()
    assert month.evaluate(TEXTS)[8] == "8" and day.evaluate(TEXTS)[-1] == "31"
    expect(month).to_have_value("8")
    tab.get_by_label("农历").check()
    _save(tab)
    expect(tab.locator(".entry-meta")).to_contain_text("农历八月十五")
    tab.locator(".entry", has_text="外婆").get_by_role("link", name="修改").click()
    expect(month.locator("option:checked")).to_have_text("八月")
    expect(day.locator("option:checked")).to_have_text("十五")
    assert complaints == []
