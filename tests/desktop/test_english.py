"""English everywhere (issue 6 §6; R3): with the person's language set to English, every page
and dialog of the app is walked (pytest-qt offscreen, the live test server) and no visible
text — labels, buttons, menus and their actions, headers, list and table cells, tooltips,
placeholders, combo-box items, spin-box suffixes, status bar, window titles, the calendar's
painted lunar line — holds a Chinese character.

What may stay Chinese, by nature (docs/desktop.md, "Languages"):
- the person's own data (names, titles, notes, group and device names they typed);
- the way back to Chinese: the 视图 menu's 中文 and the settings' language choice 中文（简体）;
- the guide's example of the pinyin-initials search (zw finds 张伟);
- the company's customer-service contact, which is the server's configuration (its
  placeholder is marked 示例).
Festival, solar-term and holiday names have English names (``almanac.calendar.festivals``,
``i18n_en``); lunar dates are said as English Chinese-calendar apps say them (Lunar 8/15,
leap 6/1, the year's stem-branch in pinyin)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QTabBar,
    QTextEdit,
    QWidget,
)

from almanac.desktop import help_dialogs, i18n, report_send
from almanac.desktop.advanced_search import AdvancedSearchDialog
from almanac.desktop.calendar_grid import cell_note
from almanac.desktop.contact_dialog import ContactDialog
from almanac.desktop.dates import DateDialog
from almanac.desktop.errors import words
from almanac.desktop.login import LoginDialog
from almanac.desktop.prefs import Prefs
from almanac.desktop.report_dialog import ReportDialog
from almanac.desktop.report_payload import make_report
from almanac.desktop.rescued_dialog import RescuedDialog
from almanac.desktop.settings_dialog import SettingsDialog
from almanac.desktop.window import PAGES, MainWindow
from almanac.errors import FieldProblem, InvalidInput, NeedsConfirmation

from .conftest import answer_next, screenshot, wait_workers

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
TAGS = re.compile(r"<[^>]+>")
BACK_TO_CHINESE = ("中文（简体）", "中文")
EXAMPLES = ("张伟",)
"""A Chinese name in the guide's example of searching by pinyin initials (zw finds 张伟)."""
COMPANY = (
    *(str(v) for k, v in report_send.DEFAULT_SUPPORT.items() if k != "configured"),
    "“示例”",
)
"""The company's customer-service contact is the server's configuration, as its operator wrote
it (until then the server's placeholder, marked 示例, which the note names)."""
DATA = (
    "张三丰",
    "华为技术",
    "同事",
    "测试电脑",
    "周会纪要",
    "带上周报",
    "李四",
    "结婚纪念日",
    "小张的生日",
)
"""The person's own data used below (names, titles, notes, a group, the device)."""


def _model_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    if model is None:
        return
    try:
        columns = max(1, model.columnCount(QModelIndex()))
    except TypeError:  # a list model's column count is not callable from Python
        columns = 1
    for section in range(columns):
        yield str(model.headerData(section, Qt.Orientation.Horizontal) or "")
    for row in range(min(model.rowCount(QModelIndex()), 50)):
        for column in range(columns):
            index = model.index(row, column, QModelIndex())
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if isinstance(value, str):
                    yield value


def _menu_texts(menu: QMenu) -> Iterator[str]:
    yield menu.title()
    for action in menu.actions():
        yield action.text()
        yield action.toolTip()
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield from _menu_texts(sub)


def _widget_texts(widget: QWidget) -> Iterator[str]:
    yield widget.toolTip()
    if isinstance(widget, QLabel | QAbstractButton):
        yield widget.text()
    elif isinstance(widget, QLineEdit):
        yield widget.placeholderText()
        if widget.isReadOnly():
            yield widget.text()
    elif isinstance(widget, QPlainTextEdit | QTextEdit):
        yield widget.placeholderText()
        if widget.isReadOnly():
            yield widget.toPlainText()
    elif isinstance(widget, QComboBox):
        yield from (widget.itemText(i) for i in range(widget.count()))
    elif isinstance(widget, QAbstractItemView):
        yield from _model_texts(widget)
    elif isinstance(widget, QTabBar):
        yield from (widget.tabText(i) for i in range(widget.count()))
    elif isinstance(widget, QGroupBox):
        yield widget.title()
    if isinstance(widget, QSpinBox):
        yield from (widget.prefix(), widget.suffix(), widget.specialValueText())
    if isinstance(widget, QAbstractSpinBox):
        yield widget.specialValueText()


def visible_texts(top: QWidget) -> list[str]:
    """Every text a person can see (or hover) in ``top`` and its visible children."""
    texts = [top.windowTitle()]
    if isinstance(top, QMainWindow):
        for action in top.menuBar().actions():
            if isinstance(action.menu(), QMenu):
                texts.extend(_menu_texts(action.menu()))
        texts.append(top.statusBar().currentMessage())
    for widget in [top, *top.findChildren(QWidget)]:
        if widget is top or widget.isVisibleTo(top):
            texts.extend(_widget_texts(widget))
    return texts


def chinese_left(texts: list[str]) -> list[str]:
    """The texts that still hold a Chinese character once the allowed parts are taken out."""
    found = []
    for text in texts:
        plain = TAGS.sub("", text or "")
        for allowed in DATA + BACK_TO_CHINESE + EXAMPLES + COMPANY:
            plain = plain.replace(allowed, "")
        if CJK.search(plain):
            found.append(text)
    return found


def check(top: QWidget, where: str, shot: str | None = None) -> None:
    QApplication.processEvents()
    if shot:
        screenshot(top, shot)
    left = chinese_left(visible_texts(top))
    assert not left, (where, left)


@pytest.fixture
def english(window: MainWindow) -> Iterator[MainWindow]:
    """The window after the person chose English, with some of their data on every page."""
    client = window.client
    group = client.add("group", {"name": "同事"})
    client.add(
        "contact",
        {
            "name": "张三丰",
            "company": "华为技术",
            "phones": [{"label": "mobile", "value": "13800138000"}],
            "groups": [str(group.id)],
        },
    )
    client.add("memo", {"title": "周会纪要", "body": "带上周报", "pinned": True})
    client.add("birthday", {"name": "李四", "date": {"calendar": "lunar", "month": 8, "day": 15}})
    client.add(
        "birthday",
        {"name": "小张的生日", "date": {"calendar": "solar", "year": 1990, "month": 5, "day": 4}},
    )
    client.add(
        "holiday",
        {
            "name": "结婚纪念日",
            "date": {"calendar": "lunar", "month": 6, "day": 1, "leap": True, "year": 2025},
            "yearly": False,
        },
    )
    window.follow(client.set_preferences({"language": "en"}))
    assert i18n.language() == "en"
    yield window
    i18n.set_language("zh-CN")


def test_every_page_in_english(qtbot: Any, english: MainWindow) -> None:
    window = english
    for key in PAGES:
        window.show_page(key)
        wait_workers(qtbot)
        if key == "dates":
            for kind in ("birthday", "holiday"):
                window.dates.show_kind(kind)
                check(window, f"page {key}/{kind}", f"9{3 + (kind == 'holiday')}-en-{kind}s")
            continue
        shots = {
            "contacts": "90-en-contacts",
            "memos": "91-en-memos",
            "calendar": "95-en-calendar",
            "upcoming": "96-en-upcoming",
            "sync": "97-en-sync",
        }
        check(window, f"page {key}", shots.get(key))


def test_the_calendar_cells_and_dates_in_english(english: MainWindow) -> None:
    """The painted lunar line of every day of a year, and the date column's words."""
    days = english.client.agenda().days(date(2025, 1, 1), date(2025, 12, 31))
    assert len(days) == 365
    for day in days:
        note, _ = cell_note(day)
        assert note and not CJK.search(note), (day, note)
    from almanac.desktop.dates import date_text

    assert date_text({"calendar": "lunar", "month": 8, "day": 15}) == "Lunar 8/15"
    assert date_text({"calendar": "lunar", "month": 6, "day": 1, "leap": True}) == (
        "Lunar leap 6/1"
    )
    assert date_text({"calendar": "solar", "year": 1990, "month": 5, "day": 4}) == "May 4, 1990"


def test_every_dialog_in_english(qtbot: Any, english: MainWindow, home: Path) -> None:
    window = english
    client = window.client
    contact = client.list("contact").items[0]
    birthday = client.list("birthday").items[0]
    dialogs: list[tuple[str, QDialog, str | None]] = [
        ("new contact", ContactDialog(client, None, window), None),
        ("contact", ContactDialog(client, contact, window), "98-en-contact-dialog"),
        ("new birthday", DateDialog(client, "birthday", None, window), None),
        ("birthday", DateDialog(client, "birthday", birthday, window), "99-en-birthday-dialog"),
        ("holiday", DateDialog(client, "holiday", None, window), None),
        ("settings", SettingsDialog(client, window), None),
        ("advanced search", AdvancedSearchDialog(client, None, window), None),
        ("guide", help_dialogs.GuideDialog(window, ""), None),
        ("support", help_dialogs.SupportDialog(window, home / "fresh", ""), None),
        ("report", ReportDialog(window, KeyError("x"), make_report(KeyError("x"))), None),
        (
            "rescued",
            RescuedDialog(
                window,
                client,
                {
                    "saved_at": "2026-11-27T11:00:00",
                    "fields": [{"field": "Title", "name": "memoTitle", "text": "周会纪要"}],
                },
            ),
            None,
        ),
        ("login", LoginDialog(home, Prefs(server="http://x", user="u")), None),
    ]
    for where, dialog, shot in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        check(dialog, where, shot)
        dialog.close()
    form = ContactDialog(client, None, window)
    qtbot.addWidget(form)
    form.show()
    problems = InvalidInput(
        [
            FieldProblem(
                "phones.1.value", "phones.1.value is not a phone number", "not_a_phone_number"
            ),
            FieldProblem("name", "name is required", "required"),
        ]
    )
    form.form.show_errors(problems)
    check(form, "field errors")
    assert "Line 2: is not a phone number" in form.form.error_text("phones")
    form.close()
    assert not CJK.search(words(NeedsConfirmation("this device", 10, 9)))


def test_menus_and_group_dialogs_in_english(qtbot: Any, english: MainWindow) -> None:
    window = english
    seen: list[str] = []

    def close(modal: QWidget) -> None:
        seen.extend(chinese_left(visible_texts(modal)))
        modal.close() if not isinstance(modal, QDialog) else modal.reject()

    for action in (window.new_group_action, window.rename_group_action):
        answer_next(close)
        action.trigger()
    answer_next(close)
    window.about()
    assert seen == []


def test_field_problems_in_both_languages() -> None:
    """A problem the app has words for is said in the current language without the field's
    name (the form shows it beside the field); another one by its message."""
    from almanac.desktop.errors import field_words

    phone = FieldProblem("phones.0.value", "phones.0.value: not a phone", "not_a_phone_number")
    odd = FieldProblem("title", "title is odd", "odd")
    try:
        i18n.set_language("en")
        assert field_words(phone).startswith("is not a phone number")
        assert field_words(odd) == "is odd"
        i18n.set_language("zh-CN")
        assert field_words(phone).startswith("不是电话号码")
    finally:
        i18n.set_language("zh-CN")


def test_reminder_popups_in_english(qtbot: Any, english: MainWindow) -> None:
    """The missed-reminders dialog and the corner pop-up, with a lunar and a solar birthday
    that came due (R6, R9)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from almanac.desktop.reminders_popup import MissedDialog, NotificationWindow

    english.reminders.stop()  # this test asks for the reminders itself
    wait_workers(qtbot)
    client = english.client
    sh = ZoneInfo("Asia/Shanghai")
    client.due_reminders(datetime(2027, 5, 3, 9, 0, tzinfo=sh))  # the watch starts here
    found = client.due_reminders(datetime(2027, 5, 5, 8, 0, tzinfo=sh))
    assert [due.item.title for due in found] == ["小张的生日"]
    for popup in (MissedDialog(english), NotificationWindow(english)):
        qtbot.addWidget(popup)
        popup.add(found, date(2027, 5, 5))
        popup.show()
        check(popup, type(popup).__name__)
        assert any("小张的生日" in text for text in visible_texts(popup))  # the entry is there
        popup.close()
