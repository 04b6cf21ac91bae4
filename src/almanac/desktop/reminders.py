"""Reminders in the app (issue 6 §2; issue 4 §6): ``ReminderWatcher`` asks the client core
(``Client.due_reminders``, offline, in the person's zone) once at start and then every
``CHECK_MS``; the due reminders pop up — a system-tray message where the desktop has a tray,
else the corner ``NotificationWindow`` — and those that came due while the app was closed are
listed in one ``MissedDialog``; each is then marked shown (``Client.mark_fired``), so it
fires once per occurrence across restarts. Clicking a reminder opens its item
(``open_item``). The check (the person's dated records read from the store, the rules) runs in
a worker, never while a sync holds the store; what it found is shown and marked on the
window's thread (a sync started meanwhile: dropped, found again next time). The clock can be
given (tests drive it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from PySide6.QtCore import QItemSelectionModel, QObject, QTimer
from PySide6.QtWidgets import QStyle, QSystemTrayIcon, QTableView
from shiboken6 import isValid

from almanac.calendar.agenda import Item
from almanac.calendar.reminders import DueReminder
from almanac.desktop.errors import words
from almanac.desktop.record_model import RecordModel
from almanac.desktop.reminders_popup import MissedDialog, NotificationWindow, detail, headline
from almanac.desktop.workers import run_async

CHECK_MS = 30_000
TRAY_MS = 15_000
FIND_PAGES = 50  # how many pages to fetch looking for an item to open


def system_clock() -> datetime:
    return datetime.now(UTC)


class ReminderWatcher(QObject):
    """The window's reminders. ``clock`` gives the present (aware); ``use_tray`` False
    forces the corner window (tests)."""

    def __init__(
        self,
        window: Any,
        clock: Callable[[], datetime] = system_clock,
        use_tray: bool | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.clock = clock
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        if use_tray is None:
            use_tray = QSystemTrayIcon.isSystemTrayAvailable()
        self.tray: QSystemTrayIcon | None = None
        if use_tray:
            icon = window.windowIcon()
            if icon.isNull():  # a tray icon must have one
                icon = window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.messageClicked.connect(self._tray_clicked)
            self.tray.show()
        self.popup: NotificationWindow | None = None
        self.missed: MissedDialog | None = None
        self.popped: list[DueReminder] = []  # every reminder popped up, in order
        self.shown_keys: set[str] = set()  # shown in this run (should marking them fail)
        self._last: DueReminder | None = None
        self._stopped = False
        self.checking = False  # a check is out in a worker

    def start(self) -> None:
        """The first check (after login) and the timer."""
        if self._stopped:
            return  # the window closed before it began
        self.check()
        self.timer.start()

    def stop(self) -> None:
        self._stopped = True
        self.timer.stop()
        for widget in (self.popup, self.missed):
            if widget is not None:
                widget.close()
        if self.tray is not None:
            self.tray.hide()

    def _sync_running(self) -> bool:
        sync = getattr(self.window, "sync", None)
        return sync is not None and bool(getattr(sync, "running", False))

    def check(self) -> None:
        """Ask for what is due now in a worker (the first agenda of a process can take a
        moment); ``_due`` shows it on the window's thread and marks it shown."""
        if not self._alive() or self.checking or self._sync_running():
            return  # the store is the sync's for now; the next tick catches up
        now = self.clock()
        self.checking = True
        client = self.window.client
        run_async(
            lambda _report: client.due_reminders(now),
            lambda found: self._due(found, now),
            self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self.checking = False
        if self._alive():  # a record the rules cannot read: said, not fatal
            self.window.statusBar().showMessage(words(exc), 8000)

    def _alive(self) -> bool:
        return not self._stopped and isValid(self.window)

    def _due(self, found: list[DueReminder], now: datetime) -> None:
        self.checking = False
        if not self._alive() or self._sync_running():
            return  # nothing marked: the next check finds them again
        new = [d for d in found if d.key not in self.shown_keys]
        if new:
            today = now.astimezone(new[0].fire_at.tzinfo).date()  # in the person's zone
            missed = [d for d in new if d.missed]
            fresh = [d for d in new if not d.missed]
            if missed:
                self._show_missed(missed, today)
            if fresh:
                self._pop(fresh, today)
            self.shown_keys.update(d.key for d in new)
        try:
            self.window.client.mark_fired(found, now)
        except Exception as exc:
            # the store cannot be written now: what was shown is kept here (no repeats while
            # the app runs); an edit the person makes meets the same failure and says so
            self.window.statusBar().showMessage(words(exc), 8000)

    def _show_missed(self, missed: list[DueReminder], today: date) -> None:
        if self.missed is None or not self.missed.isVisible():
            self.missed = MissedDialog(self.window)
            self.missed.opened.connect(self.open)
        self.missed.add(missed, today)

    def _pop(self, fresh: list[DueReminder], today: date) -> None:
        self.popped.extend(fresh)
        if self.tray is not None:
            for due in fresh:
                self._last = due
                self.tray.showMessage(
                    headline(due), detail(due, today), QSystemTrayIcon.MessageIcon.Information,
                    TRAY_MS,
                )  # fmt: skip
            return
        if self.popup is None:
            self.popup = NotificationWindow()
            self.popup.opened.connect(self.open)
        self.popup.add(fresh, today)

    def _tray_clicked(self) -> None:
        if self._last is not None:
            self.open(self._last)

    def open(self, due: DueReminder) -> None:
        open_item(self.window, due.item)


def open_item(window: Any, item: Item) -> None:
    """Bring the window up on ``item``: a birthday or holiday selected on 生日节日 (a birthday
    typed on a contact: the contact on 联系人), a memo on 备忘录, an event (or anything else)
    on its day in 日历."""
    window.showNormal()
    window.raise_()
    window.activateWindow()
    rid = _uuid(item.id)
    if item.source == "contact" and rid is not None:
        _open_contact(window, rid)
        return
    if item.kind in ("birthday", "holiday") and rid is not None:
        window.show_page("dates")
        page = window.dates
        page.show_kind(item.kind)
        row = find_row(page.model, rid)
        if row >= 0:
            _select(page.table, row)
        return
    if item.kind == "memo" and rid is not None:
        window.show_page("memos")
        page = window.memos
        row = find_row(page.model, rid)
        if row >= 0:
            page.view.selectionModel().setCurrentIndex(
                page.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            page.show_current()
        return
    window.show_page("calendar")
    window.calendar.select(item.day)
    if item.kind == "event" and item.id is not None:
        window.calendar.events.select(item.id)


def _open_contact(window: Any, rid: UUID) -> None:
    """The contact selected on 联系人; a search or group that hides it is left for the whole
    list first (that list is read at once, not in a worker)."""
    window.show_page("contacts")
    page = window.contacts
    row = find_row(page.model, rid)
    if row < 0:
        page.show_all()
        row = find_row(page.model, rid)
    if row >= 0:
        page.select_row(row)
        page.view.scrollTo(page.model.index(row, 0))


def find_row(model: RecordModel, record_id: UUID) -> int:
    """The row of a record, fetching further pages while it is not loaded yet."""
    row = model.row_of(record_id)
    pages = 0
    while row < 0 and model.canFetchMore() and pages < FIND_PAGES:
        model.fetchMore()
        pages += 1
        row = model.row_of(record_id)
    return row


def _select(table: QTableView, row: int) -> None:
    table.selectRow(row)
    table.scrollTo(table.model().index(row, 0))


def _uuid(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None
