"""The calendar page's month grid (R7): ``LunarCalendar``, a ``QCalendarWidget`` whose cells
show the day number, the lunar day (the month name on the 1st) or the festival or solar term
in red, 休/班 (official days off and 调休 workdays) and the person's items: the first one's
title in its kind's colour with "+N" for the rest (as the web's month page), or — when the cell
is too small for a third line — a dot. What a cell shows is ``LunarCalendar.look``; painting
only draws it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from PySide6.QtCore import QDate, QLocale, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QCalendarWidget, QWidget

from almanac.calendar import Day
from almanac.desktop.agenda_text import KIND_COLOURS, title_of
from almanac.desktop.i18n import festival_name, language, lunar_cell, t, term_name

RED = QColor("#c0392b")
GREEN = QColor("#27ae60")
GREY = QColor("#888888")
DOT = QColor("#e67e22")
PAD = 2  # pixels around a cell's bands


def calendar_day(day: Day) -> Day:
    """A day as the grid shows it: the person's birthdays, holidays and events (memos due
    that day are left to 备忘录 and 提醒)."""
    items = tuple(item for item in day.items if item.kind != "memo")
    return day if len(items) == len(day.items) else replace(day, items=items)


def cell_note(day: Day) -> tuple[str, bool]:
    """The small text under a day number and whether it is a special day (red)."""
    if day.festivals:
        return festival_name(day.festivals[0]), True
    if day.terms:
        return term_name(day.terms[0]), True
    if day.lunar is None:
        return "", False
    return lunar_cell(day.lunar), False


@dataclass(frozen=True)
class Bands:
    """Where a cell's lines go: the number, the note and (room permitting) the first title."""

    number: QRect
    note: QRect
    title: QRect | None


@dataclass(frozen=True)
class CellLook:
    """What a cell shows under its number: the note (elided), the first item's title (elided
    to the room left by ``more``; '' when there is none or no room), its kind, "+N" for the
    other items, and the dot when the cell has items but no room for a title."""

    note: str
    special: bool
    title: str = ""
    kind: str = ""
    more: str = ""
    dot: bool = False


def fonts(base: QFont) -> tuple[QFont, QFont]:
    """The day number's font (bold, 1.35×) and the small one of the lines under it."""
    big = QFont(base)
    big.setPointSizeF(base.pointSizeF() * 1.35)
    big.setBold(True)
    small = QFont(base)
    small.setBold(False)
    small.setPointSizeF(max(7.0, base.pointSizeF() * 0.85))
    return big, small


def bands(rect: QRect, base: QFont) -> Bands:
    """The number above, the note under it and the title at the bottom when the cell is tall
    enough for the three lines and wide enough for three characters; else the number and the
    note share the cell half and half (the items are a dot)."""
    big, small = fonts(base)
    number_h = QFontMetrics(big).tightBoundingRect("28").height() + 2 * PAD  # digits' ink
    line = QFontMetrics(small).height()
    tall = rect.height() >= number_h + 2 * line + 3 * PAD
    wide = rect.width() >= 3 * QFontMetrics(small).horizontalAdvance("日") + 4 * PAD
    left, top, width = rect.left(), rect.top(), rect.width()
    if not (tall and wide):
        half = rect.height() // 2
        number = QRect(left, top + PAD, width, half)
        return Bands(number, QRect(left, top + half, width, half - PAD), None)
    title = QRect(left + PAD, rect.bottom() - PAD - line, width - 2 * PAD, line + 1)
    rest = title.top() - top - PAD
    number = QRect(left, top + PAD, width, rest - line)
    return Bands(number, QRect(left, number.bottom() + 1, width, line), title)


class LunarCalendar(QCalendarWidget):
    """A ``QCalendarWidget`` that paints the lunar line, 休/班 and the person's items."""

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
        else:
            self.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))

    def look(self, day: Day, rect: QRect, base: QFont) -> CellLook:
        """What ``day``'s cell of size ``rect`` shows in the view's font ``base``."""
        _big, small = fonts(base)
        metrics = QFontMetrics(small)
        note, special = cell_note(day)
        note = metrics.elidedText(note, Qt.TextElideMode.ElideRight, rect.width() - 3 * PAD)
        if not day.items:
            return CellLook(note, special)
        room = bands(rect, base).title
        if room is None:
            return CellLook(note, special, dot=True)
        first = day.items[0]
        more = f"+{len(day.items) - 1}" if len(day.items) > 1 else ""
        width = room.width() - 2 * PAD
        if more:
            width -= metrics.horizontalAdvance(more) + PAD
        title = metrics.elidedText(title_of(first), Qt.TextElideMode.ElideRight, width)
        return CellLook(note, special, title, first.kind, more)

    def paintCell(self, painter: QPainter, rect: QRect, qdate: QDate) -> None:
        day = self.days.get(date(qdate.year(), qdate.month(), qdate.day()))
        other_month = qdate.month() != self.monthShown()
        base = QFont(painter.font())
        where = bands(rect, base)
        painter.save()
        if qdate == self.selectedDate():
            painter.fillRect(rect.adjusted(1, 1, -1, -1), QColor("#d6eaf8"))
        if qdate == QDate.currentDate():
            painter.setPen(QColor("#2e86c1"))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        off = day.status.off if day is not None else None
        weekend = off if off is not None else qdate.dayOfWeek() >= 6
        number_color = GREY if other_month else (RED if weekend else QColor("#222222"))
        big, small = fonts(base)
        painter.setFont(big)
        painter.setPen(number_color)
        painter.drawText(where.number, Qt.AlignmentFlag.AlignCenter, str(qdate.day()))
        if day is not None:
            painter.setFont(small)
            self._paint_day(painter, rect, where, self.look(day, rect, base), other_month)
            self._paint_badge(painter, rect, day)
        painter.restore()

    def _paint_day(
        self, painter: QPainter, rect: QRect, where: Bands, look: CellLook, other_month: bool
    ) -> None:
        painter.setPen(GREY if other_month else (RED if look.special else QColor("#555555")))
        painter.drawText(where.note, Qt.AlignmentFlag.AlignCenter, look.note)
        if look.dot:
            painter.setBrush(DOT)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(rect.left() + 5, rect.top() + 5, 6, 6)
        if look.title and where.title is not None:
            self._paint_title(painter, where.title, look, other_month)

    @staticmethod
    def _paint_title(painter: QPainter, room: QRect, look: CellLook, other_month: bool) -> None:
        """The first item's title on a pale band of its kind's colour, "+N" at its right."""
        colour = QColor(GREY if other_month else KIND_COLOURS.get(look.kind, "#555555"))
        fill = QColor(colour)
        fill.setAlpha(28)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(room, 3, 3)
        inner = room.adjusted(PAD, 0, -PAD, 0)
        painter.setPen(colour)
        middle = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | middle, look.title)
        if look.more:
            painter.setPen(GREY)
            painter.drawText(inner, Qt.AlignmentFlag.AlignRight | middle, look.more)

    @staticmethod
    def _paint_badge(painter: QPainter, rect: QRect, day: Day) -> None:
        """休 or "Off" on an official day off, 班 or "Work" on a 调休 workday (top right)."""
        status = day.status
        if status.kind == "holiday":
            badge, color = t("cal.holiday"), RED
        elif status.makeup:
            badge, color = t("cal.workday"), GREEN
        else:
            return
        painter.setPen(color)
        width = painter.fontMetrics().horizontalAdvance(badge) + 4
        corner = QRect(rect.right() - width - 2, rect.top() + 2, width, 16)
        painter.drawText(corner, Qt.AlignmentFlag.AlignCenter, badge)
