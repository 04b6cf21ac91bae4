"""The 提醒 page (issue 6 §2; issue 4 §6): what comes in the next days (30 by default, 1–366)
— birthdays with the age they turn, the person's holidays, festivals, events and memos due —
each with its day, how many days until it and what it turns, built by ``Client.agenda``
from this device's store (offline, in a worker) in the person's zone and festival choices
(R3).
Double-clicking a row opens the item (``reminders.open_item``). An edit on another page shows
at once: the window calls ``follow_changes``, which builds again when the store changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from almanac.calendar.agenda import Item, Upcoming
from almanac.client.facade import Client
from almanac.desktop.agenda_text import (
    KIND_COLOURS,
    date_text,
    extra_text,
    relative_day,
    title_of,
)
from almanac.desktop.errors import show_error
from almanac.desktop.i18n import t
from almanac.desktop.reminders import system_clock
from almanac.desktop.workers import run_async

DEFAULT_DAYS = 30
COLUMNS = ("date", "until", "kind", "title", "extra")


class UpcomingPage(QWidget):
    """The table of what comes; ``open_item`` is called with a row's ``Item``."""

    def __init__(
        self,
        client: Client,
        open_item: Callable[[Item], None],
        clock: Callable[[], datetime] = system_clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.open_item = open_item
        self.clock = clock
        self.entries: list[Upcoming] = []
        self.today: date | None = None
        self.loading = False
        self.read_at: int | None = None  # ``Client.changes`` when the last build began
        self._generation = 0
        self._stopped = False
        heading = QLabel(f"<h2>{t('upcoming.title')}</h2>")
        self.days = QSpinBox()
        self.days.setObjectName("upcomingDays")
        self.days.setRange(1, 366)
        self.days.setValue(DEFAULT_DAYS)
        self.days.setPrefix(t("upcoming.days") + " ")
        self.days.setSuffix(t("upcoming.days_suffix"))
        self.refresh_button = QPushButton(t("upcoming.refresh"))
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("upcomingTable")
        self.table.setHorizontalHeaderLabels([t(f"upcoming.col.{c}") for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for index in range(len(COLUMNS)):
            mode = QHeaderView.ResizeMode.ResizeToContents
            if COLUMNS[index] == "extra":
                mode = QHeaderView.ResizeMode.Stretch
            header.setSectionResizeMode(index, mode)
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.days)
        top.addWidget(self.refresh_button)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.table, 1)
        column.addWidget(self.count)
        self.days.valueChanged.connect(lambda _n: self.reload())
        self.refresh_button.clicked.connect(self.reload)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        self.reload()

    def reload(self) -> None:
        """The next ``days`` days again (after a sync, an edit, a new day), built in a worker
        (a person with many lunar birthdays takes a moment); the newest answer is shown."""
        days = self.days.value()
        self._generation += 1
        generation = self._generation
        self.loading = True
        client, clock = self.client, self.clock
        self.read_at = client.changes  # before the build reads: a change meanwhile shows

        def build(_report: object) -> tuple[date, list[Upcoming]]:
            agenda = client.agenda()
            today = clock().astimezone(agenda.zone).date()
            return today, agenda.upcoming(today, days)

        def done(result: tuple[date, list[Upcoming]]) -> None:
            if generation == self._generation and not self._stopped:
                self.loading = False
                self._show(days, *result)

        run_async(build, done, self._failed)

    def follow_changes(self) -> None:
        """The local store may have changed (an edit on another page): build again only if
        it did (``Client.changes``, one ``PRAGMA``)."""
        if self.client.changes != self.read_at:
            self.reload()

    def _failed(self, exc: BaseException) -> None:
        self.loading = False
        if not self._stopped:
            show_error(self, exc)

    def stop(self) -> None:
        """The page is going (the window is re-made in another language): a build still out
        is not shown."""
        self._stopped = True

    def _show(self, days: int, today: date, entries: list[Upcoming]) -> None:
        self.today, self.entries = today, entries
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            for col, text in enumerate(self._cells(entry)):
                cell = QTableWidgetItem(text)
                colour = KIND_COLOURS.get(entry.item.kind)
                if colour and COLUMNS[col] == "kind":
                    cell.setForeground(Qt.GlobalColor.white)
                    cell.setBackground(QColor(colour))
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, cell)
        words = "upcoming.count" if entries else "upcoming.empty"
        self.count.setText(t(words, n=len(entries), days=days))

    @staticmethod
    def _cells(entry: Upcoming) -> tuple[str, ...]:
        item = entry.item
        lunar = t("upcoming.lunar") if item.lunar_date else ""
        return (
            date_text(item.day),
            relative_day(entry.days_until),
            t(f"agenda.kind.{item.kind}"),
            f"{title_of(item)}{lunar}",
            extra_text(item),
        )

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            self.open_item(self.entries[row].item)
