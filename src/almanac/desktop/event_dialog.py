"""The event dialog (R7, R9): add or change one event — title, 全天, start and end (date and
time pickers; the end keeps the event's length when the start moves), time zone, location,
notes, repeat (``event_repeat``) and reminders (``reminder_editor``). Saved through
``Client.add``/``edit`` (offline first, the local store; a change sends only the fields that
changed). The model checks what is typed: a problem is said beside its field in the words of
``errors`` (结束不能早于开始) and nothing is stored. Cancelled and moved occurrences
(``exdates``, ``moves``: made on the web or the CLI) are counted, not edited, and kept."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from almanac.client.facade import Client
from almanac.desktop.event_repeat import RepeatInput
from almanac.desktop.forms import FieldForm, dialog_frame, save_record
from almanac.desktop.i18n import t
from almanac.desktop.reminder_editor import ReminderEditor
from almanac.desktop.settings_dialog import zone_box
from almanac.store.local import Item

DEFAULT_START = time(9, 0)
DEFAULT_LENGTH = timedelta(hours=1)


class WhenInput(QWidget):
    """One bound of an event: a date and a time picker (the time hidden for 全天). A stored
    value shown and left alone comes back as stored (an offset kept)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stored: str | None = None
        self.edit = QDateTimeEdit()
        self.edit.setObjectName(name)
        self.edit.setCalendarPopup(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addStretch(1)
        self.set_all_day(False)

    def set_all_day(self, all_day: bool) -> None:
        self.edit.setDisplayFormat("yyyy-MM-dd" if all_day else "yyyy-MM-dd HH:mm")

    def set_value(self, stored: str | None, shown: datetime) -> None:
        self.stored = stored
        self.set_typed(shown)

    def set_typed(self, moment: datetime) -> None:
        self.edit.setDateTime(QDateTime(moment.replace(second=0, microsecond=0)))

    def typed(self) -> datetime:
        moment = self.edit.dateTime()
        day, clock = moment.date(), moment.time()
        return datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute())

    def value(self, all_day: bool) -> str:
        typed = self.typed()
        if all_day:
            return typed.date().isoformat()
        stored = self.stored if self.stored and len(self.stored) > 10 else None
        if stored and datetime.fromisoformat(stored).replace(tzinfo=None) == typed:
            return stored
        return typed.isoformat(timespec="minutes")


def shown_moment(stored: str | None, fallback: datetime) -> datetime:
    """A stored bound as the pickers show it: its wall time (a date at ``fallback``'s time)."""
    if not stored:
        return fallback
    if len(stored) <= 10:
        return datetime.combine(date.fromisoformat(stored), fallback.time())
    return datetime.fromisoformat(stored).replace(tzinfo=None)


class EventDialog(QDialog):
    """``item`` None: a new event on ``day`` in the person's zone ``tz``. After ``exec()``
    accepted, ``saved`` is the stored item."""

    def __init__(
        self, client: Client, item: Item | None, day: date, tz: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.item = item
        self.saved: Item | None = None
        self.setWindowTitle(t("event.change") if item else t("event.new"))
        self.setMinimumWidth(560)
        content: dict[str, Any] = item.content if item else {}
        self.form = FieldForm()
        self.title = self.form.add("title", t("event.title"), QLineEdit())
        self.title.setObjectName("eventTitle")
        self.all_day = self.form.add("all_day", "", QCheckBox(t("event.all_day")))
        self.start = self.form.add("start", t("event.start"), WhenInput("eventStart"))
        self.end = self.form.add("end", t("event.end"), WhenInput("eventEnd"))
        zone = str(content.get("timezone") or tz)
        self.timezone = self.form.add(
            "timezone", t("event.timezone"), zone_box(zone, "eventTimeZone")
        )
        self.location = self.form.add("location", t("event.location"), QLineEdit())
        self.notes = self.form.add("notes", t("event.notes"), QPlainTextEdit())
        self.notes.setFixedHeight(60)
        self.repeat = self.form.add("rrule", t("event.repeat"), RepeatInput())
        self.exceptions = QLabel()
        self.exceptions.setStyleSheet("color: #666;")
        self.form.addRow("", self.exceptions)
        self.reminders = self.form.add("reminders", t("reminder.field"), ReminderEditor("event"))
        self.other = dialog_frame(self, self.form, self.save)
        self._show(content, day, zone)
        self.all_day.toggled.connect(self._all_day_changed)
        self.start.edit.dateTimeChanged.connect(lambda _m: self._start_moved())
        self.end.edit.dateTimeChanged.connect(lambda _m: self._end_moved())

    def _show(self, content: dict[str, Any], day: date, zone: str) -> None:
        all_day = bool(content.get("all_day"))
        start = shown_moment(content.get("start"), datetime.combine(day, DEFAULT_START))
        end = shown_moment(content.get("end"), start + DEFAULT_LENGTH)
        self.title.setText(str(content.get("title", "")))
        self.all_day.setChecked(all_day)
        self.start.set_value(content.get("start"), start)
        self.end.set_value(content.get("end"), end)
        self.length = end - start
        self._all_day_changed(all_day)
        self.location.setText(str(content.get("location", "")))
        self.notes.setPlainText(str(content.get("notes", "")))
        self.repeat.set_value(content.get("rrule"), zone, start.date())
        cancelled, moved = len(content.get("exdates") or []), len(content.get("moves") or [])
        self.exceptions.setText(
            t("event.exceptions", cancelled=cancelled, moved=moved) if cancelled or moved else ""
        )
        self.exceptions.setVisible(bool(cancelled or moved))
        self.reminders.set_value(content.get("reminders", []))

    def _all_day_changed(self, all_day: bool) -> None:
        self.start.set_all_day(all_day)
        self.end.set_all_day(all_day)

    def _start_moved(self) -> None:
        """The end follows the start, keeping the event's length."""
        self.end.edit.blockSignals(True)
        self.end.set_typed(self.start.typed() + self.length)
        self.end.edit.blockSignals(False)

    def _end_moved(self) -> None:
        self.length = self.end.typed() - self.start.typed()

    def content(self) -> dict[str, Any]:
        all_day = self.all_day.isChecked()
        start = self.start.value(all_day)
        zone = self.timezone.currentText().strip()
        aware = len(start) > 10 and datetime.fromisoformat(start).tzinfo is not None
        return {
            "title": self.title.text(),
            "all_day": all_day,
            "start": start,
            "end": self.end.value(all_day),
            "timezone": zone,
            "location": self.location.text(),
            "notes": self.notes.toPlainText(),
            "rrule": self.repeat.value(all_day=all_day, aware_start=aware, tz=zone),
            "reminders": self.reminders.value(),
        }

    def save(self) -> None:
        self.saved = save_record(self, self, "event", self.item)
        if self.saved is not None:
            self.accept()
