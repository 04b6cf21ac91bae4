"""The calendar page (R7): a month grid where year, month and day can be chosen, each day
with its lunar date, festival or solar term, 休/班 (official days off and 调休 workdays) and
a dot when the person has a birthday, holiday or event that day; the chosen day's details
beside it; the clock (``clock``). Calendar knowledge comes from ``almanac.calendar.Agenda``."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QLocale, QRect, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from almanac.calendar import Agenda, Day
from almanac.client.facade import Client
from almanac.desktop.clock import Clock
from almanac.desktop.i18n import language, t
from almanac.desktop.prefs import Prefs
from almanac.errors import AlmanacError

RED = QColor("#c0392b")
GREEN = QColor("#27ae60")
GREY = QColor("#888888")


def records(client: Client, kind: str) -> list[dict[str, Any]]:
    """Every live record of a kind as ``{"id", **content}`` for the agenda."""
    found: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        page = client.list(kind, limit=1000, after=after)
        found.extend({"id": str(i.id), **i.content} for i in page.items)
        after = page.next_after
        if after is None:
            return found


def cell_note(day: Day) -> tuple[str, bool]:
    """The small text under a day number and whether it is a special day (red)."""
    if day.festivals:
        return day.festivals[0].name, True
    if day.terms:
        return day.terms[0].name, True
    if day.lunar is None:
        return "", False
    if day.lunar.day == 1:
        return day.lunar.month_name, False
    return day.lunar.day_name, False


class LunarCalendar(QCalendarWidget):
    """A ``QCalendarWidget`` that paints the lunar line, 休/班 and the person's marks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: dict[date, Day] = {}
        self.setGridVisible(True)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.setMinimumDate(QDate(1901, 2, 19))
        self.setMaximumDate(QDate(2099, 12, 31))
        if language() == "zh-CN":
            self.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))

    def paintCell(self, painter: QPainter, rect: QRect, qdate: QDate) -> None:
        day = self.days.get(date(qdate.year(), qdate.month(), qdate.day()))
        other_month = qdate.month() != self.monthShown()
        painter.save()
        if qdate == self.selectedDate():
            painter.fillRect(rect.adjusted(1, 1, -1, -1), QColor("#d6eaf8"))
        if qdate == QDate.currentDate():
            painter.setPen(QColor("#2e86c1"))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        off = day.status.off if day is not None else None
        weekend = off if off is not None else qdate.dayOfWeek() >= 6
        number_color = GREY if other_month else (RED if weekend else QColor("#222222"))
        big = QFont(painter.font())
        big.setPointSizeF(big.pointSizeF() * 1.35)
        big.setBold(True)
        painter.setFont(big)
        painter.setPen(number_color)
        top = QRect(rect.left(), rect.top() + 2, rect.width(), rect.height() // 2)
        painter.drawText(top, Qt.AlignmentFlag.AlignCenter, str(qdate.day()))
        if day is not None:
            self._paint_day(painter, rect, day, other_month)
        painter.restore()

    def _paint_day(self, painter: QPainter, rect: QRect, day: Day, other_month: bool) -> None:
        small = QFont(painter.font())
        small.setBold(False)
        small.setPointSizeF(max(7.0, small.pointSizeF() / 1.35 * 0.85))
        painter.setFont(small)
        note, special = cell_note(day)
        painter.setPen(GREY if other_month else (RED if special else QColor("#555555")))
        half = rect.height() // 2
        bottom = QRect(rect.left(), rect.top() + half, rect.width(), half - 2)
        painter.drawText(bottom, Qt.AlignmentFlag.AlignCenter, note)
        status = day.status
        badge = ""
        if status.kind == "holiday":
            badge, color = t("cal.holiday"), RED
        elif status.makeup:
            badge, color = t("cal.workday"), GREEN
        if badge:
            painter.setPen(color)
            corner = QRect(rect.right() - 18, rect.top() + 2, 16, 16)
            painter.drawText(corner, Qt.AlignmentFlag.AlignCenter, badge)
        if day.items:
            painter.setBrush(QColor("#e67e22"))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(rect.left() + 5, rect.top() + 5, 6, 6)


class CalendarPage(QWidget):
    def __init__(self, client: Client, home: Path, prefs: Prefs, parent: QWidget | None = None):
        super().__init__(parent)
        self.client = client
        self.agenda = Agenda()
        self.clock = Clock(home, prefs)
        self.calendar = LunarCalendar()
        self.calendar.setObjectName("calendar")
        self.jump = QDateEdit()
        self.jump.setObjectName("calendarJump")
        self.jump.setDisplayFormat("yyyy年M月d日")
        self.jump.setCalendarPopup(False)
        self.jump.setDateRange(self.calendar.minimumDate(), self.calendar.maximumDate())
        self.today_button = QPushButton(t("cal.today"))
        self.detail = QLabel()
        self.detail.setObjectName("dayDetail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setMinimumWidth(220)
        left = QVBoxLayout()
        bar = QHBoxLayout()
        bar.addWidget(self.jump)
        bar.addWidget(self.today_button)
        bar.addStretch(1)
        left.addWidget(self.clock)
        left.addLayout(bar)
        left.addWidget(self.calendar, 1)
        row = QHBoxLayout(self)
        row.addLayout(left, 3)
        row.addWidget(self.detail, 1)
        self.calendar.currentPageChanged.connect(lambda _y, _m: self.load_month())
        self.calendar.selectionChanged.connect(self.show_selected)
        self.jump.dateChanged.connect(self.calendar.setSelectedDate)
        self.today_button.clicked.connect(self.go_today)
        self.refresh()

    def refresh(self) -> None:
        """The person's records again (after an edit or a sync), then the month."""
        try:
            self.agenda = Agenda(
                birthdays=records(self.client, "birthday"),
                holidays=records(self.client, "holiday"),
                events=records(self.client, "event"),
            )
        except AlmanacError:
            self.agenda = Agenda()
        self.load_month()

    def load_month(self) -> None:
        year, month = self.calendar.yearShown(), self.calendar.monthShown()
        first = date(year, month, 1)
        start = max(first - timedelta(days=14), date(1901, 2, 19))
        end = min(first + timedelta(days=45), date(2099, 12, 31))
        self.calendar.days = {d.date: d for d in self.agenda.days(start, end)}
        self.calendar.updateCells()
        self.show_selected()

    def select(self, day: date) -> None:
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def go_today(self) -> None:
        self.select(date.today())

    def selected(self) -> date:
        q = self.calendar.selectedDate()
        return date(q.year(), q.month(), q.day())

    def show_selected(self) -> None:
        chosen = self.selected()
        self.jump.blockSignals(True)
        self.jump.setDate(self.calendar.selectedDate())
        self.jump.blockSignals(False)
        day = self.calendar.days.get(chosen)
        if day is None:
            days = self.agenda.days(chosen, chosen)
            day = days[0] if days else None
        self.detail.setText(day_html(chosen, day))

    def stop(self) -> None:
        self.clock.stop()


WEEKDAYS = "一二三四五六日"


def day_html(chosen: date, day: Day | None) -> str:
    weekday = WEEKDAYS[chosen.weekday()]
    lines = [f"<h2>{chosen.year}年{chosen.month}月{chosen.day}日 星期{weekday}</h2>"]
    if day is None:
        return "".join(lines)
    if day.lunar is not None:
        lines.append(f"<p>农历 {escape(day.lunar.full_text)}（{day.lunar.zodiac}年）</p>")
    for term in day.terms:
        lines.append(f"<p style='color:#c0392b'>节气：{term.name} {term.moment:%H:%M}</p>")
    for festival in day.festivals:
        lines.append(f"<p style='color:#c0392b'>{escape(festival.name)}</p>")
    status = day.status
    name = escape(status.name or "")
    if status.kind == "holiday":
        lines.append(f"<p style='color:#c0392b'>{t('cal.day_off')}：{name}</p>")
    elif status.makeup:
        lines.append(f"<p style='color:#27ae60'>{t('cal.makeup')}（{name}）</p>")
    for item in day.items:
        extra = ""
        if item.kind == "birthday" and item.age is not None:
            extra = f"（{t('dates.age', n=item.age)}）"
        lines.append(f"<p>• {t('kind.' + item.kind)}：{escape(item.title)}{extra}</p>")
    return "".join(lines)
