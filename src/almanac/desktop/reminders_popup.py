"""What a reminder looks like (issue 6 §2): ``NotificationWindow``, a small non-modal window
in the screen's bottom-right corner for when the desktop has no system tray (each reminder a
clickable entry: title, when, the age a birthday turns), and ``MissedDialog``, the one
non-modal dialog listing the reminders that came due while the app was closed
(您不在时错过的提醒). Clicking an entry emits ``opened`` with its ``DueReminder``."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication, QMouseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from almanac.calendar.reminders import DueReminder
from almanac.desktop.agenda_text import extra_text, title_of, when_text
from almanac.desktop.i18n import t

MARGIN = 16
WIDTH = 340


def headline(due: DueReminder) -> str:
    """生日提醒：张三."""
    return t("pop.title", kind=t(f"agenda.kind.{due.item.kind}"), title=title_of(due.item))


def detail(due: DueReminder, today: date) -> str:
    """明天（3月5日 周四） · 满 30 周岁."""
    extra = extra_text(due.item)
    when = when_text(due.item, today)
    return f"{when} · {extra}" if extra and due.item.kind != "event" else when


class _Entry(QFrame):
    """One reminder in the notification window: clickable."""

    clicked = Signal()

    def __init__(self, due: DueReminder, today: date) -> None:
        super().__init__()
        self.due = due
        self.setObjectName("reminderEntry")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(
            "#reminderEntry { background: #fffaf0; border: 1px solid #f0d9a8;"
            " border-radius: 6px; } #reminderEntry:hover { background: #fff3d6; }"
        )
        title = QLabel(f"<b>{escape(headline(due))}</b>")
        title.setWordWrap(True)
        when = QLabel(escape(detail(due, today)))
        when.setWordWrap(True)
        when.setStyleSheet("color: #555")
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 8, 10, 8)
        column.addWidget(title)
        column.addWidget(when)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class NotificationWindow(QFrame):
    """The corner window: the reminders popped up since it was last closed, newest last."""

    opened = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        flags = (
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        super().__init__(parent, flags)
        self.setObjectName("reminderPopup")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFixedWidth(WIDTH)
        self.setStyleSheet(
            "#reminderPopup { background: white; border: 1px solid #c9c9c9; border-radius: 8px; }"
        )
        self.entries: list[_Entry] = []
        header = QHBoxLayout()
        icon = QLabel()
        size = 18
        style_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        icon.setPixmap(style_icon.pixmap(size, size))
        bell = QLabel(f"<b>{escape(t('pop.window'))}</b>")
        self.close_button = QPushButton(t("pop.close"))
        self.close_button.setFlat(True)
        self.close_button.clicked.connect(self.dismiss)
        header.addWidget(icon)
        header.addWidget(bell)
        header.addStretch(1)
        header.addWidget(self.close_button)
        self.list = QVBoxLayout()
        self.list.setSpacing(6)
        hint = QLabel(t("pop.hint"))
        hint.setStyleSheet("color: #888; font-size: 11px")
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 10, 12, 12)
        column.addLayout(header)
        column.addLayout(self.list)
        column.addWidget(hint)

    def add(self, reminders: list[DueReminder], today: date) -> None:
        """Show ``reminders`` (more entries if the window is open already)."""
        for due in reminders:
            entry = _Entry(due, today)
            entry.clicked.connect(lambda d=due: self._open(d))
            self.entries.append(entry)
            self.list.addWidget(entry)
        self.adjustSize()
        self.show()
        self.raise_()
        self._place()

    def _place(self) -> None:
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        self.move(
            QPoint(area.right() - self.width() - MARGIN, area.bottom() - self.height() - MARGIN)
        )

    def _open(self, due: DueReminder) -> None:
        self.opened.emit(due)
        self.dismiss()

    def dismiss(self) -> None:
        for entry in self.entries:
            entry.deleteLater()
        self.entries = []
        self.hide()


class MissedDialog(QDialog):
    """您不在时错过的提醒: one line per reminder; clicking one opens its item."""

    opened = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("missed.title"))
        self.setModal(False)
        self.resize(520, 320)
        self.reminders: list[DueReminder] = []
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("missedList")
        self.list.setWordWrap(True)
        self.list.setStyleSheet("QListWidget::item { padding: 6px 4px; }")
        self.list.itemClicked.connect(self._clicked)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(t("missed.ok"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        column = QVBoxLayout(self)
        title = QLabel(f"<h3>{escape(t('missed.title'))}</h3>")
        column.addWidget(title)
        column.addWidget(self.intro)
        column.addWidget(self.list, 1)
        column.addWidget(buttons)

    def add(self, reminders: list[DueReminder], today: date) -> None:
        for due in reminders:
            # fire_at is in the person's zone
            was = t("missed.was_due", when=due.fire_at.strftime("%m-%d %H:%M"))
            line = QListWidgetItem(f"{headline(due)}\n{detail(due, today)} · {was}")
            line.setData(Qt.ItemDataRole.UserRole, len(self.reminders))
            self.reminders.append(due)
            self.list.addItem(line)
        self.intro.setText(t("missed.intro", n=len(self.reminders)))
        self.show()
        self.raise_()

    def _clicked(self, line: QListWidgetItem) -> None:
        index = line.data(Qt.ItemDataRole.UserRole)
        if isinstance(index, int) and 0 <= index < len(self.reminders):
            self.opened.emit(self.reminders[index])
