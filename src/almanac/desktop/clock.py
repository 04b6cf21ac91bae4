"""The clock of the calendar page (R7): 24-hour or 12-hour, hidden and shown again by
clicking its icon; both choices remembered in ``prefs``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QPointF, QSize, Qt, QTimer
from PySide6.QtGui import QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QRadioButton, QToolButton, QWidget

from almanac.desktop.i18n import t
from almanac.desktop.prefs import Prefs


def clock_icon(size: int = 28) -> QIcon:
    """A small drawn clock face (no icon theme needed)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(Qt.GlobalColor.darkGray, 2))
    painter.drawEllipse(2, 2, size - 4, size - 4)
    centre = QPointF(size / 2, size / 2)
    painter.drawLine(centre, QPointF(size / 2, size * 0.22))
    painter.drawLine(centre, QPointF(size * 0.72, size / 2))
    painter.end()
    return QIcon(pixmap)


def clock_text(now: datetime, h24: bool) -> str:
    if h24:
        return now.strftime("%H:%M:%S")
    half = t("cal.am") if now.hour < 12 else t("cal.pm")
    hour = now.hour % 12 or 12
    return f"{half} {hour}:{now:%M:%S}"


class Clock(QWidget):
    def __init__(self, home: Path, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.prefs = prefs
        self.icon = QToolButton()
        self.icon.setObjectName("clockIcon")
        self.icon.setIcon(clock_icon())
        self.icon.setIconSize(QSize(28, 28))
        self.icon.setAutoRaise(True)
        self.time = QLabel()
        self.time.setObjectName("clockTime")
        self.time.setStyleSheet("font-size: 26px; font-weight: bold; font-family: monospace;")
        self.h24 = QRadioButton(t("cal.clock_24"))
        self.h12 = QRadioButton(t("cal.clock_12"))
        (self.h24 if prefs.clock_24h else self.h12).setChecked(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.icon, self.time):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.h24)
        row.addWidget(self.h12)
        self.icon.clicked.connect(self.toggle_hidden)
        self.h24.toggled.connect(self._format_changed)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self._apply_hidden()

    def tick(self, now: datetime | None = None) -> None:
        if not self.prefs.clock_hidden:
            self.time.setText(clock_text(now or datetime.now(), self.prefs.clock_24h))

    def toggle_hidden(self) -> None:
        self.prefs.clock_hidden = not self.prefs.clock_hidden
        self.prefs.save(self.home)
        self._apply_hidden()

    def _apply_hidden(self) -> None:
        hidden = self.prefs.clock_hidden
        self.time.setVisible(not hidden)
        self.icon.setToolTip(t("cal.clock_hidden") if hidden else "")
        self.tick()

    def _format_changed(self) -> None:
        self.prefs.clock_24h = self.h24.isChecked()
        self.prefs.save(self.home)
        self.tick()

    def stop(self) -> None:
        self.timer.stop()
