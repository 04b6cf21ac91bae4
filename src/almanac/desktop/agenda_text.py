"""How an agenda item is told in the app's words (issue 6 §2; issue 4 §6): when it is
(明天（4月20日 周一）08:30), what it turns or when it is due (满 30 周岁, 17:00 到期), its
title (a festival's in the app's language), the colour of its kind. The reminder pop-ups, the
missed-reminders dialog, the 提醒 page and the calendar grid use it; the words are ``i18n``'s
``agenda.*`` keys."""

from __future__ import annotations

from datetime import date, datetime

from almanac.calendar.agenda import Item
from almanac.calendar.festivals import BY_ID
from almanac.desktop.i18n import festival_name, language, t
from almanac.desktop.i18n_en import MONTHS_EN

KIND_COLOURS = {  # an item's kind as 提醒 and the calendar grid colour it
    "birthday": "#c0392b",
    "festival": "#d35400",
    "holiday": "#8e44ad",
    "event": "#2471a3",
    "memo": "#16a085",
}


def relative_day(days: int) -> str:
    """今天, 明天, 后天, 昨天, N 天后, N 天前."""
    named = {0: "today", 1: "tomorrow", 2: "after", -1: "yesterday"}
    if days in named:
        return t(f"agenda.day.{named[days]}")
    return t("agenda.day.in", n=days) if days > 0 else t("agenda.day.ago", n=-days)


def date_text(day: date) -> str:
    """3月5日 周四 / Thu Mar 5."""
    month = MONTHS_EN[day.month - 1] if language() == "en" else day.month
    weekday = t(f"agenda.weekday.{day.isoweekday()}")
    return t("agenda.date", m=month, d=day.day, weekday=weekday)


def title_of(item: Item) -> str:
    """The item's title; a festival's in the app's language."""
    if item.kind == "festival" and item.id in BY_ID:
        return festival_name(BY_ID[item.id])
    return item.title


def time_of(item: Item) -> str | None:
    """HH:MM of a timed event's start or a memo's due time, in the person's zone."""
    if item.kind == "event" and not item.all_day and isinstance(item.start, datetime):
        return item.start.strftime("%H:%M")
    if item.kind == "memo" and item.moment is not None:
        return item.moment.strftime("%H:%M")
    return None


def extra_text(item: Item) -> str:
    """What the item turns or when it is due: 满 30 周岁, 10 周年, 17:00 到期, 08:30."""
    if item.kind == "birthday" and item.age is not None:
        if item.nominal_age is not None:
            return t("agenda.age_nominal", n=item.age, nominal=item.nominal_age)
        return t("agenda.age", n=item.age)
    if item.kind == "holiday" and item.age:
        return t("agenda.years", n=item.age)
    moment = time_of(item)
    if moment is None:
        return ""
    return t("agenda.due", time=moment) if item.kind == "memo" else moment


def when_text(item: Item, today: date) -> str:
    """明天（4月20日 周一）08:30 — when the item is, seen from ``today``."""
    moment = time_of(item)
    text = t("agenda.when", day=relative_day((item.day - today).days), date=date_text(item.day))
    return f"{text} {moment}" if moment and item.kind == "event" else text
