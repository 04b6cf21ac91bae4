"""The memo page (R5): the list on the left (pinned ones marked), the editor on the right;
add, change, delete, pin; a due time and reminders (``reminder_editor``; issue 4 §6), a
memo with reminders marked ◷ in the list. Field errors appear beside their field."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QDateTime, QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from almanac.client.facade import Client
from almanac.desktop.errors import show_error
from almanac.desktop.forms import FieldForm, save_record
from almanac.desktop.i18n import t
from almanac.desktop.record_model import RecordModel
from almanac.desktop.reminder_editor import MARK, ReminderEditor
from almanac.errors import AlmanacError
from almanac.store.local import Item


def memo_line(item: Item) -> str:
    pin = "★ " if item.content.get("pinned") else ""
    bell = f"  {MARK}" if item.content.get("due") and item.content.get("reminders") else ""
    return pin + str(item.content.get("title", "")) + bell


class DueInput(QWidget):
    """A memo's due time: "有到期时间" and the date and time (a wall time, no offset). A stored
    value shown and left alone comes back as stored (with its offset, if it had one)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.has_due = QCheckBox(t("memo.has_due"))
        self.when = QDateTimeEdit()
        self.when.setObjectName("memoDue")
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        row.addWidget(self.has_due)
        row.addWidget(self.when)
        row.addStretch(1)
        self.has_due.toggled.connect(self.when.setEnabled)
        self.stored: str | None = None
        self.set_value(None)

    def set_value(self, stored: str | None) -> None:
        self.stored = stored
        self.has_due.setChecked(bool(stored))
        self.when.setEnabled(bool(stored))
        tomorrow = datetime.now().replace(hour=9, minute=0) + timedelta(days=1)
        shown = datetime.fromisoformat(stored) if stored else tomorrow
        self.when.setDateTime(QDateTime(shown.replace(tzinfo=None, second=0, microsecond=0)))

    def value(self) -> str | None:
        if not self.has_due.isChecked():
            return None
        moment = self.when.dateTime()
        day, clock = moment.date(), moment.time()
        typed = datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute())
        if self.stored and datetime.fromisoformat(self.stored).replace(tzinfo=None) == typed:
            return self.stored
        return typed.isoformat(timespec="minutes")


class MemosPage(QWidget):
    changed = Signal()

    def __init__(self, client: Client, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.model = RecordModel(
            client, "memo", [(t("memo.title"), memo_line)], first=("pinned", "true")
        )
        self.view = QListView()
        self.view.setObjectName("memoList")
        self.view.setUniformItemSizes(True)
        self.view.setModel(self.model)
        self.title = QLineEdit()
        self.title.setObjectName("memoTitle")
        self.pinned = QCheckBox(t("memo.pinned"))
        self.body = QPlainTextEdit()
        self.body.setObjectName("memoBody")
        self.due = DueInput()
        self.reminders = ReminderEditor("memo")
        self.due.has_due.toggled.connect(self.reminders.setEnabled)
        self.form = FieldForm()
        self.form.add("title", t("memo.title"), self.title)
        self.form.add("pinned", "", self.pinned)
        self.form.add("body", t("memo.body"), self.body)
        self.form.add("due", t("memo.due"), self.due)
        self.form.add("reminders", t("reminder.field"), self.reminders)
        self.other = QLabel()
        self.new_button = QPushButton(t("memo.new"))
        self.save_button = QPushButton(t("common.save"))
        self.delete_button = QPushButton(t("common.delete"))
        self.editing: Item | None = None
        self._layout()
        self.view.selectionModel().currentChanged.connect(lambda *_: self.show_current())
        self.new_button.clicked.connect(self.new_memo)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete_current)
        self.reload()

    def _layout(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        column.addWidget(self.new_button)
        column.addWidget(self.view)
        right = QWidget()
        pane = QVBoxLayout(right)
        pane.addLayout(self.form)
        pane.addWidget(self.other)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        pane.addLayout(buttons)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([280, 520])
        QVBoxLayout(self).addWidget(split)

    def reload(self, select: object = None) -> None:
        self.model.reload()
        row = self.model.row_of(select) if select is not None else 0
        if self.model.rowCount() and row >= 0:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self.show_current()

    def current(self) -> Item | None:
        return self.model.item_at(self.view.currentIndex().row())

    def show_current(self) -> None:
        self.edit(self.current())

    def edit(self, item: Item | None) -> None:
        self.editing = item
        content: dict[str, Any] = item.content if item else {}
        self.title.setText(content.get("title", ""))
        self.pinned.setChecked(bool(content.get("pinned")))
        self.body.setPlainText(content.get("body", ""))
        self.due.set_value(content.get("due"))
        self.reminders.set_value(content.get("reminders", []))
        self.reminders.setEnabled(self.due.has_due.isChecked())
        self.delete_button.setEnabled(item is not None)
        self.form.clear_errors()

    def new_memo(self) -> None:
        self.view.clearSelection()
        self.edit(None)
        self.title.setFocus()

    def content(self) -> dict[str, Any]:
        return {
            "title": self.title.text(),
            "pinned": self.pinned.isChecked(),
            "body": self.body.toPlainText(),
            "due": self.due.value(),
            "reminders": self.reminders.value(),
        }

    def save(self) -> Item | None:
        saved = save_record(self, self, "memo", self.editing)
        if saved is None:
            return None
        self.reload(select=saved.id)
        self.changed.emit()
        return saved

    def toggle_pin(self) -> None:
        item = self.current()
        if item is not None:
            self.client.edit("memo", item.id, {"pinned": not item.content.get("pinned")})
            self.reload(select=item.id)
            self.changed.emit()

    def delete_current(self) -> None:
        item = self.editing
        if item is None:
            return
        answer = QMessageBox.question(
            self, t("common.delete"), t("common.confirm_delete", name=item.content.get("title"))
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.client.remove("memo", item.id)
        except AlmanacError as exc:
            show_error(self, exc)
        self.reload()
        self.changed.emit()
