"""Reminders and the 提醒 page in the app (issue 6 §2; issue 4 §6; R6, R7, R9), with a clock
the test drives: a reminder that came due while the app was closed is listed at start in
the missed-reminders dialog, and not again after a restart; one coming due while the app
runs pops up once (the corner window: the offscreen platform has no tray), and clicking it
opens the item; the 提醒 page lists the next 30 days with days-until and the age a birthday
turns. Real stores, a live server, real Qt offscreen; screenshots of each."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel

from almanac.desktop.prefs import Prefs
from almanac.desktop.reminders import ReminderWatcher
from almanac.desktop.reminders_popup import headline
from almanac.desktop.window import PAGES, MainWindow

from .conftest import Account, screenshot, wait_workers

SH = ZoneInfo("Asia/Shanghai")


class Clock:
    """The present, as the test says."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def open_window(qtbot, account: Account, home: Path, clock: Clock, login: bool) -> MainWindow:
    client = account.login(home) if login else account.open(home)
    win = MainWindow(client, home, Prefs(server=account.server.url, user=account.username))
    win.timer.stop()
    win.reminders.clock = clock  # before the first check (it runs from the event loop)
    qtbot.addWidget(win)
    win.show()
    qtbot.wait(50)  # the first check starts (a worker) …
    wait_workers(qtbot)  # … and reports
    return win


def close(qtbot, win: MainWindow) -> None:
    wait_workers(qtbot)
    win.close()


def upcoming_rows(page) -> dict[str, list[str]]:
    """The 提醒 page's list: each row's five cells, keyed by its title (column 3)."""
    return {
        page.table.item(r, 3).text(): [page.table.item(r, col).text() for col in range(5)]
        for r in range(page.table.rowCount())
    }


def test_missed_reminder_listed_at_start_once(qtbot, account: Account, tmp_path: Path) -> None:
    home = tmp_path / "home"
    clock = Clock(datetime(2026, 3, 4, 20, 0, tzinfo=SH))
    win = open_window(qtbot, account, home, clock, login=True)
    win.client.add(
        "birthday",
        {"name": "张三", "date": {"calendar": "solar", "month": 3, "day": 5, "year": 1990}},
    )
    win.reminders.check()
    wait_workers(qtbot)
    assert win.reminders.missed is None and win.reminders.popup is None
    close(qtbot, win)

    clock.now = datetime(2026, 3, 6, 8, 0, tzinfo=SH)  # the app was closed over the birthday
    win = open_window(qtbot, account, home, clock, login=False)
    dialog = win.reminders.missed
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    assert dialog.windowTitle() == "您不在时错过的提醒"
    lines = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert len(lines) == 1
    assert lines[0].startswith("生日提醒：张三\n昨天（3月5日 周四） · 满 36 周岁")
    assert "提醒时间 03-05 09:00" in lines[0]
    assert win.reminders.popped == []  # missed ones are not popped up as new
    screenshot(dialog, "80-missed-reminders")
    # clicking it opens the birthday on 生日节日
    rect = dialog.list.visualItemRect(dialog.list.item(0))
    qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert PAGES[win.nav.currentRow()] == "dates"
    current = win.dates.current()
    assert current is not None and current.content["name"] == "张三"
    close(qtbot, win)

    clock.now = datetime(2026, 3, 6, 8, 5, tzinfo=SH)  # a restart: not again
    win = open_window(qtbot, account, home, clock, login=False)
    assert win.reminders.missed is None
    close(qtbot, win)


def test_reminder_coming_due_pops_up_once(qtbot, account: Account, tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 4, 20, 9, 59, 40, tzinfo=SH))
    win = open_window(qtbot, account, tmp_path / "home", clock, login=True)
    event = win.client.add(
        "event",
        {
            "title": "项目评审会",
            "start": "2026-04-20T10:00:00",
            "end": "2026-04-20T11:00:00",
            "timezone": "Asia/Shanghai",
            "reminders": [{"at": None}],
        },
    )
    win.client.add(
        "birthday",
        {"name": "李四", "date": {"calendar": "solar", "month": 4, "day": 21, "year": 1988},
         "reminders": [{"days_before": 1, "at": "10:00"}]},
    )  # fmt: skip
    win.reminders.timer.setInterval(40)  # the timer, faster
    qtbot.wait(200)
    assert win.reminders.popped == []
    clock.now = datetime(2026, 4, 20, 10, 0, 5, tzinfo=SH)
    qtbot.waitUntil(lambda: win.reminders.popup is not None and win.reminders.popup.isVisible())
    qtbot.wait(300)  # more ticks: nothing more
    popup = win.reminders.popup
    assert popup is not None
    titles = [headline(d) for d in win.reminders.popped]
    assert titles == ["生日提醒：李四", "日程提醒：项目评审会"]
    assert len(popup.entries) == 2
    texts = [" ".join(label.text() for label in e.findChildren(QLabel)) for e in popup.entries]
    assert "明天（4月21日 周二） · 满 38 周岁" in texts[0]
    assert "今天（4月20日 周一） 10:00" in texts[1]
    screenshot(popup, "81-reminder-popup")
    qtbot.mouseClick(popup.entries[1], Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert not popup.isVisible()
    assert PAGES[win.nav.currentRow()] == "calendar"
    assert win.calendar.selected().isoformat() == "2026-04-20"
    assert str(event.id)  # the event opened on its day
    close(qtbot, win)


def test_upcoming_page(qtbot, account: Account, tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 9, 20, 12, 0, tzinfo=SH))
    win = open_window(qtbot, account, tmp_path / "home", clock, login=True)
    c = win.client
    c.add("birthday", {"name": "奶奶", "date": {"calendar": "lunar", "month": 8, "day": 15,
                                               "year": 1940}})  # fmt: skip
    c.add("holiday", {"name": "结婚纪念日", "date": {"calendar": "solar", "month": 10, "day": 1,
                                                 "year": 2016}, "yearly": True})  # fmt: skip
    c.add("memo", {"title": "交季度报告", "due": "2026-09-30T17:00:00"})
    c.add("event", {"title": "体检", "start": "2026-09-22T08:30:00", "end": "2026-09-22T10:00:00",
                    "timezone": "Asia/Shanghai"})  # fmt: skip
    c.add("memo", {"title": "没有期限的备忘"})
    win.show_page("upcoming")
    page = win._page("upcoming")
    wait_workers(qtbot)  # built in a worker
    rows = upcoming_rows(page)
    assert rows["体检"] == ["9月22日 周二", "后天", "日程", "体检", "08:30"]
    assert rows["奶奶（农历）"] == ["9月25日 周五", "5 天后", "生日", "奶奶（农历）",
                                  "满 86 周岁（虚岁 87）"]  # fmt: skip
    assert rows["交季度报告"] == ["9月30日 周三", "10 天后", "备忘", "交季度报告", "17:00 到期"]
    assert rows["结婚纪念日"][1:] == ["11 天后", "纪念日", "结婚纪念日", "10 周年"]
    assert rows["中秋节"][1:3] == ["5 天后", "节日"] and rows["国庆节"][1] == "11 天后"
    assert "没有期限的备忘" not in rows
    assert page.count.text() == f"接下来 30 天共 {page.table.rowCount()} 项"
    win.resize(1000, 680)
    screenshot(win, "82-upcoming")
    titles = [page.table.item(r, 3).text() for r in range(page.table.rowCount())]
    page._open(titles.index("交季度报告"))  # a memo opens on 备忘录
    assert PAGES[win.nav.currentRow()] == "memos"
    memo = win.memos.current()
    assert memo is not None and memo.content["title"] == "交季度报告"
    win.show_page("upcoming")
    page.days.setValue(3)
    wait_workers(qtbot)
    assert [page.table.item(r, 3).text() for r in range(page.table.rowCount())] == ["体检"]
    page._open(0)
    assert PAGES[win.nav.currentRow()] == "calendar"
    close(qtbot, win)


def test_with_a_tray_the_message_opens_the_item(qtbot, window: MainWindow) -> None:
    """Where the desktop has a system tray, a due reminder is a tray message (the offscreen
    platform has none to show, so the click is the tray's own signal)."""
    window.reminders.stop()
    clock = Clock(datetime(2026, 8, 1, 8, 59, tzinfo=SH))
    watcher = ReminderWatcher(window, clock, use_tray=True)
    window.client.add("holiday", {"name": "建军节纪念", "yearly": True,
                                  "date": {"calendar": "solar", "month": 8, "day": 1},
                                  "reminders": [{"at": "09:00"}]})  # fmt: skip
    watcher.check()
    wait_workers(qtbot)
    clock.now = datetime(2026, 8, 1, 9, 0, 1, tzinfo=SH)
    watcher.check()
    wait_workers(qtbot)
    assert [headline(d) for d in watcher.popped] == ["纪念日提醒：建军节纪念"]
    assert watcher.popup is None and watcher.tray is not None
    assert not watcher.tray.icon().isNull()
    watcher.tray.messageClicked.emit()
    assert PAGES[window.nav.currentRow()] == "dates" and window.dates.kind == "holiday"
    current = window.dates.current()
    assert current is not None and current.content["name"] == "建军节纪念"
    watcher.stop()


def test_upcoming_page_in_english(qtbot, window: MainWindow) -> None:
    window.reminders.clock = Clock(datetime(2026, 12, 1, 10, 0, tzinfo=SH))
    window.client.add(
        "birthday",
        {"name": "Li Lei", "date": {"calendar": "solar", "month": 12, "day": 24, "year": 1990}},
    )
    window.show_page("upcoming")
    wait_workers(qtbot)
    window.switch_language()  # English: the page is made again in it
    try:
        wait_workers(qtbot)
        page = window._page("upcoming")
        assert PAGES[window.nav.currentRow()] == "upcoming"
        assert window.nav.item(PAGES.index("upcoming")).text() == "Reminders"
        headers = [page.table.horizontalHeaderItem(c).text() for c in range(5)]
        assert headers == ["Date", "When", "Kind", "Title", "Notes"]
        rows = [[page.table.item(r, c).text() for c in range(5)]
                for r in range(page.table.rowCount())]  # fmt: skip
        assert ["Thu Dec 24", "in 23 days", "Birthday", "Li Lei", "turns 36 (37 by Chinese "
                "reckoning)"] in rows  # fmt: skip
        assert all(not re.search(r"[\u4e00-\u9fff]", " ".join(r)) for r in rows), rows
        assert page.count.text() == f"In the next 30 days: {len(rows)}"
        screenshot(window, "85-upcoming-english")
    finally:
        window.switch_language()
        wait_workers(qtbot)


def test_a_store_that_cannot_be_written_shows_each_reminder_once(qtbot, window: MainWindow) -> None:
    """Marking fails (the store is read-only for now): the reminder shows once all the same,
    the status bar says why, and the background check never takes the app down."""
    window.reminders.stop()
    clock = Clock(datetime(2026, 5, 20, 9, 0, 5, tzinfo=SH))
    watcher = ReminderWatcher(window, clock, use_tray=False)
    window.client.add("birthday", {"name": "赵六", "date": {"calendar": "solar", "month": 5,
                                                          "day": 20}})  # fmt: skip
    conn = window.client.store._db.conn
    conn.execute("PRAGMA query_only = ON")
    try:
        for seconds in (5, 35, 65):
            clock.now = datetime(2026, 5, 20, 9, 0, tzinfo=SH) + timedelta(seconds=seconds)
            watcher.check()
            wait_workers(qtbot)
        assert [headline(d) for d in watcher.popped] == ["生日提醒：赵六"]
        assert window.statusBar().currentMessage()
    finally:
        conn.execute("PRAGMA query_only = OFF")
        watcher.stop()
