"""An event's repeat choice (R7, R9): 不重复, 每天, 每周, 每月, 每年, ending never, on a day
(直到) or after a number of times (共 N 次), mapped to and from the RFC 5545 RRULE the model
keeps (``FREQ=WEEKLY;UNTIL=20261231T235959``, ``FREQ=MONTHLY;COUNT=6``).

``parse`` reads a stored rule into a ``Repeat`` when it is one the dialog makes; any other rule
(``FREQ=WEEKLY;BYDAY=MO,WE``, an interval, a rule made on the web or the CLI) is *custom*:
``RepeatInput`` shows it read-only and saves it back unchanged unless the person picks another
choice. ``rule_of`` writes a ``Repeat``: ``UNTIL`` is the last day's end in the form the start
needs — a date for an all-day event (its own day included), wall time 23:59:59 for a start
without an offset, that moment in UTC (``…Z``) for a start with one (RFC 5545; dateutil
refuses the mix)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from almanac.desktop.i18n import t
from almanac.model.event import zone

FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
MAX_COUNT = 999
CUSTOM = "custom"
_LAST = time(23, 59, 59)


@dataclass(frozen=True)
class Repeat:
    """A simple repeat: ``freq`` None does not repeat; at most one of ``until`` (the last
    day) and ``count``."""

    freq: str | None = None
    until: date | None = None
    count: int | None = None


def parse(rule: str | None, tz: str) -> Repeat | None:
    """The ``Repeat`` of a stored rule, or None when it is not one this dialog makes."""
    if not rule:
        return Repeat()
    parts: dict[str, str] = {}
    for piece in rule.upper().split(";"):
        key, sep, value = piece.partition("=")
        if not sep or key in parts:
            return None
        parts[key] = value
    if parts.get("FREQ") not in FREQS or set(parts) - {"FREQ", "UNTIL", "COUNT"}:
        return None
    if "UNTIL" in parts and "COUNT" in parts:
        return None
    count = None
    if "COUNT" in parts:
        text = parts["COUNT"]
        if not text.isdigit() or not 1 <= int(text) <= MAX_COUNT:
            return None
        count = int(text)
    until = None
    if "UNTIL" in parts:
        until = _until_day(parts["UNTIL"], tz)
        if until is None:
            return None
    return Repeat(parts["FREQ"], until, count)


def _until_day(text: str, tz: str) -> date | None:
    """The last day of an ``UNTIL`` this dialog writes (else None)."""
    try:
        if len(text) == 8:
            return datetime.strptime(text, "%Y%m%d").date()
        moment = datetime.strptime(text.rstrip("Z"), "%Y%m%dT%H%M%S")
    except ValueError:
        return None
    if text.endswith("Z"):
        try:
            moment = moment.replace(tzinfo=UTC).astimezone(zone(tz)).replace(tzinfo=None)
        except (KeyError, OverflowError):
            return None
    return moment.date() if moment.time() == _LAST else None


def rule_of(repeat: Repeat, *, all_day: bool, aware_start: bool, tz: str) -> str | None:
    """The RRULE for ``repeat`` (None when it does not repeat); see the module docstring."""
    if repeat.freq is None:
        return None
    rule = f"FREQ={repeat.freq}"
    if repeat.count is not None:
        return f"{rule};COUNT={repeat.count}"
    if repeat.until is None:
        return rule
    if all_day:
        return f"{rule};UNTIL={repeat.until:%Y%m%d}"
    last = datetime.combine(repeat.until, _LAST)
    if not aware_start:
        return f"{rule};UNTIL={last:%Y%m%dT%H%M%S}"
    try:
        utc = last.replace(tzinfo=zone(tz)).astimezone(UTC)
    except KeyError:  # a bad zone: the model names the time zone field
        utc = last
    return f"{rule};UNTIL={utc:%Y%m%dT%H%M%S}Z"


class RepeatInput(QWidget):
    """[不重复 ▾] [一直重复 ▾] [date] [N 次]; a custom stored rule shown read-only beneath."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stored: str | None = None
        self.tz = ""
        self.freq = QComboBox()
        self.freq.setObjectName("eventRepeat")
        self.freq.addItem(t("event.repeat_none"), None)
        for freq in FREQS:
            self.freq.addItem(t(f"event.repeat_{freq.lower()}"), freq)
        self.ends = QComboBox()
        self.ends.setObjectName("eventRepeatEnds")
        for key in ("never", "until", "count"):
            self.ends.addItem(t(f"event.ends_{key}"), key)
        self.until = QDateEdit()
        self.until.setObjectName("eventRepeatUntil")
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.count = QSpinBox()
        self.count.setObjectName("eventRepeatCount")
        self.count.setRange(1, MAX_COUNT)
        self.count.setValue(10)
        self.count.setSuffix(t("event.count_suffix"))
        self.custom = QLineEdit()
        self.custom.setObjectName("eventRule")
        self.custom.setReadOnly(True)
        self.custom_hint = QLabel(t("event.custom_hint"))
        self.custom_hint.setWordWrap(True)
        self.custom_hint.setStyleSheet("color: #666;")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.freq, self.ends, self.until, self.count):
            row.addWidget(widget)
        row.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.custom)
        column.addWidget(self.custom_hint)
        self.freq.currentIndexChanged.connect(self._update)
        self.ends.currentIndexChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        freq = self.freq.currentData()
        repeats = freq is not None and freq != CUSTOM
        ends = self.ends.currentData()
        self.ends.setVisible(repeats)
        self.until.setVisible(repeats and ends == "until")
        self.count.setVisible(repeats and ends == "count")
        self.custom.setVisible(freq == CUSTOM)
        self.custom_hint.setVisible(freq == CUSTOM)

    def set_value(self, rule: str | None, tz: str, first_day: date) -> None:
        """Show a stored rule (None: does not repeat); ``first_day`` is the start's day (the
        until box's first value)."""
        self.stored, self.tz = rule, tz
        custom = self.freq.findData(CUSTOM)
        if custom >= 0:
            self.freq.removeItem(custom)
        repeat = parse(rule, tz)
        self.until.setDate(_qdate(first_day))
        if repeat is None:
            self.freq.addItem(t("event.repeat_custom"), CUSTOM)
            self.freq.setCurrentIndex(self.freq.count() - 1)
            self.custom.setText(rule or "")
            self._update()
            return
        self.freq.setCurrentIndex(max(0, self.freq.findData(repeat.freq)))
        ends = "until" if repeat.until else "count" if repeat.count else "never"
        self.ends.setCurrentIndex(self.ends.findData(ends))
        if repeat.until:
            self.until.setDate(_qdate(repeat.until))
        if repeat.count:
            self.count.setValue(repeat.count)
        self._update()

    def repeat(self) -> Repeat | None:
        """The choice as shown (None: the custom rule kept)."""
        freq = self.freq.currentData()
        if freq == CUSTOM:
            return None
        if freq is None:
            return Repeat()
        ends = self.ends.currentData()
        q = self.until.date()
        until = date(q.year(), q.month(), q.day()) if ends == "until" else None
        return Repeat(freq, until, self.count.value() if ends == "count" else None)

    def value(self, *, all_day: bool, aware_start: bool, tz: str) -> str | None:
        """The rule to store: the stored one when the choice is unchanged (or custom) and its
        ``UNTIL`` still suits the start (UTC for a start with an offset, else wall time)."""
        repeat = self.repeat()
        if repeat is None:
            return self.stored
        if repeat == parse(self.stored, self.tz) and _fits(self.stored, aware_start):
            return self.stored
        return rule_of(repeat, all_day=all_day, aware_start=aware_start, tz=tz)


def _fits(rule: str | None, aware_start: bool) -> bool:
    """Whether ``rule``'s ``UNTIL`` (if any) has the form a start with(out) an offset needs."""
    until = (rule or "").upper().partition("UNTIL=")[2].split(";")[0]
    return not until or until.endswith("Z") == aware_start


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
