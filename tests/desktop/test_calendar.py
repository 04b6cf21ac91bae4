"""The calendar page (R7; issue 6 §2): choosing year, month and day; lunar dates, festivals,
solar terms and 调休 on the days; the person's birthdays marked; the clock switching between
24-hour and 12-hour and hiding when its icon is clicked, the choices remembered."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QDate

from almanac.desktop.calendar_page import cell_note
from almanac.desktop.window import MainWindow

from .conftest import screenshot


def test_choosing_a_day_shows_lunar_festival_and_day_off(qtbot, window: MainWindow) -> None:
    """R7: the jump box chooses year, month and day; 2026-02-17 is 春节, 正月初一, a day off;
    2026-02-14 is a 调休 workday; 2026-04-05 is 清明."""
    window.show_page("calendar")
    page = window.calendar
    page.jump.setDate(QDate(2026, 2, 17))
    assert page.calendar.yearShown() == 2026 and page.calendar.monthShown() == 2
    detail = page.detail.text()
    assert "2026年2月17日 星期二" in detail
    assert "丙午年正月初一" in detail and "春节" in detail and "放假" in detail
    assert cell_note(page.calendar.days[date(2026, 2, 17)]) == ("春节", True)
    assert page.calendar.days[date(2026, 2, 14)].status.makeup
    assert cell_note(page.calendar.days[date(2026, 2, 20)]) == ("初四", False)
    screenshot(window, "50-calendar")

    page.select(date(2026, 4, 5))
    assert page.calendar.monthShown() == 4
    assert "节气：清明" in page.detail.text()
    page.calendar.setCurrentPage(2025, 7)
    assert date(2025, 7, 25) in page.calendar.days  # 闰六月初一
    assert cell_note(page.calendar.days[date(2025, 7, 25)]) == ("闰六月", False)
    page.go_today()
    assert page.selected() == date.today()


def test_birthdays_are_marked_on_their_day(qtbot, window: MainWindow) -> None:
    """R7: the person's birthdays appear on their day (lunar dates placed each year)."""
    window.client.add(
        "birthday",
        {"name": "爷爷", "date": {"calendar": "lunar", "year": 1950, "month": 1, "day": 1}},
    )
    page = window.calendar
    page.refresh()
    page.select(date(2026, 2, 17))
    items = page.calendar.days[date(2026, 2, 17)].items
    assert [(i.kind, i.title, i.age) for i in items] == [("birthday", "爷爷", 76)]
    assert "生日：爷爷（76 周岁）" in page.detail.text()


def test_clock_24h_12h_and_hide_are_remembered(qtbot, window: MainWindow, home: Path) -> None:
    """R7: the clock runs 24-hour or 12-hour; clicking its icon hides the time and clicking
    again shows it; both choices are remembered — in the person's settings (R3), so they
    survive a restart (tests/desktop/test_settings.py) and reach the server."""
    window.show_page("calendar")
    clock = window.calendar.clock
    afternoon = datetime(2026, 5, 1, 14, 5, 9)
    clock.tick(afternoon)
    assert clock.time.text() == "14:05:09"
    clock.h12.click()
    clock.tick(afternoon)
    assert clock.time.text() == "下午 2:05:09"
    assert window.client.preferences().clock_format == "12h"
    clock.icon.click()
    assert clock.time.isHidden()
    assert window.client.preferences().clock_visible is False
    screenshot(window, "51-calendar-clock-hidden")
    clock.icon.click()
    assert not clock.time.isHidden()
    assert window.client.preferences().clock_visible is True
    clock.h24.click()
    assert window.client.preferences().clock_format == "24h"
