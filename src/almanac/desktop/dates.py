"""Birthdays and holidays (R6): the 生日 and 节日 buttons on the left, the matching entries on
the right (name, date — solar or lunar —, next day, days until it, age); add, change, delete
through one dialog with a solar/lunar date input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from almanac.calendar import age, next_occurrence
from almanac.client.facade import Client
from almanac.desktop.errors import show_error
from almanac.desktop.forms import DateSpecInput, FieldForm, changed, dialog_frame, save_record
from almanac.desktop.i18n import language, lunar_date, solar_date, t
from almanac.desktop.record_model import Column, RecordModel
from almanac.desktop.reminder_editor import ReminderEditor, summary
from almanac.errors import AlmanacError
from almanac.model.event import zone
from almanac.model.preferences import Preferences
from almanac.store.local import Item

KINDS = ("birthday", "holiday")


def date_text(spec: dict[str, Any]) -> str:
    """``农历 八月十五`` / ``公历 1990年5月4日``; in English ``Lunar 8/15``,
    ``Lunar leap 6/1, 1990`` / ``May 4, 1990`` (the month's name says it is solar)."""
    year = spec.get("year") or None
    if spec.get("calendar") == "lunar":
        text = lunar_date(spec["month"], spec["day"], bool(spec.get("leap")), year)
        return f"{t('dates.lunar')} {text}"
    text = solar_date(spec["month"], spec["day"], year)
    return text if language() == "en" else f"{t('dates.solar')} {text}"


def _next(item: Item, today: date) -> tuple[date | None, int | None]:
    yearly = bool(item.content.get("yearly", True))
    found = next_occurrence(item.content["date"], today, yearly=yearly)
    if found is None:
        return None, None
    return found.date, (found.date - today).days


def columns(kind: str, today: Callable[[], date]) -> list[Column]:
    """The table's columns; ``today`` gives today in the person's time zone, asked for each
    cell: whenever the table is drawn (a reload, a change of zone) the counts start from
    the person's today."""

    def next_text(item: Item) -> str:
        day, _ = _next(item, today())
        return day.isoformat() if day else "—"

    def until_text(item: Item) -> str:
        _, days = _next(item, today())
        if days is None:
            return "—"
        return t("dates.today") if days == 0 else t("dates.days_until", n=days)

    def age_text(item: Item) -> str:
        day, _ = _next(item, today())
        years = age(item.content["date"], day) if day else None
        return t("dates.age", n=years) if years is not None else ""

    cols: list[Column] = [
        (t("dates.person") if kind == "birthday" else t("dates.name"), lambda i: i.content["name"]),
        (t("dates.date"), lambda i: date_text(i.content["date"])),
        (t("dates.next"), next_text),
        (t("dates.until"), until_text),
    ]
    if kind == "birthday":
        cols.append((t("dates.turns"), age_text))
    cols.append((t("reminder.field"), lambda i: summary(kind, i.content)))
    return cols


class DateDialog(QDialog):
    """Add or change one birthday or holiday."""

    def __init__(self, client: Client, kind: str, item: Item | None, parent: QWidget | None):
        super().__init__(parent)
        self.client = client
        self.kind = kind
        self.item = item
        self.saved: Item | None = None
        key = ("dates.change_" if item else "dates.new_") + kind
        self.setWindowTitle(t(key))
        self.form = FieldForm()
        label = t("dates.person") if kind == "birthday" else t("dates.name")
        self.name = self.form.add("name", label, QLineEdit())
        self.date = self.form.add("date", t("dates.date"), DateSpecInput())
        self.yearly = QCheckBox(t("dates.yearly"))
        if kind == "holiday":
            self.form.add("yearly", "", self.yearly)
        self.notes = self.form.add("notes", t("dates.notes"), QPlainTextEdit())
        self.notes.setFixedHeight(60)
        self.reminders = self.form.add("reminders", t("reminder.field"), ReminderEditor(kind))
        self.other = dialog_frame(self, self.form, self.save)
        content = item.content if item else {}
        self.name.setText(content.get("name", ""))
        self.date.set_value(content.get("date"))
        self.yearly.setChecked(bool(content.get("yearly", True)))
        self.notes.setPlainText(content.get("notes", ""))
        self.reminders.set_value(content.get("reminders", None if kind == "birthday" else []))

    def content(self) -> dict[str, Any]:
        content: dict[str, Any] = {
            "name": self.name.text(),
            "date": self.date.value(),
            "notes": self.notes.toPlainText(),
            "reminders": self.reminders.value(),
        }
        if self.kind == "holiday":
            content["yearly"] = self.yearly.isChecked()
        return content

    def changes(self, old: dict[str, Any]) -> dict[str, Any]:
        """The changed fields; a birthday's ``reminders`` also when only null (the default)
        became ``[]`` (turned off) or back, which ``changed`` takes for equal."""
        new = self.content()
        changes = changed(old, new)
        if self.kind == "birthday" and new["reminders"] != old.get("reminders"):
            changes["reminders"] = new["reminders"]
        return changes

    def save(self) -> None:
        self.saved = save_record(self, self, self.kind, self.item, self.changes)
        if self.saved is not None:
            self.accept()


class DatesPage(QWidget):
    changed = Signal()

    def __init__(self, client: Client, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.kind = "birthday"
        self.time_zone = client.preferences().time_zone
        self.models = {k: RecordModel(client, k, columns(k, self.today)) for k in KINDS}
        self.birthday_button = QPushButton(t("dates.birthdays"))
        self.holiday_button = QPushButton(t("dates.holidays"))
        self.switch = QButtonGroup(self)
        for button in (self.birthday_button, self.holiday_button):
            button.setCheckable(True)
            button.setMinimumHeight(48)
            self.switch.addButton(button)
        self.birthday_button.setChecked(True)
        self.table = QTableView()
        self.table.setObjectName("datesTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(t("common.add"))
        self.edit_button = QPushButton(t("common.edit"))
        self.delete_button = QPushButton(t("common.delete"))
        left = QVBoxLayout()
        left.addWidget(self.birthday_button)
        left.addWidget(self.holiday_button)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.table)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        right.addLayout(buttons)
        row = QHBoxLayout(self)
        row.addLayout(left)
        row.addLayout(right, 1)
        self.birthday_button.clicked.connect(lambda: self.show_kind("birthday"))
        self.holiday_button.clicked.connect(lambda: self.show_kind("holiday"))
        self.add_button.clicked.connect(self.add_entry)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self.show_kind("birthday")

    @property
    def model(self) -> RecordModel:
        return self.models[self.kind]

    def today(self) -> date:
        """Today in the person's time zone (the next date and the days until it)."""
        return datetime.now(zone(self.time_zone)).date()

    def follow(self, prefs: Preferences) -> None:
        """The person's settings changed (here or on another device): a new time zone can
        move today, so the table is shown again."""
        if prefs.time_zone != self.time_zone:
            self.time_zone = prefs.time_zone
            self.reload()

    def show_kind(self, kind: str) -> None:
        self.kind = kind
        (self.birthday_button if kind == "birthday" else self.holiday_button).setChecked(True)
        self.table.setModel(self.model)
        # The date (农历 1960年八月十五) and the reminders whole, not cut off; the rest share what
        # is left.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for column in (1, self.model.columnCount() - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.reload()

    def reload(self) -> None:
        self.model.reload()
        if self.model.rowCount():
            self.table.selectRow(0)

    def current(self) -> Item | None:
        return self.model.item_at(self.table.currentIndex().row())

    def add_entry(self) -> None:
        self._open(None)

    def edit_current(self) -> None:
        item = self.current()
        if item is not None:
            self._open(item)

    def _open(self, item: Item | None) -> None:
        dialog = DateDialog(self.client, self.kind, item, self)
        if dialog.exec() and dialog.saved is not None:
            self.reload()
            row = self.model.row_of(dialog.saved.id)
            if row >= 0:
                self.table.selectRow(row)
            self.changed.emit()

    def delete_current(self) -> None:
        item = self.current()
        if item is None:
            return
        answer = QMessageBox.question(
            self, t("common.delete"), t("common.confirm_delete", name=item.content.get("name"))
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.client.remove(self.kind, item.id)
        except AlmanacError as exc:
            show_error(self, exc)
        self.reload()
        self.changed.emit()
