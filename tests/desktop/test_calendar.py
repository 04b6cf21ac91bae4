"""The calendar page (R7; issue 6 §2): choosing year, month and day; lunar dates, festivals,
solar terms and 调休 on the days; the person's birthdays marked; the clock switching between
24-hour and 12-hour and hiding when its icon is clicked, the choices remembered."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate

from almanac.calendar import Agenda
from almanac.desktop.calendar_grid import cell_note
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
    # today in the person's zone (Asia/Shanghai by default), not the machine's: from 16:00
    # UTC on, Shanghai is already on the next day
    assert page.selected() == datetime.now(ZoneInfo(page.prefs.time_zone)).date()


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


def _reference(client, prefs) -> Agenda:  # type: ignore[no-untyped-def]
    """The agenda as the page built it before ``Client.agenda`` (every record read here)."""

    def records(kind: str) -> list[dict[str, Any]]:
        return [{"id": str(i.id), **i.content} for i in client.list(kind, limit=1000).items]

    return Agenda(
        birthdays=records("birthday"),
        holidays=records("holiday"),
        events=records("event"),
        timezone=prefs.time_zone,
        hide=prefs.festivals_hidden,
        show=prefs.festivals_shown,
    )


def test_the_page_reads_the_agenda_of_the_client(qtbot, window: MainWindow) -> None:
    """R7: the grid comes from ``Client.agenda`` and shows what the page's own reading gave:
    a lunar birthday on its solar day, an event, a holiday; a festival the person hid is left
    out (七夕); a memo due that day stays on 备忘录 and 提醒."""
    client = window.client
    client.add(
        "birthday",
        {"name": "外婆", "date": {"calendar": "lunar", "year": 1940, "month": 7, "day": 7}},
    )
    client.add("event", {"title": "家宴", "start": "2026-08-19T18:00:00",
                         "end": "2026-08-19T20:00:00"})  # fmt: skip
    client.add("holiday", {"name": "结婚纪念日", "yearly": True,
                           "date": {"calendar": "solar", "month": 8, "day": 20}})  # fmt: skip
    client.add("memo", {"title": "买花", "due": "2026-08-19T09:00:00"})
    page = window.calendar
    page.follow(client.set_preferences({"festivals_hidden": ["qixi"]}))
    page.select(date(2026, 8, 19))  # 农历七月初七 (七夕)
    shown = page.calendar.days
    day = shown[date(2026, 8, 19)]
    assert [(i.kind, i.title) for i in day.items] == [("birthday", "外婆"), ("event", "家宴")]
    assert day.festivals == () and "七夕" not in page.detail.text()
    assert "生日：外婆（86 周岁）" in page.detail.text() and "家宴" not in page.detail.text()
    assert [page.events.list.item(r).text() for r in range(page.events.list.count())] == [
        "18:00–20:00  家宴"
    ]  # the event once, in 当天日程
    assert [i.title for i in shown[date(2026, 8, 20)].items] == ["结婚纪念日"]
    reference = _reference(client, client.preferences())
    start, end = min(shown), max(shown)
    assert [(d.date, d.festivals, d.items) for d in reference.days(start, end)] == [
        (d.date, d.festivals, d.items) for d in (shown[k] for k in sorted(shown))
    ]
