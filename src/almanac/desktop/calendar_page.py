"""The calendar page (R7): the month grid (``calendar_grid``: each day with its lunar date,
festival or solar term, 休/班 and the person's items — the first one's title, or a dot in a
small window) where year, month and day can be chosen; the chosen day's details beside it and
its events under them (``day_events``); the clock (``clock``). Calendar knowledge comes from
``almanac.calendar.Agenda``. The person's settings (R3) choose the first day of the week, the
festivals and the time zone; the words follow the app's language (festival and solar-term
names too)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html import escape

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from almanac.calendar import Agenda, Day
from almanac.client.facade import Client
from almanac.desktop.calendar_grid import LunarCalendar, calendar_day
from almanac.desktop.clock import Clock
from almanac.desktop.day_events import DayEvents
from almanac.desktop.i18n import (
    festival_name,
    holiday_name,
    language,
    lunar_full,
    t,
    term_name,
)
from almanac.errors import AlmanacError
from almanac.model.event import zone
from almanac.model.preferences import Preferences


class CalendarPage(QWidget):
    """The month, the chosen day and the clock, following the person's settings (R3): the
    first day of the week, the festivals hidden or shown, the time zone (today, events).
    The chosen day's events are listed under its details (``day_events``); double-clicking a
    day in the grid opens a new event on it."""

    changed = Signal()

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(parent)
        self.client = client
        self.prefs = client.preferences()
        self.agenda = Agenda()
        self.read_at: int | None = None  # ``Client.changes`` when the agenda was read
        self.clock = Clock(client)
        self.calendar = LunarCalendar()
        self.calendar.setObjectName("calendar")
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek(self.prefs.week_start))
        self.jump = QDateEdit()
        self.jump.setObjectName("calendarJump")
        self.jump.setDisplayFormat(t("cal.date_format"))
        self.jump.setCalendarPopup(False)
        self.jump.setDateRange(self.calendar.minimumDate(), self.calendar.maximumDate())
        self.today_button = QPushButton(t("cal.today"))
        self.detail = QLabel()
        self.detail.setObjectName("dayDetail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setMinimumWidth(220)
        self.events = DayEvents(client, lambda: self.prefs.time_zone)
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
        right = QVBoxLayout()
        right.addWidget(self.detail, 1)
        right.addWidget(self.events, 1)
        row.addLayout(right, 1)
        self.calendar.currentPageChanged.connect(lambda _y, _m: self.load_month())
        self.calendar.selectionChanged.connect(self.show_selected)
        self.jump.dateChanged.connect(self.calendar.setSelectedDate)
        self.today_button.clicked.connect(self.go_today)
        self.calendar.activated.connect(lambda q: self.events.new_on(_day(q)))
        self.events.changed.connect(self._events_changed)
        self.calendar.setSelectedDate(_qdate(self.today()))
        self.refresh()

    def follow(self, prefs: Preferences) -> None:
        """The person's settings changed (here or on another device): show them."""
        before, self.prefs = self.prefs, prefs
        self.clock.follow(prefs)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek(prefs.week_start))
        if (before.time_zone, before.festival_choice()) != (
            prefs.time_zone,
            prefs.festival_choice(),
        ):
            self.refresh()  # what the agenda depends on changed

    def today(self) -> date:
        """Today in the person's time zone."""
        return datetime.now(zone(self.prefs.time_zone)).date()

    def refresh(self) -> None:
        """The person's records again (after an edit or a sync), then the month."""
        try:
            self.read_at = self.client.changes  # before the records: a later change shows
            self.agenda = self.client.agenda(tz=self.prefs.time_zone)  # their festival choices
        except AlmanacError:
            self.agenda = Agenda()
        self.load_month()

    def follow_changes(self) -> None:
        """The local store may have changed (an edit on another page): read it again only
        if it did (``Client.changes``, one ``PRAGMA``)."""
        if self.client.changes != self.read_at:
            self.refresh()

    def load_month(self) -> None:
        year, month = self.calendar.yearShown(), self.calendar.monthShown()
        first = date(year, month, 1)
        start = max(first - timedelta(days=14), date(1901, 2, 19))
        end = min(first + timedelta(days=45), date(2099, 12, 31))
        self.calendar.days = {d.date: calendar_day(d) for d in self.agenda.days(start, end)}
        self.calendar.updateCells()
        self.show_selected()

    def select(self, day: date) -> None:
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def go_today(self) -> None:
        self.select(self.today())

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
            day = calendar_day(days[0]) if days else None
        self.detail.setText(day_html(chosen, day))
        self.events.show_day(chosen, day.items if day else ())

    def _events_changed(self) -> None:
        self.refresh()
        self.changed.emit()

    def stop(self) -> None:
        self.clock.stop()


def day_html(chosen: date, day: Day | None) -> str:
    """The chosen day's details: the date, 农历, solar terms, festivals, 放假/调休上班 and the
    person's birthdays and holidays (their events are the 当天日程 list below, once)."""
    weekday = t(f"weekday.{chosen.isoweekday()}")
    heading = t("cal.heading", y=chosen.year, m=chosen.month, d=chosen.day, weekday=weekday)
    lines = [f"<h2>{escape(heading)}</h2>"]
    if day is None:
        return "".join(lines)
    if day.lunar is not None:
        lines.append(f"<p>{escape(lunar_full(day.lunar))}</p>")
    for term in day.terms:
        words = t("cal.term", name=term_name(term), time=f"{term.moment:%H:%M}")
        lines.append(f"<p style='color:#c0392b'>{escape(words)}</p>")
    for festival in day.festivals:
        lines.append(f"<p style='color:#c0392b'>{escape(festival_name(festival))}</p>")
    status = day.status
    name = escape(holiday_name(status.name or ""))
    colon, brackets = ("：", "（{}）") if language() == "zh-CN" else (": ", " ({})")
    if status.kind == "holiday":
        lines.append(f"<p style='color:#c0392b'>{t('cal.day_off')}{colon}{name}</p>")
    elif status.makeup:
        lines.append(f"<p style='color:#27ae60'>{t('cal.makeup')}{brackets.format(name)}</p>")
    for item in day.items:
        if item.kind == "event":
            continue  # listed under 当天日程 (``day_events``), where they open
        extra = ""
        if item.kind == "birthday" and item.age is not None:
            extra = brackets.format(t("dates.age", n=item.age))
        title = escape(item.title)
        lines.append(f"<p>• {t('kind.' + item.kind)}{colon}{title}{extra}</p>")
    return "".join(lines)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())
