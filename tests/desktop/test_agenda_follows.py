"""The pages showing the agenda follow a local edit at once (R7, R9, R14 offline first): an
event added, changed or deleted on 日历 shows on 提醒 without a sync or its 刷新 button; a
birthday added on 生日节日 shows on the calendar grid (its mark) and on 提醒; a memo's due
time set on 备忘录 shows on 提醒. The pages read the store again only when it changed
(``Client.changes``); nothing here waits on a timer — only on the worker that builds 提醒."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QMessageBox

from almanac.desktop.event_dialog import EventDialog
from almanac.desktop.upcoming import UpcomingPage
from almanac.desktop.window import MainWindow

from .conftest import answer_next, wait_workers
from .test_events import DAY, _in_dialog
from .test_memos_dates import _date_dialog

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 10, 9, 0, tzinfo=SH)  # the 提醒 page's present: DAY is 6 days on


def _upcoming(qtbot: Any, window: MainWindow) -> UpcomingPage:
    """提醒, made (and built) with the test's present, then left for 日历."""
    window.reminders.clock = lambda: NOW
    window.show_page("upcoming")
    page: UpcomingPage = window._page("upcoming")
    wait_workers(qtbot)
    return page


def _rows(qtbot: Any, page: UpcomingPage) -> dict[str, list[str]]:
    wait_workers(qtbot)  # the page builds in a worker
    table = page.table
    return {
        table.item(r, 3).text(): [table.item(r, c).text() for c in range(5)]
        for r in range(table.rowCount())
    }


def test_an_event_edited_on_the_calendar_shows_on_reminders_at_once(
    qtbot, window: MainWindow
) -> None:
    """Added, moved and renamed, then deleted on 日历: 提醒 shows each at once, nothing synced."""
    upcoming = _upcoming(qtbot, window)
    assert "项目评审会" not in _rows(qtbot, upcoming)
    window.show_page("calendar")
    page = window.calendar
    seen: dict[str, Any] = {}

    def fill(dialog: EventDialog) -> None:
        dialog.title.setText("项目评审会")
        dialog.start.edit.setDateTime(QDateTime(datetime(2026, 12, 16, 14, 30)))

    answer_next(_in_dialog(seen, fill))
    page.events.new_on(DAY)
    assert seen["errors"] == {}
    assert _rows(qtbot, upcoming)["项目评审会"] == ["12月16日 周三", "6 天后", "日程",
                                                    "项目评审会", "14:30"]  # fmt: skip

    def move(dialog: EventDialog) -> None:
        dialog.title.setText("项目评审会（改期）")
        dialog.start.edit.setDateTime(QDateTime(datetime(2026, 12, 11, 8, 0)))

    page.select(DAY)
    answer_next(_in_dialog(seen, move))
    page.events.edit_current()
    rows = _rows(qtbot, upcoming)
    assert "项目评审会" not in rows
    assert rows["项目评审会（改期）"][:2] == ["12月11日 周五", "明天"]

    page.select(date(2026, 12, 11))
    answer_next(lambda m: m.button(QMessageBox.StandardButton.Yes).click())  # type: ignore[attr-defined]
    page.events.delete_current()
    assert "项目评审会（改期）" not in _rows(qtbot, upcoming)
    assert window.client.status().last_sync is None  # no sync: the local store alone


def test_a_birthday_and_a_memo_show_on_the_grid_and_on_reminders_at_once(
    qtbot, window: MainWindow
) -> None:
    """A birthday added on 生日节日 marks its day on the grid (the calendar made before) and is
    listed on 提醒; a memo given a due time on 备忘录 is listed on 提醒."""
    upcoming = _upcoming(qtbot, window)
    calendar = window.calendar
    calendar.select(date(2026, 12, 20))
    assert calendar.calendar.days[date(2026, 12, 20)].items == ()
    window.show_page("dates")
    seen: dict[str, Any] = {}
    answer_next(_date_dialog(seen, "小明", {"calendar": "solar", "year": 2016, "month": 12,
                                            "day": 20}))  # fmt: skip
    window.dates.add_entry()
    assert seen["open"] is False
    assert [i.title for i in calendar.calendar.days[date(2026, 12, 20)].items] == ["小明"]
    assert "生日：小明（10 周岁）" in calendar.detail.text()
    assert _rows(qtbot, upcoming)["小明"][:3] == ["12月20日 周日", "10 天后", "生日"]

    window.show_page("memos")
    memos = window.memos
    memos.new_memo()
    memos.title.setText("交年终报告")
    memos.due.has_due.setChecked(True)
    memos.due.when.setDateTime(QDateTime(datetime(2026, 12, 18, 17, 0)))
    assert memos.save() is not None
    assert _rows(qtbot, upcoming)["交年终报告"][:2] == ["12月18日 周五", "8 天后"]


def test_a_page_reads_the_store_again_only_when_it_changed(qtbot, window: MainWindow) -> None:
    """Back on 提醒 with nothing changed, nothing is built again; a change made without a page
    (the client called directly, as the CLI in another process would) shows on the next visit
    of 日历 and of 提醒."""
    upcoming = _upcoming(qtbot, window)
    calendar = window.calendar
    built = upcoming._generation
    window.show_page("calendar")
    window.show_page("upcoming")
    wait_workers(qtbot)
    assert upcoming._generation == built
    window.client.add("event", {"title": "体检", "start": "2026-12-12T08:30",
                                "end": "2026-12-12T10:00"})  # fmt: skip
    window.show_page("calendar")
    calendar.select(date(2026, 12, 12))
    events = calendar.events.list
    assert [events.item(r).text() for r in range(events.count())] == ["08:30–10:00  体检"]
    window.show_page("upcoming")
    assert _rows(qtbot, upcoming)["体检"][:2] == ["12月12日 周六", "后天"]


def test_a_visit_while_a_sync_runs_reads_nothing_until_it_ends(qtbot, window: MainWindow) -> None:
    """While a sync holds the store, going to 日历 or 提醒 reads nothing (the window would wait
    for the sync's writes); the sync's end reads both again, with what changed before it."""
    upcoming = _upcoming(qtbot, window)
    calendar = window.calendar
    built = upcoming._generation
    window.client.add("event", {"title": "体检", "start": "2026-12-12T08:30",
                                "end": "2026-12-12T10:00"})  # fmt: skip
    window.sync.start()  # in a worker: running until its answer comes back through the loop
    window.show_page("calendar")
    window.show_page("upcoming")
    assert upcoming._generation == built
    assert calendar.calendar.days[date(2026, 12, 12)].items == ()
    qtbot.waitUntil(lambda: not window.sync.running, timeout=20_000)
    assert [i.title for i in calendar.calendar.days[date(2026, 12, 12)].items] == ["体检"]
    assert "体检" in _rows(qtbot, upcoming)
