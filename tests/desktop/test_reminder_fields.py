"""Reminders set in the desktop app's dialogs (issue 4 §6, issue 6 §2; R6, R9): the rows
"提前 N 天 HH:MM 提醒" of the birthday/holiday dialog and the memo editor, stored with the record
(offline first), synced to the server, changed, removed, a bad time named beside the field, and
the ◷ marker in the lists. Screenshots of both editors with rows, in Chinese and English."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from almanac.desktop.dates import DateDialog
from almanac.desktop.i18n import set_language, t
from almanac.desktop.memos import MemosPage
from almanac.desktop.reminder_editor import MARK, ReminderEditor, summary
from almanac.desktop.window import MainWindow

from .conftest import Account, answer_next, screenshot

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
SOLAR = {"calendar": "solar", "year": 1990, "month": 5, "day": 4}


def _rows(editor: ReminderEditor, rows: list[tuple[int, str]]) -> None:
    for old in list(editor.rows):
        editor.remove_row(old)
    for days, at in rows:
        row = editor.add_row({})
        row.days.setValue(days)
        row.at.setText(at)


def _dialog(seen: dict[str, Any], act: Callable[[DateDialog], None], shot: str = "") -> Any:
    def answer(modal: QWidget) -> None:
        assert isinstance(modal, DateDialog)
        act(modal)
        if shot:
            screenshot(modal, shot)
        modal.save()
        seen["open"] = modal.isVisible()
        seen["errors"] = {k: modal.form.error_text(k) for k in modal.form.errors}
        seen["other"] = modal.other.text()
        if modal.isVisible():
            modal.reject()

    return answer


def _other_device(account: Account, home: Path, kind: str, record_id: Any) -> dict[str, Any]:
    """The record as another device gets it from the server."""
    other = account.login(home, device="家里电脑")
    try:
        other.sync()
        return dict(other.get(kind, record_id).content)
    finally:
        other.close()


def test_birthday_reminder_added_changed_removed_and_synced(
    qtbot, window: MainWindow, account: Account, tmp_path: Path
) -> None:
    """R6, R9: a birthday with a reminder 3 days before at 20:00 is stored with the record and
    reaches the server; changing and removing it do too; the list shows it."""
    window.show_page("dates")
    page = window.dates
    seen: dict[str, Any] = {}

    def first(modal: DateDialog) -> None:
        modal.name.setText("王芳")
        modal.date.set_value(SOLAR)
        assert modal.reminders.value() is None  # the default: the same day at 09:00
        _rows(modal.reminders, [(3, "20:00")])

    answer_next(_dialog(seen, first, "90-birthday-reminders-zh"))
    page.add_entry()
    assert seen["open"] is False, seen
    item = page.current()
    assert item is not None
    stored = window.client.get("birthday", item.id).content
    assert stored["reminders"] == [{"days_before": 3, "at": "20:00"}]
    bell = page.model.data(page.model.index(0, page.model.columnCount() - 1))
    assert bell == f"{MARK} 提前3天 20:00"
    screenshot(window, "91-birthdays-reminder-column")
    window.client.sync()
    seen_there = _other_device(account, tmp_path / "phone", "birthday", item.id)
    assert seen_there["reminders"] == [{"days_before": 3, "at": "20:00"}]

    def second(modal: DateDialog) -> None:
        assert [r.value() for r in modal.reminders.rows] == [{"days_before": 3, "at": "20:00"}]
        modal.reminders.rows[0].days.setValue(1)
        row = modal.reminders.add_row({})
        row.at.setText("08:30")

    answer_next(_dialog(seen, second))
    page.edit_current()
    assert seen["open"] is False, seen
    expected = [{"days_before": 1, "at": "20:00"}, {"days_before": 0, "at": "08:30"}]
    assert window.client.get("birthday", item.id).content["reminders"] == expected
    bell = page.model.data(page.model.index(0, page.model.columnCount() - 1))
    assert bell == f"{MARK} 提前1天 20:00、当天 08:30"

    def remove_first(modal: DateDialog) -> None:
        modal.reminders.rows[0].remove.click()
        assert len(modal.reminders.rows) == 1

    answer_next(_dialog(seen, remove_first))
    page.edit_current()
    assert seen["open"] is False, seen
    content = window.client.get("birthday", item.id).content
    assert content["reminders"] == [{"days_before": 0, "at": "08:30"}]
    assert summary("birthday", content) == f"{MARK} 当天 08:30"

    def turn_off(modal: DateDialog) -> None:
        modal.reminders.off.setChecked(True)
        assert not modal.reminders.add_button.isEnabled()

    answer_next(_dialog(seen, turn_off))
    page.edit_current()
    assert window.client.get("birthday", item.id).content["reminders"] == []
    assert page.model.data(page.model.index(0, page.model.columnCount() - 1)) == ""
    window.client.sync()
    assert _other_device(account, tmp_path / "phone2", "birthday", item.id)["reminders"] == []


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-CN", "第 2 行：时间要写成 09:00 这样（时:分，24 小时制）"),
        ("en", "Line 2: must be a time of day such as 09:00 (HH:MM, 24-hour)"),
    ],
)
def test_a_bad_reminder_time_is_named_and_nothing_is_stored(
    qtbot, window: MainWindow, language: str, words: str
) -> None:
    """A bad row is named beside the reminders field; the record is not stored; the rows
    stay as typed."""
    set_language(language)
    try:
        dialog = DateDialog(window.client, "holiday", None, None)
        qtbot.addWidget(dialog)
        dialog.name.setText("结婚纪念日")
        dialog.date.set_value({"calendar": "solar", "year": 2012, "month": 10, "day": 2})
        _rows(dialog.reminders, [(7, "09:00"), (0, "25:00")])
        dialog.save()
        assert dialog.form.error_text("reminders") == words
        assert dialog.other.text() == ""
        assert window.client.store.count("holiday") == 0
        assert [r.at.text() for r in dialog.reminders.rows] == ["09:00", "25:00"]
        dialog.reminders.rows[1].at.setText("19:30")
        dialog.save()
        assert dialog.form.error_text("reminders") == ""
        [holiday] = window.client.list("holiday").items
        assert holiday.content["reminders"] == [
            {"days_before": 7, "at": "09:00"},
            {"days_before": 0, "at": "19:30"},
        ]
    finally:
        set_language("zh-CN")


def test_memo_with_a_due_time_and_a_reminder(
    qtbot, window: MainWindow, account: Account, tmp_path: Path
) -> None:
    """R5, R9: a memo's due time and a reminder (empty time: at the due time) are stored and
    synced; the list marks it; the editor shows them again."""
    window.show_page("memos")
    page = window.memos
    page.new_memo()
    assert not page.reminders.isEnabled()  # no due time yet
    page.title.setText("交房租")
    page.due.has_due.setChecked(True)
    assert page.reminders.isEnabled()
    page.due.when.setDateTime(QDateTime.fromString("2027-01-05 18:00", "yyyy-MM-dd HH:mm"))
    _rows(page.reminders, [(2, "10:00"), (0, "")])
    screenshot(window, "92-memo-reminders-zh")
    saved = page.save()
    assert saved is not None, page.form.errors["reminders"].text()
    content = window.client.get("memo", saved.id).content
    assert content["due"].startswith("2027-01-05T18:00")
    assert content["reminders"] == [
        {"days_before": 2, "at": "10:00"},
        {"days_before": 0, "at": None},
    ]
    assert page.model.data(page.model.index(0, 0)) == f"交房租  {MARK}"
    window.client.sync()
    there = _other_device(account, tmp_path / "phone", "memo", saved.id)
    assert there["reminders"] == content["reminders"] and there["due"] == content["due"]

    page.reload(select=saved.id)
    assert [r.value() for r in page.reminders.rows] == content["reminders"]
    assert page.due.value() == content["due"]
    assert page.save() is not None
    assert not window.client.get("memo", saved.id).pending  # shown and saved: no edit queued

    page.reminders.rows[0].remove.click()
    page.save()
    assert window.client.get("memo", saved.id).content["reminders"] == [
        {"days_before": 0, "at": None}
    ]


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("zh-CN")


def _chinese_in(editor: ReminderEditor) -> list[str]:
    texts = [w.text() for w in editor.findChildren(QLabel) + editor.findChildren(QAbstractButton)]
    texts += [w.placeholderText() for w in editor.findChildren(QLineEdit)]
    return [text for text in texts if CJK.search(text)]


def test_english_editors(qtbot, window: MainWindow, english: None) -> None:
    """Both editors in English, with rows (screenshots)."""
    dialog = DateDialog(window.client, "birthday", None, None)
    qtbot.addWidget(dialog)
    dialog.name.setText("Wang Fang")
    dialog.date.set_value(SOLAR)
    _rows(dialog.reminders, [(3, "20:00"), (0, "")])
    dialog.show()
    assert dialog.reminders.add_button.text() == "Add reminder"
    assert t("reminder.field") == "Reminders"
    screenshot(dialog, "93-birthday-reminders-en")
    assert _chinese_in(dialog.reminders) == []
    dialog.save()
    [item] = window.client.list("birthday").items
    assert summary("birthday", item.content) == f"{MARK} 3 d before 20:00, on the day 09:00"

    page = MemosPage(window.client)
    qtbot.addWidget(page)
    page.resize(900, 640)
    page.new_memo()
    page.title.setText("Pay the rent")
    page.due.has_due.setChecked(True)
    _rows(page.reminders, [(1, "09:30")])
    page.show()
    screenshot(page, "94-memo-reminders-en")
    assert _chinese_in(page.reminders) == []
    assert page.save() is not None


def test_removing_the_last_reminder_saves_and_syncs(
    qtbot, window: MainWindow, account: Account, tmp_path: Path
) -> None:
    """R8, R14 (nothing typed is lost): removing the *last* reminder of a holiday or a memo,
    and a birthday back from 不提醒 to the default, are saved and reach another device — an
    edit to a field's default travels as a reset (docs/sync.md "Resets")."""
    client = window.client
    holiday = client.add(
        "holiday",
        {"name": "结婚纪念日", "date": SOLAR, "reminders": [{"days_before": 1, "at": "09:00"}]},
    )
    birthday = client.add("birthday", {"name": "外婆", "date": SOLAR, "reminders": []})
    client.sync()

    dialog = DateDialog(client, "holiday", client.get("holiday", holiday.id), None)
    qtbot.addWidget(dialog)
    dialog.reminders.rows[0].remove.click()
    dialog.save()
    assert dialog.other.text() == ""
    assert client.get("holiday", holiday.id).content.get("reminders", []) == []

    dialog = DateDialog(client, "birthday", client.get("birthday", birthday.id), None)
    qtbot.addWidget(dialog)
    assert dialog.reminders.off.isChecked()
    dialog.reminders.off.setChecked(False)  # back to the default: the same day at 09:00
    dialog.save()
    assert client.get("birthday", birthday.id).content.get("reminders") is None

    window.show_page("memos")
    page = window.memos
    page.new_memo()
    page.title.setText("交房租")
    page.due.has_due.setChecked(True)
    page.due.when.setDateTime(QDateTime.fromString("2027-01-05 18:00", "yyyy-MM-dd HH:mm"))
    _rows(page.reminders, [(1, "10:00")])
    memo = page.save()
    assert memo is not None
    assert client.sync().pushed == 3  # the holiday, the birthday, the new memo
    page.reload(select=memo.id)
    page.reminders.rows[0].remove.click()
    assert page.save() is not None
    assert client.get("memo", memo.id).content.get("reminders", []) == []
    assert page.model.data(page.model.index(0, 0)) == "交房租"

    report = client.sync()
    assert report.pushed == 1 and not report.notices
    assert client.status().pending == 0
    other = account.login(tmp_path / "phone", device="家里电脑")
    try:
        other.sync()
        assert other.get("holiday", holiday.id).content.get("reminders", []) == []
        assert other.get("birthday", birthday.id).content.get("reminders") is None
        assert other.get("memo", memo.id).content.get("reminders", []) == []
    finally:
        other.close()
