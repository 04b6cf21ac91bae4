"""The reminder rows of the birthday/holiday dialog and the memo editor (issue 4 §6, issue 6 §2;
R6, R9): ``ReminderEditor`` shows one row per reminder, "提前 [N] 天 [HH:MM] 提醒 [删除]", and
"添加提醒" under them (at most ``MAX_REMINDERS``, the model's limit).

The rows are read as typed and checked by the model when the record is saved (``Client.add`` /
``edit``): a bad time comes back as a problem on ``reminders.N.at``, which the form shows
under the reminders field as "第 N 行：…" (``readable`` gives it the ``not_a_time`` words of
``desktop/errors.py``). An empty time is ``at: null``: the item's own time (a memo's due
time; 09:00 for birthdays and holidays).

Birthdays have a default reminder (the same day at 09:00, ``reminders: null``): the editor
says so, leaves ``null`` while there are no rows, and its "不提醒" box stores ``[]``.
``summary`` says a record's reminders in a few words for the lists (``◷ 提前3天 20:00``).
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from almanac.desktop.i18n import t
from almanac.errors import FieldProblem, InvalidInput
from almanac.model.reminders import MAX_DAYS_BEFORE, MAX_REMINDERS

FIELD = "reminders"
MARK = "◷"
"""The lists' reminder marker (a clock face: the CJK fonts have it, unlike the bell emoji)."""


class ReminderRow(QWidget):
    """One reminder: "提前 [N] 天 [HH:MM] 提醒 [删除]" (the words around the two inputs are
    ``reminder.row``'s, so each language puts them where it needs them)."""

    def __init__(self, own_time: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.days = QSpinBox()
        self.days.setRange(0, MAX_DAYS_BEFORE)
        self.days.setObjectName("reminderDays")
        self.at = QLineEdit()
        self.at.setObjectName("reminderAt")
        self.at.setPlaceholderText(own_time)
        self.at.setMaxLength(5)
        self.at.setFixedWidth(90)
        self.remove = QPushButton(t("reminder.remove"))
        inputs: dict[str, QWidget] = {"{days}": self.days, "{at}": self.at}
        for part in re.split(r"(\{days\}|\{at\})", t("reminder.row")):
            if part in inputs:
                row.addWidget(inputs[part])
            elif part.strip():
                row.addWidget(QLabel(part.strip()))
        row.addStretch(1)
        row.addWidget(self.remove)

    def set_value(self, reminder: dict[str, Any]) -> None:
        self.days.setValue(int(reminder.get("days_before") or 0))
        self.at.setText(str(reminder.get("at") or ""))

    def value(self) -> dict[str, Any]:
        """The row as typed; the model checks the time when the record is saved."""
        return {"days_before": self.days.value(), "at": self.at.text().strip() or None}


class ReminderEditor(QWidget):
    """The reminders of one record of ``kind`` (birthday, holiday, event, memo)."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.rows: list[ReminderRow] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self.row_box = QVBoxLayout()
        self.row_box.setSpacing(2)
        column.addLayout(self.row_box)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(t("reminder.add"))
        self.add_button.setObjectName("reminderAdd")
        self.add_button.clicked.connect(lambda: self.add_row({}))
        buttons.addWidget(self.add_button)
        self.off = QCheckBox(t("reminder.off"))
        self.off.toggled.connect(self._update)
        buttons.addWidget(self.off)
        buttons.addStretch(1)
        column.addLayout(buttons)
        hint = kind if kind in ("birthday", "holiday", "memo") else "other"
        self.hint = QLabel(t(f"reminder.hint_{hint}"))
        self.hint.setStyleSheet("color: #666;")
        column.addWidget(self.hint)
        self.off.setVisible(kind == "birthday")
        self._update()

    def own_time(self) -> str:
        """What an empty time means for this kind (the time box's placeholder)."""
        return "09:00" if self.kind in ("birthday", "holiday") else t("reminder.own_time")

    def add_row(self, reminder: dict[str, Any]) -> ReminderRow:
        row = ReminderRow(self.own_time())
        row.set_value(reminder)
        row.remove.clicked.connect(lambda: self.remove_row(row))
        self.rows.append(row)
        self.row_box.addWidget(row)
        self._update()
        return row

    def remove_row(self, row: ReminderRow) -> None:
        self.rows.remove(row)
        self.row_box.removeWidget(row)
        row.deleteLater()
        self._update()

    def _update(self) -> None:
        off = self.off.isChecked()
        self.add_button.setEnabled(not off and len(self.rows) < MAX_REMINDERS)
        for row in self.rows:
            row.setEnabled(not off)

    def set_value(self, stored: list[dict[str, Any]] | None) -> None:
        """Show a record's ``reminders`` (a birthday's ``null``: no rows, the default)."""
        for row in list(self.rows):
            self.remove_row(row)
        self.off.setChecked(self.kind == "birthday" and stored is not None and not stored)
        for reminder in stored or []:
            self.add_row(reminder)

    def value(self) -> list[dict[str, Any]] | None:
        """The record's ``reminders``: the rows in order; a birthday's ``null`` (the default)
        when it has none, ``[]`` when "不提醒" is ticked."""
        if self.kind == "birthday" and self.off.isChecked():
            return []
        found = [row.value() for row in self.rows]
        if self.kind == "birthday" and not found:
            return None
        return found


def readable(exc: InvalidInput) -> InvalidInput:
    """``exc`` with a bad reminder time named as such (``not_a_time``) rather than as the
    model's generic ``invalid_type``, so the form says what a time should look like."""
    problems = [
        FieldProblem(p.field, p.message, "not_a_time")
        if p.field.startswith(f"{FIELD}.") and p.field.endswith(".at")
        else p
        for p in exc.problems
    ]
    return InvalidInput(problems)


def summary(kind: str, content: dict[str, Any]) -> str:
    """A record's reminders for a list: ``◷ 提前3天 20:00、当天 09:00``; a birthday's default
    ``◷ 当天 09:00（默认）``; nothing when it has none."""
    stored = content.get(FIELD)
    if kind == "birthday" and stored is None:
        return f"{MARK} {t('reminder.same_day')} 09:00{t('reminder.default')}"
    own = "09:00" if kind in ("birthday", "holiday") else t("reminder.own_time")
    parts = []
    for reminder in stored or []:
        days = int(reminder.get("days_before") or 0)
        when = t("reminder.same_day") if days == 0 else t("reminder.days_before", n=days)
        parts.append(f"{when} {reminder.get('at') or own}")
    return f"{MARK} {t('reminder.join').join(parts)}" if parts else ""
