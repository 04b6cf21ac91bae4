"""The desktop app follows the person's own settings (R3; issue 6 §6, issue 5 §3) against a
live server: English chosen in the settings dialog switches the whole window; the clock's
choice survives a restart and reaches the server; settings changed through the API (the web)
are followed after a sync; the calendar starts the week on Sunday and leaves out a hidden
festival; the start page. Screenshots of the dialog and the English window."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from string import Formatter
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from almanac.desktop.calendar_grid import cell_note
from almanac.desktop.i18n import ZH, language, set_language
from almanac.desktop.i18n_en import EN
from almanac.desktop.prefs import Prefs
from almanac.desktop.settings_dialog import SettingsDialog
from almanac.desktop.window import PAGES, MainWindow
from almanac.model.preferences import START_PAGES

from .conftest import Account, answer_next, screenshot, wait_workers

CJK = re.compile(r"[\u4e00-\u9fff]")


def _names(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def test_every_word_in_both_languages() -> None:
    """Issue 6 §6: every key in Chinese and in English, with the same ``{names}``."""
    assert set(ZH) == set(EN)
    for key, text in ZH.items():
        assert _names(text) == _names(EN[key]), key
        # the way back to Chinese is Chinese; the sample lines are marked 示例; zw finds 张伟
        if key not in {"menu.language", "lang.zh-CN", "support.placeholder", "guide.contacts_body"}:
            assert not CJK.search(EN[key]), key


def api(account: Account, method: str, patch: dict[str, Any] | None = None) -> dict[str, Any]:
    response = httpx.request(
        method,
        f"{account.server.url}/api/v1/settings",
        json=patch,
        headers={"Authorization": f"Bearer {account.api_token()}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    settings: dict[str, Any] = response.json()["settings"]
    return settings


def _sync(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.sync.finished, timeout=30_000) as blocker:
        window.sync_action.trigger()
    assert blocker.args == [True], window.sync.result.text()


def _menu_words(window: MainWindow) -> list[str]:
    words = []
    for action in window.menuBar().actions():
        words.append(action.text())
        menu = action.menu()
        if menu is not None:
            words += [a.text() for a in menu.actions() if not a.isSeparator()]
    return words


def test_english_chosen_in_the_dialog_switches_the_window(
    qtbot, window: MainWindow, account: Account
) -> None:
    """The settings dialog (编辑 → 设置…) sets English: menus, navigation and the pages are
    in English at once; the setting is queued, then on the server after a sync."""
    window.show_page("calendar")
    assert "编辑(&E)" in _menu_words(window) and "设置…" in _menu_words(window)

    def choose_english(modal: QWidget) -> None:
        assert isinstance(modal, SettingsDialog)
        screenshot(modal, "70-settings-dialog")
        modal.language.setCurrentIndex(modal.language.findData("en"))
        modal.save()

    try:
        answer_next(choose_english)
        window.settings_action.trigger()
        assert language() == "en"
        words = _menu_words(window)
        assert "&File" in words and "&Edit" in words and "Settings…" in words
        assert all(not CJK.search(w) for w in words if w != "中文"), words
        nav = [window.nav.item(i).text() for i in range(window.nav.count())]
        assert nav == ["Contacts", "Memos", "Birthdays", "Calendar", "Reminders", "Sync"]
        assert window.stack.currentWidget() is window.calendar  # still on the calendar
        window.calendar.select(date(2026, 2, 17))
        detail = window.calendar.detail.text()
        assert "Tuesday, 2026-02-17" in detail and "Spring Festival" in detail
        assert "Day off" in detail
        window.calendar.select(date(2026, 4, 5))
        assert cell_note(window.calendar.calendar.days[date(2026, 4, 5)]) == ("Qingming", True)
        assert "Solar term: Qingming" in window.calendar.detail.text()
        window.calendar.select(date(2026, 2, 17))
        assert window.pending_label.text() == "Unsent changes: 0"
        assert window.client.pending_preferences() == {"language": "en"}
        screenshot(window, "71-calendar-english")
        window.show_page("contacts")
        buttons = [b.text() for b in window.contacts.findChildren(QPushButton)]
        assert {"Add", "Change", "Delete"} <= set(buttons), buttons
        screenshot(window, "72-contacts-english")
        assert Prefs.load(window.home).language == "en"  # the next login dialog speaks it
        dialog = SettingsDialog(window.client, window)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.windowTitle() == "Settings"
        screenshot(dialog, "74-settings-dialog-english")
        dialog.reject()
        _sync(qtbot, window)
        assert api(account, "GET")["language"] == "en"
        window.switch_language()  # 视图 → 中文: back, as a setting too
        assert language() == "zh-CN" and "文件(&F)" in _menu_words(window)
    finally:
        set_language("zh-CN")


def test_clock_choice_survives_a_restart_and_reaches_the_server(
    qtbot, window: MainWindow, account: Account, home: Path
) -> None:
    window.show_page("calendar")
    clock = window.calendar.clock
    clock.h12.click()
    clock.icon.click()
    assert clock.time.isHidden()
    _sync(qtbot, window)
    remote = api(account, "GET")
    assert remote["clock_format"] == "12h" and remote["clock_visible"] is False
    wait_workers(qtbot)
    window.close()  # closes the client too

    again = MainWindow(account.open(home), home, Prefs(server=account.server.url))
    again.timer.stop()
    qtbot.addWidget(again)
    try:
        again.show()
        again.show_page("calendar")
        assert again.calendar.clock.h12.isChecked()
        assert again.calendar.clock.time.isHidden()
    finally:
        again.close()


def test_settings_changed_on_the_web_are_followed_after_a_sync(
    qtbot, window: MainWindow, account: Account
) -> None:
    """Changed through the API (as the web settings page does): after the next sync the
    calendar starts the week on Sunday, 七夕 is gone, the clock is 12-hour in Tokyo time."""
    window.show_page("calendar")
    page = window.calendar
    page.select(date(2026, 8, 19))
    assert page.calendar.firstDayOfWeek() == Qt.DayOfWeek.Monday
    assert cell_note(page.calendar.days[date(2026, 8, 19)]) == ("七夕", True)
    api(
        account,
        "PATCH",
        {
            "week_start": 7,
            "festivals_hidden": ["qixi"],
            "festivals_shown": ["xiaonian_south"],
            "clock_format": "12h",
            "time_zone": "Asia/Tokyo",
        },
    )
    _sync(qtbot, window)
    window.show_page("calendar")
    assert page.calendar.firstDayOfWeek() == Qt.DayOfWeek.Sunday
    assert cell_note(page.calendar.days[date(2026, 8, 19)]) != ("七夕", True)
    assert "七夕" not in page.detail.text()
    page.select(date(2027, 1, 31))  # 腊月廿四 2026: 南方小年, shown by the person's choice
    assert "南方小年" in page.detail.text()
    assert page.clock.h12.isChecked() and str(page.clock.now().tzinfo) == "Asia/Tokyo"
    assert window.statusBar().currentMessage() == ZH["settings.followed"]
    screenshot(window, "73-calendar-sunday-first")


def test_festival_hidden_in_the_dialog_is_not_shown(qtbot, window: MainWindow) -> None:
    window.show_page("calendar")

    def hide_qixi(modal: QWidget) -> None:
        assert isinstance(modal, SettingsDialog)
        modal.set_festival("qixi", False)
        modal.week_start.setCurrentIndex(modal.week_start.findData(7))
        assert modal.patch() == {"festivals_hidden": ["qixi"], "week_start": 7}
        modal.save()

    answer_next(hide_qixi)
    window.open_settings()
    page = window.calendar
    page.select(date(2026, 8, 19))
    assert page.calendar.firstDayOfWeek() == Qt.DayOfWeek.Sunday
    assert "七夕" not in page.detail.text()
    assert window.client.preferences().festivals_hidden == ("qixi",)


def test_a_bad_time_zone_is_named_and_nothing_changes(qtbot, window: MainWindow) -> None:
    dialog = SettingsDialog(window.client, window)
    qtbot.addWidget(dialog)
    dialog.time_zone.setCurrentText("Mars/Olympus")
    dialog.clock_format.setCurrentIndex(dialog.clock_format.findData("12h"))
    dialog.save()
    assert dialog.saved is None and dialog.form.error_text("time_zone")
    assert window.client.preferences().clock_format == "24h"


def test_start_page(qtbot, account: Account, home: Path) -> None:
    api(account, "PATCH", {"start_page": "memos"})
    client = account.login(home)  # the login fetches the settings
    win = MainWindow(client, home, Prefs(server=account.server.url))
    win.timer.stop()
    qtbot.addWidget(win)
    try:
        assert PAGES[win.nav.currentRow()] == "memos"
    finally:
        win.close()


@pytest.mark.parametrize("start", START_PAGES)
def test_every_start_page_opens_its_page(qtbot, account: Account, home: Path, start: str) -> None:
    """R3: each value of ``Preferences.start_page`` opens its page — upcoming the 提醒 page,
    events (no page of its own) the calendar — and that page is made and shown."""
    key = {"upcoming": "upcoming", "events": "calendar"}.get(start, start)
    client = account.login(home)
    client.set_preferences({"start_page": start})
    win = MainWindow(client, home, Prefs(server=account.server.url))
    win.timer.stop()
    qtbot.addWidget(win)
    try:
        assert PAGES[win.nav.currentRow()] == key
        assert win.stack.currentWidget() is win.made(key)[0]
        wait_workers(qtbot)
    finally:
        win.close()
