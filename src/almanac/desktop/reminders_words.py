"""The words of the reminders, the missed-reminders dialog and the upcoming page (issue 6 §2;
issue 4 §6), Chinese first, then English (every key in both); ``w(key, **values)`` picks the
app's current language (``almanac.desktop.i18n``) and falls back to Chinese. ``when_text`` and
``extra_text`` say when an agenda item is and what it turns, in the person's words."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from almanac.calendar.agenda import Item
from almanac.calendar.festivals import BY_ID
from almanac.desktop.i18n import festival_name, language

ZH: dict[str, str] = {
    "kind.birthday": "生日",
    "kind.holiday": "纪念日",
    "kind.event": "日程",
    "kind.memo": "备忘",
    "kind.festival": "节日",
    "kind.term": "节气",
    "day.today": "今天",
    "day.tomorrow": "明天",
    "day.after": "后天",
    "day.yesterday": "昨天",
    "day.in": "{n} 天后",
    "day.ago": "{n} 天前",
    "date": "{m}月{d}日 {weekday}",
    "age": "满 {n} 周岁",
    "age.nominal": "满 {n} 周岁（虚岁 {nominal}）",
    "years": "{n} 周年",
    "due": "{time} 到期",
    "pop.title": "{kind}提醒：{title}",
    "pop.window": "提醒",
    "pop.close": "关闭",
    "pop.hint": "点击提醒打开",
    "missed.title": "您不在时错过的提醒",
    "missed.intro": "程序关闭期间，有 {n} 条提醒到了时间（点击一条打开）：",
    "missed.was_due": "提醒时间 {when}",
    "missed.ok": "知道了",
    "upcoming.title": "接下来的安排",
    "upcoming.days": "往后看",
    "upcoming.days_suffix": " 天",
    "upcoming.refresh": "刷新",
    "upcoming.col.date": "日期",
    "upcoming.col.until": "还有",
    "upcoming.col.kind": "类型",
    "upcoming.col.title": "名称",
    "upcoming.col.extra": "备注",
    "upcoming.count": "接下来 {days} 天共 {n} 项",
    "upcoming.empty": "接下来 {days} 天没有安排。",
    "upcoming.lunar": "（农历）",
}

EN: dict[str, str] = {
    "kind.birthday": "Birthday",
    "kind.holiday": "Anniversary",
    "kind.event": "Event",
    "kind.memo": "Memo",
    "kind.festival": "Festival",
    "kind.term": "Solar term",
    "day.today": "today",
    "day.tomorrow": "tomorrow",
    "day.after": "in 2 days",
    "day.yesterday": "yesterday",
    "day.in": "in {n} days",
    "day.ago": "{n} days ago",
    "date": "{weekday} {m} {d}",
    "age": "turns {n}",
    "age.nominal": "turns {n} ({nominal} by Chinese reckoning)",
    "years": "{n} years",
    "due": "due {time}",
    "pop.title": "{kind}: {title}",
    "pop.window": "Reminders",
    "pop.close": "Close",
    "pop.hint": "Click a reminder to open it",
    "missed.title": "Reminders you missed while away",
    "missed.intro": "Reminders that came due while the app was closed: {n} (click one to open it).",
    "missed.was_due": "was due {when}",
    "missed.ok": "OK",
    "upcoming.title": "Coming up",
    "upcoming.days": "Next",
    "upcoming.days_suffix": " days",
    "upcoming.refresh": "Refresh",
    "upcoming.col.date": "Date",
    "upcoming.col.until": "When",
    "upcoming.col.kind": "Kind",
    "upcoming.col.title": "Title",
    "upcoming.col.extra": "Notes",
    "upcoming.count": "In the next {days} days: {n}",
    "upcoming.empty": "Nothing in the next {days} days.",
    "upcoming.lunar": " (lunar)",
}

_WEEKDAYS_ZH = "一二三四五六日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def w(key: str, **values: Any) -> str:
    """The words for ``key`` in the app's language (Chinese when English lacks it)."""
    words = EN if language() == "en" else ZH
    text = words.get(key) or ZH.get(key, key)
    return text.format(**values) if values else text


def relative_day(days: int) -> str:
    """今天, 明天, 后天, 昨天, N 天后, N 天前."""
    named = {0: "day.today", 1: "day.tomorrow", 2: "day.after", -1: "day.yesterday"}
    if days in named:
        return w(named[days])
    return w("day.in", n=days) if days > 0 else w("day.ago", n=-days)


def date_text(day: date) -> str:
    """3月5日 周四 / Thu Mar 5."""
    if language() == "en":
        weekday = _WEEKDAYS_EN[day.weekday()]
        return w("date", weekday=weekday, m=_MONTHS_EN[day.month - 1], d=day.day)
    return w("date", m=day.month, d=day.day, weekday=f"周{_WEEKDAYS_ZH[day.weekday()]}")


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
            return w("age.nominal", n=item.age, nominal=item.nominal_age)
        return w("age", n=item.age)
    if item.kind == "holiday" and item.age:
        return w("years", n=item.age)
    moment = time_of(item)
    if moment is None:
        return ""
    return w("due", time=moment) if item.kind == "memo" else moment


def when_text(item: Item, today: date) -> str:
    """明天（4月20日 周一）08:30 — when the item is, seen from ``today``."""
    moment = time_of(item)
    pattern = "{} ({})" if language() == "en" else "{}（{}）"
    text = pattern.format(relative_day((item.day - today).days), date_text(item.day))
    return f"{text} {moment}" if moment and item.kind == "event" else text
