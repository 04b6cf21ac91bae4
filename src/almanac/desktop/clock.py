"""The clock of the calendar page (R7): 24-hour or 12-hour, hidden and shown again by
clicking its icon, in the person's time zone; the choices are the person's settings (R3:
``Client.set_preferences``), so they survive a restart and reach the server and the web."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QPointF, QSize, Qt, QTimer
from PySide6.QtGui import QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QRadioButton, QToolButton, QWidget

from almanac.client.facade import Client
from almanac.desktop.errors import show_error
from almanac.desktop.i18n import t
from almanac.errors import AlmanacError
from almanac.model.event import zone
from almanac.model.preferences import Preferences


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
    """The clock of the person's settings (R3, R7): format, shown or hidden, time zone. A
    click changes the setting through ``Client.set_preferences`` (offline too; synced later);
    ``follow`` shows settings that changed elsewhere."""

    def __init__(self, client: Client, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.prefs = client.preferences()
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
        self.follow(self.prefs)

    @property
    def h24_chosen(self) -> bool:
        return self.prefs.clock_format == "24h"

    def follow(self, prefs: Preferences) -> None:
        """Show ``prefs`` (the person's settings, maybe changed on another device)."""
        self.prefs = prefs
        self.h24.blockSignals(True)
        (self.h24 if self.h24_chosen else self.h12).setChecked(True)
        self.h24.blockSignals(False)
        self.time.setVisible(prefs.clock_visible)
        self.icon.setToolTip("" if prefs.clock_visible else t("cal.clock_hidden"))
        self.tick()

    def now(self) -> datetime:
        """Now in the person's time zone."""
        return datetime.now(zone(self.prefs.time_zone))

    def tick(self, now: datetime | None = None) -> None:
        if self.prefs.clock_visible:
            self.time.setText(clock_text(now or self.now(), self.h24_chosen))

    def toggle_hidden(self) -> None:
        self._change({"clock_visible": not self.prefs.clock_visible})

    def _format_changed(self) -> None:
        self._change({"clock_format": "24h" if self.h24.isChecked() else "12h"})

    def _change(self, patch: dict[str, Any]) -> None:
        try:
            self.follow(self.client.set_preferences(patch))
        except AlmanacError as exc:
            show_error(self, exc)
            self.follow(self.client.preferences())

    def stop(self) -> None:
        self.timer.stop()
