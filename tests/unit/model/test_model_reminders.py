"""Reminders on birthdays, holidays, events and memos, and an event's cancelled and moved
occurrences (issue 4 items 5–6; R6, R7, R9): strict validation naming the field, defaults
that leave existing content unchanged, and the shapes ``almanac.calendar`` reads."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from almanac.calendar.agenda import Agenda
from almanac.calendar.reminders import Reminder as CalendarReminder
from almanac.calendar.reminders import parse_reminders
from almanac.model import (
    Birthday,
    Event,
    EventMove,
    Reminder,
    apply_patch,
    dump_content,
    load_content,
    validate_content,
)

BASE: dict[str, dict[str, Any]] = {
    "birthday": {"name": "妈妈", "date": {"calendar": "lunar", "month": 12, "day": 30}},
    "holiday": {"name": "结婚纪念日", "date": {"month": 10, "day": 8}},
    "memo": {"title": "交水费", "due": "2026-03-01T18:00"},
    "event": {"title": "例会", "start": "2026-03-02T09:00", "rrule": "FREQ=WEEKLY"},
}
KINDS = tuple(BASE)


@pytest.mark.parametrize("kind", KINDS)
def test_reminders_are_kept_and_match_the_calendar_reading(kind: str) -> None:
    given = [{"days_before": 1, "at": "18:30"}, {"days_before": 0, "at": None}, {}]
    content = validate_content(kind, {**BASE[kind], "reminders": given})
    dumped = dump_content(content)
    assert dumped["reminders"] == [
        {"days_before": 1, "at": "18:30"},
        {"days_before": 0, "at": None},
        {"days_before": 0, "at": "09:00"},
    ]
    # the calendar library reads the stored shape to the same reminders
    assert parse_reminders(dumped["reminders"]) == (
        CalendarReminder(1, datetime(2000, 1, 1, 18, 30).time()),
        CalendarReminder(0, None),
        CalendarReminder(0, datetime(2000, 1, 1, 9, 0).time()),
    )
    assert load_content(kind, dumped) == content


@pytest.mark.parametrize("kind", KINDS)
def test_without_reminders_the_content_is_what_it_was(kind: str) -> None:
    dumped = dump_content(validate_content(kind, BASE[kind]))
    assert "reminders" not in dumped
    assert "exdates" not in dumped and "moves" not in dumped


def test_a_birthday_has_the_default_reminder_unless_turned_off() -> None:
    default = validate_content("birthday", BASE["birthday"])
    assert isinstance(default, Birthday) and default.reminders is None
    off = validate_content("birthday", {**BASE["birthday"], "reminders": []})
    assert dump_content(off)["reminders"] == []  # kept: [] means "no reminder"
    for content, expected in ((default, 1), (off, 0)):
        record = {"id": "b1", **dump_content(content)}
        agenda = Agenda(birthdays=[record])
        items = agenda.reminder_candidates(date(2026, 2, 16), date(2026, 2, 16))
        assert len(items) == expected


@pytest.mark.parametrize(
    ("reminder", "field", "code"),
    [
        ({"days_before": -1}, "reminders.0.days_before", "out_of_range"),
        ({"days_before": 367}, "reminders.0.days_before", "out_of_range"),
        ({"days_before": "1"}, "reminders.0.days_before", "invalid_type"),
        ({"days_before": 1.5}, "reminders.0.days_before", "invalid_type"),
        ({"days_before": True}, "reminders.0.days_before", "invalid_type"),
        ({"at": "9:00"}, "reminders.0.at", "invalid_type"),
        ({"at": "24:00"}, "reminders.0.at", "invalid_type"),
        ({"at": "09:60"}, "reminders.0.at", "invalid_type"),
        ({"at": "09:00:00"}, "reminders.0.at", "invalid_type"),
        ({"at": 900}, "reminders.0.at", "invalid_type"),
        ({"when": "09:00"}, "reminders.0.when", "unknown_field"),
        ("09:00", "reminders.0", "invalid_type"),
    ],
)
@pytest.mark.parametrize("kind", KINDS)
def test_bad_reminders_are_refused_naming_the_field(problems, kind, reminder, field, code) -> None:
    assert problems(kind, {**BASE[kind], "reminders": [reminder]}) == {field: code}


@pytest.mark.parametrize("kind", KINDS)
def test_at_most_ten_reminders(problems, kind: str) -> None:
    ten = [{"days_before": i} for i in range(10)]
    assert (
        len(dump_content(validate_content(kind, {**BASE[kind], "reminders": ten}))["reminders"])
        == 10
    )
    assert problems(kind, {**BASE[kind], "reminders": [*ten, {}]}) == {"reminders": "too_long"}
    assert problems(kind, {**BASE[kind], "reminders": "09:00"}) == {"reminders": "invalid_type"}


def test_366_days_before_and_midnight_are_the_limits() -> None:
    content = validate_content(
        "holiday", {**BASE["holiday"], "reminders": [{"days_before": 366, "at": "00:00"}]}
    )
    assert dump_content(content)["reminders"] == [{"days_before": 366, "at": "00:00"}]


def test_patch_sets_and_clears_reminders() -> None:
    memo = validate_content("memo", BASE["memo"])
    changed = apply_patch("memo", memo, {"reminders": [{"days_before": 0, "at": None}]})
    assert dump_content(changed)["reminders"] == [{"days_before": 0, "at": None}]
    cleared = apply_patch("memo", changed, {"reminders": None})
    assert "reminders" not in dump_content(cleared)
    birthday = validate_content("birthday", {**BASE["birthday"], "reminders": []})
    back = apply_patch("birthday", birthday, {"reminders": None})
    assert isinstance(back, Birthday) and back.reminders is None  # the default again


# --- event exceptions -------------------------------------------------------------------


def test_exdates_and_moves_are_kept_as_dates_and_wall_times() -> None:
    event = validate_content(
        "event",
        {
            **BASE["event"],
            "exdates": ["2026-03-09", "2026-03-16T09:00"],
            "moves": [
                {"original": "2026-03-23T09:00", "start": "2026-03-24T10:00"},
                {"original": "2026-03-30", "start": "2026-03-31T14:00", "end": "2026-03-31T15:30"},
            ],
        },
    )
    assert isinstance(event, Event)
    assert event.exdates == [date(2026, 3, 9), datetime(2026, 3, 16, 9, 0)]
    assert event.moves[0] == EventMove(
        original=datetime(2026, 3, 23, 9), start=datetime(2026, 3, 24, 10)
    )
    dumped = dump_content(event)
    assert dumped["exdates"] == ["2026-03-09", "2026-03-16T09:00:00"]
    assert dumped["moves"][1] == {
        "original": "2026-03-30",
        "start": "2026-03-31T14:00:00",
        "end": "2026-03-31T15:30:00",
    }
    assert load_content("event", dumped) == event


def test_the_agenda_honours_the_stored_exceptions() -> None:
    """The stored shape (ISO text, as ``dump_content`` gives it) is what ``Agenda`` reads."""
    event = validate_content(
        "event",
        {
            **BASE["event"],
            "exdates": ["2026-03-09"],
            "moves": [{"original": "2026-03-16T09:00", "start": "2026-03-17T10:00"}],
        },
    )
    assert isinstance(event, Event)
    record = {**dump_content(event), "id": "e1"}
    starts = [
        i.start
        for i in Agenda(events=[record]).between(date(2026, 3, 2), date(2026, 3, 22))
        if i.kind == "event"
    ]
    assert [s.replace(tzinfo=None) for s in starts if isinstance(s, datetime)] == [
        datetime(2026, 3, 2, 9),
        datetime(2026, 3, 17, 10),
    ]


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        ({"exdates": ["2026-13-01"]}, "exdates.0", "not_a_date_or_time"),
        ({"exdates": "2026-03-09"}, "exdates", "invalid_type"),
        ({"moves": [{"original": "2026-03-09T09:00"}]}, "moves.0.start", "required"),
        ({"moves": [{"start": "2026-03-09T09:00"}]}, "moves.0.original", "required"),
        (
            {"moves": [{"original": "2026-03-09T09:00", "start": "2026-03-10"}]},
            "moves.0.start",
            "needs_datetime",
        ),
        (
            {"moves": [{"original": "x", "start": "2026-03-10T09:00"}]},
            "moves.0.original",
            "not_a_date_or_time",
        ),
        (
            {
                "moves": [
                    {
                        "original": "2026-03-09T09:00",
                        "start": "2026-03-10T09:00",
                        "end": "2026-03-10T08:00",
                    }
                ]
            },
            "moves.0.end",
            "end_before_start",
        ),
        (
            {"moves": [{"original": "2026-03-09T09:00", "start": "2026-03-10T09:00", "x": 1}]},
            "moves.0.x",
            "unknown_field",
        ),
    ],
)
def test_bad_exceptions_are_refused_naming_the_field(problems, extra, field, code) -> None:
    assert problems("event", {**BASE["event"], **extra}) == {field: code}


def test_an_all_day_event_takes_dates_only(problems) -> None:
    base = {"title": "晨跑", "all_day": True, "start": "2026-03-02", "rrule": "FREQ=DAILY"}
    ok = validate_content(
        "event", {**base, "exdates": ["2026-03-03"],
                  "moves": [{"original": "2026-03-04", "start": "2026-03-05"}]}
    )  # fmt: skip
    assert isinstance(ok, Event) and ok.exdates == [date(2026, 3, 3)]
    assert problems("event", {**base, "exdates": ["2026-03-03T09:00"]}) == {
        "exdates.0": "needs_date"
    }
    assert problems(
        "event", {**base, "moves": [{"original": "2026-03-04", "start": "2026-03-05T09:00"}]}
    ) == {"moves.0.start": "needs_date"}


def test_exceptions_have_bounds(problems) -> None:
    many = [f"2026-03-{d:02d}" for d in range(1, 29)] * 36  # 1,008
    assert problems("event", {**BASE["event"], "exdates": many}) == {"exdates": "too_long"}


def test_model_reminder_is_exported() -> None:
    assert Reminder(days_before=2).at == "09:00"
