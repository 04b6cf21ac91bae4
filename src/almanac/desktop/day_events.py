"""The chosen day's events on the calendar page (R7, R9): a list under the day's details —
全天 or 09:00–10:00 and the title — with 新建日程, 修改 and 删除. Double-clicking an event
opens it in the event dialog (``event_dialog``); the calendar page opens a new one on a day
double-clicked in the grid (``new_on``). Deleting a repeating event asks whether only this
occurrence goes (an ``exdates`` entry: its start, or its day when all-day) or all of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from almanac.calendar.agenda import Item as AgendaItem
from almanac.client.facade import Client
from almanac.desktop.errors import show_error
from almanac.desktop.event_dialog import EventDialog
from almanac.desktop.i18n import t
from almanac.errors import AlmanacError
from almanac.model.event import DEFAULT_TIMEZONE, zone
from almanac.store.local import Item

ROLE = Qt.ItemDataRole.UserRole


def event_line(item: AgendaItem) -> str:
    """``全天  周年庆`` / ``09:00–10:00  项目评审会`` (the occurrence's times that day)."""
    if item.all_day or not isinstance(item.start, datetime):
        return f"{t('event.all_day_mark')}  {item.title}"
    when = f"{item.start:%H:%M}"
    if isinstance(item.end, datetime) and item.end != item.start:
        when += f"–{item.end:%H:%M}"
    return f"{when}  {item.title}"


class DayEvents(QWidget):
    """The events of one day; ``tz`` gives the person's time zone (new events' zone)."""

    changed = Signal()

    def __init__(self, client: Client, tz: Callable[[], str], parent: QWidget | None = None):
        super().__init__(parent)
        self.client = client
        self.tz = tz
        self.day = date.today()
        self.heading = QLabel(f"<b>{t('event.day_heading')}</b>")
        self.list = QListWidget()
        self.list.setObjectName("dayEvents")
        self.empty = QLabel(t("event.none"))
        self.empty.setStyleSheet("color: #888;")
        hint = QLabel(t("event.hint"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #888;")
        self.new_button = QPushButton(t("event.new"))
        self.new_button.setObjectName("newEvent")
        self.edit_button = QPushButton(t("common.edit"))
        self.delete_button = QPushButton(t("common.delete"))
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        for widget in (self.heading, self.list, self.empty):
            column.addWidget(widget)
        column.addLayout(buttons)
        column.addWidget(hint)
        self.new_button.clicked.connect(lambda: self.new_on(self.day))
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.list.itemDoubleClicked.connect(lambda _i: self.edit_current())
        self.list.currentRowChanged.connect(lambda _r: self._update())
        self.show_day(self.day, ())

    def show_day(self, day: date, items: Sequence[AgendaItem]) -> None:
        """Show ``day``'s events (the agenda's items of that day; others are left out)."""
        self.day = day
        self.list.clear()
        for item in items:
            if item.kind == "event" and item.id is not None:
                row = QListWidgetItem(event_line(item))
                row.setData(ROLE, item)
                self.list.addItem(row)
        self.list.setVisible(self.list.count() > 0)
        self.empty.setVisible(self.list.count() == 0)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._update()

    def _update(self) -> None:
        chosen = self.current() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def current(self) -> AgendaItem | None:
        row = self.list.currentItem()
        item = None if row is None else row.data(ROLE)
        return item if isinstance(item, AgendaItem) else None

    def select(self, record_id: str) -> bool:
        """Choose the event ``record_id`` in the list (a reminder opened it)."""
        for row in range(self.list.count()):
            if self.list.item(row).data(ROLE).id == record_id:
                self.list.setCurrentRow(row)
                return True
        return False

    def new_on(self, day: date) -> Item | None:
        return self._open(None, day)

    def edit_current(self) -> Item | None:
        occurrence = self.current()
        if occurrence is None or occurrence.id is None:
            return None
        try:
            item = self.client.get("event", occurrence.id)
        except AlmanacError as exc:
            show_error(self, exc)
            return None
        return self._open(item, self.day)

    def _open(self, item: Item | None, day: date) -> Item | None:
        dialog = EventDialog(self.client, item, day, self.tz(), self)
        if not dialog.exec() or dialog.saved is None:
            return None
        self.changed.emit()
        return dialog.saved

    def delete_current(self) -> None:
        occurrence = self.current()
        if occurrence is None or occurrence.id is None:
            return
        try:
            item = self.client.get("event", occurrence.id)
            which = self._ask(item)
            if which == "one":
                exdates = [*item.content.get("exdates", []), _recurrence_id(item, occurrence)]
                self.client.edit("event", item.id, {"exdates": exdates})
            elif which == "all":
                self.client.remove("event", item.id)
            else:
                return
        except AlmanacError as exc:
            show_error(self, exc)
        self.changed.emit()

    def _ask(self, item: Item) -> str | None:
        """ "all", "one" (a repeating event's occurrence) or None (cancelled)."""
        title = item.content.get("title", "")
        if not item.content.get("rrule"):
            answer = QMessageBox.question(
                self, t("common.delete"), t("common.confirm_delete", name=title)
            )
            return "all" if answer == QMessageBox.StandardButton.Yes else None
        box = QMessageBox(self)
        box.setObjectName("deleteRepeating")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(t("common.delete"))
        box.setText(t("event.delete_which", name=title))
        one = box.addButton(t("event.delete_one"), QMessageBox.ButtonRole.AcceptRole)
        every = box.addButton(t("event.delete_all"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(t("common.cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        return "one" if clicked is one else "all" if clicked is every else None


def _recurrence_id(item: Item, occurrence: AgendaItem) -> str:
    """The exdate that cancels ``occurrence``: its day for an all-day event, else its start
    as wall time in the event's zone (with the offset when the stored start has one)."""
    start = occurrence.start
    if not isinstance(start, datetime):
        return (start or occurrence.day).isoformat()
    wall = start.astimezone(zone(str(item.content.get("timezone") or DEFAULT_TIMEZONE)))
    stored = datetime.fromisoformat(str(item.content["start"]))
    return wall.isoformat() if stored.tzinfo is not None else wall.replace(tzinfo=None).isoformat()
