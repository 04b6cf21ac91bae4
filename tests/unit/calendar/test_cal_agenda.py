"""The agenda: between A and B, the days of a view, upcoming (issue 4 items 5–6, R6, R7, R9)."""

from __future__ import annotations

import gc
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from almanac.calendar.agenda import Agenda
from almanac.calendar.festivals import FESTIVALS
from almanac.calendar.occurrence import age, nominal_age, occurrences
from almanac.errors import InvalidInput
from almanac.model.birthday import Birthday
from almanac.model.dates import DateSpec

SH = ZoneInfo("Asia/Shanghai")
ALL = frozenset(f.id for f in FESTIVALS)


def person() -> Agenda:
    return Agenda(
        birthdays=[
            {"id": "b-mum", "name": "妈妈", "date": {"calendar": "lunar", "month": 12, "day": 30,
                                                     "year": 1961}},
            Birthday(name="小明", date=DateSpec(month=2, day=29, year=2000)),
        ],
        holidays=[{"id": "h-1", "name": "结婚纪念日",
                   "date": {"month": 2, "day": 20, "year": 2010}}],
        events=[
            {"id": "e-week", "title": "周会", "start": "2026-02-02T09:00",
             "end": "2026-02-02T10:00", "rrule": "FREQ=WEEKLY;BYDAY=MO", "exdates": ["2026-02-16"]},
            {"id": "e-trip", "title": "回老家", "all_day": True, "start": "2026-02-13",
             "end": "2026-02-15"},
            {"id": "e-late", "title": "跨夜", "start": "2026-02-18T22:00",
             "end": "2026-02-19T02:00"},
        ],
        memos=[{"id": "m-1", "title": "交报告", "due": "2026-02-20T17:00"},
               {"title": "no due date"}],
    )  # fmt: skip


def test_between_merges_and_orders_everything() -> None:
    items = person().between(date(2026, 2, 14), date(2026, 2, 17))
    assert [(i.day.day, i.kind, i.title) for i in items] == [
        (14, "event", "回老家"),  # a multi-day event once, on its first day in range
        (16, "festival", "除夕"),
        (16, "birthday", "妈妈"),  # 腊月三十 → 腊月廿九 (2025's 腊月 is small)
        (17, "festival", "春节"),
    ]  # the 16 Feb 周会 is cancelled (exdate)
    assert items[2].age == 64 and items[2].nominal_age == 65 and items[2].lunar_date


def test_between_orders_timed_after_day_long_entries() -> None:
    items = person().between(date(2026, 2, 4), date(2026, 2, 9))
    assert [(i.day.day, i.kind, i.title) for i in items] == [
        (4, "term", "立春"),
        (9, "event", "周会"),
    ]
    assert items[1].start == datetime(2026, 2, 9, 9, 0, tzinfo=SH)


def test_days_of_a_view() -> None:
    days = person().days(date(2026, 2, 13), date(2026, 2, 19))
    by = {d.date.day: d for d in days}
    assert len(days) == 7
    assert str(by[16].lunar) == "腊月廿九" and [f.id for f in by[16].festivals] == ["chuxi"]
    assert by[17].lunar is not None and by[17].lunar.text == "正月初一"
    assert by[14].status.makeup and by[15].status.kind == "holiday"
    assert by[13].status.kind == "workday"
    assert [i.title for i in by[15].items] == ["回老家"]  # all-day 13–15 shown on each day
    assert [i.title for i in by[19].items] == ["跨夜"]  # timed 22:00–02:00 reaches the 19th
    assert [t.name for t in by[18].terms] == ["雨水"]


def test_a_year_of_days() -> None:
    days = person().days(date(2026, 1, 1), date(2026, 12, 31))
    assert len(days) == 365
    assert sum(1 for d in days if d.terms) == 24
    assert sum(1 for d in days if d.status.kind == "holiday") == 33  # 3+9+3+5+3+3+7
    assert sum(1 for d in days if d.status.makeup) == 6
    unknown = person().days(date(2027, 1, 1), date(2027, 1, 2))
    assert all(d.status.kind == "unknown" for d in unknown)


def test_upcoming_with_days_until_and_ages() -> None:
    up = person().upcoming(date(2026, 2, 14), days=16)
    got = [(u.days_until, u.item.kind, u.item.title, u.item.age) for u in up]
    assert (2, "birthday", "妈妈", 64) in got
    assert (6, "holiday", "结婚纪念日", 16) in got
    assert (6, "memo", "交报告", None) in got
    assert (14, "birthday", "小明", 26) in got  # 2/29 → 2/28 in 2026
    assert (0, "event", "回老家", None) in got
    assert (16, "event", "周会", None) in got  # 2 March: day 16 is included
    assert "立春" not in {u.item.title for u in up}  # solar terms are not "upcoming"
    assert [u.days_until for u in up] == sorted(u.days_until for u in up)


def test_person_settings_hide_festivals_and_pick_feb29() -> None:
    a = Agenda(
        birthdays=[{"name": "小明", "date": {"month": 2, "day": 29, "year": 2000}}],
        hide={"chuxi", "chunjie"},
        feb29="mar1",
        timezone="Europe/Berlin",
    )
    items = a.between(date(2026, 2, 16), date(2026, 3, 1))
    assert [(i.day, i.title) for i in items if i.kind != "term"] == [(date(2026, 3, 1), "小明")]


def test_bad_records_are_refused_with_their_field() -> None:
    with pytest.raises(InvalidInput) as err:
        Agenda(birthdays=[{"name": "x", "date": {"month": 2, "day": 30}}])
    assert err.value.field == "birthdays.0.date.day"
    with pytest.raises(InvalidInput) as err:
        Agenda(events=[{"title": "", "start": "2026-01-01T09:00"}])
    assert err.value.field == "events.0.title"
    with pytest.raises(KeyError):
        Agenda(timezone="Mars/Olympus")


def test_day_placement_of_timed_events_at_the_edges() -> None:
    a = Agenda(
        events=[
            {"id": "to-midnight", "title": "到午夜", "start": "2026-02-18T20:00",
             "end": "2026-02-19T00:00"},
            {"id": "berlin", "title": "Berlin call", "start": "2026-02-18T20:00",
             "timezone": "Europe/Berlin"},
            {"id": "long", "title": "三天会议", "start": "2026-02-17T09:00",
             "end": "2026-02-20T17:00"},
        ]
    )  # fmt: skip
    by = {d.date.day: [i.id for i in d.items] for d in a.days(date(2026, 2, 18), date(2026, 2, 19))}
    # 到午夜 ends at 00:00 so it is not on the 19th; 20:00 in Berlin is 03:00 on the 19th in
    # Shanghai; the long meeting started before the range and covers both days.
    assert by == {18: ["long", "to-midnight"], 19: ["long", "berlin"]}
    [first] = [i for i in a.between(date(2026, 2, 18), date(2026, 2, 19)) if i.id == "long"]
    assert first.day == date(2026, 2, 18) and first.start == datetime(2026, 2, 17, 9, tzinfo=SH)


@settings(max_examples=60, deadline=None)
@given(
    st.booleans(),
    st.integers(1, 12),
    st.integers(1, 30),
    st.booleans(),
    st.one_of(st.none(), st.integers(1950, 2024)),
    st.dates(date(2024, 1, 1), date(2030, 12, 1)),
)
def test_agenda_birthdays_agree_with_occurrence_rules(
    is_lunar: bool, month: int, day: int, leap: bool, year: int | None, start: date
) -> None:
    """The agenda's fast birthday path gives the dates and ages of ``occurrence`` (R6)."""
    if is_lunar:
        spec = {"calendar": "lunar", "month": month, "day": day, "leap": leap}
    else:
        spec = {"calendar": "solar", "month": month, "day": min(day, 28)}
    if year is not None:
        spec["year"] = year
    try:
        parsed = DateSpec.model_validate(spec)
    except ValueError:
        return  # e.g. a leap month that birth year does not have
    end = start + timedelta(days=400)
    items = Agenda(birthdays=[{"name": "x", "date": spec}], hide=ALL).between(start, end)
    got = [(i.day, i.age, i.nominal_age) for i in items if i.kind == "birthday"]
    want = [
        (o.date, o.years, nominal_age(parsed, o.date) if o.years is not None else None)
        for o in occurrences(parsed, start, end)
    ]
    assert got == want
    for d, years, _ in got:
        assert age(parsed, d) == years


def test_ranges_are_bounded() -> None:
    a = person()
    with pytest.raises(InvalidInput) as err:
        a.days(date(2000, 1, 1), date(2026, 1, 1))
    assert (err.value.field, err.value.code) == ("to", "range_too_long")
    with pytest.raises(InvalidInput):
        a.between(date(9999, 12, 1), date(9999, 12, 31))
    with pytest.raises(InvalidInput) as err:
        a.upcoming(date(2026, 1, 1), days=-1)
    assert err.value.field == "days"
    assert a.days(date(2026, 1, 2), date(2026, 1, 1)) == []
    far = a.days(date(2100, 1, 1), date(2100, 1, 3))  # beyond the lunar range: no guesses
    assert [(d.lunar, d.terms, d.status.kind) for d in far] == [(None, (), "unknown")] * 3


def test_views_leave_the_garbage_collector_as_they_found_it() -> None:
    a = person()
    assert gc.isenabled()
    a.days(date(2026, 2, 1), date(2026, 2, 28))
    assert gc.isenabled()
    gc.disable()
    try:
        a.upcoming(date(2026, 2, 1))
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(InvalidInput):
        a.between(date(2000, 1, 1), date(2026, 1, 1))
    assert gc.isenabled()


def test_days_and_between_list_memos_due_in_the_persons_zone() -> None:
    """Issue 4 item 6: a memo due shows on its day, by due time, among the day's entries."""
    days = person().days(date(2026, 2, 20), date(2026, 2, 20))
    assert [(i.kind, i.title) for i in days[0].items] == [
        ("holiday", "结婚纪念日"),
        ("memo", "交报告"),
    ]
    assert days[0].items[1].moment == datetime(2026, 2, 20, 17, 0, tzinfo=SH)
    assert [i.kind for i in person().between(date(2026, 2, 20), date(2026, 2, 20))] == [
        "holiday",
        "memo",
    ]


def test_moves_given_as_iso_text_retime_the_occurrence() -> None:
    """Issue 4 item 5: a moved occurrence, as the API and the store hold it (ISO text)."""
    agenda = Agenda(
        events=[
            {"id": "e", "title": "周会", "start": "2026-02-02T09:00", "end": "2026-02-02T10:00",
             "rrule": "FREQ=WEEKLY;BYDAY=MO",
             "moves": [{"original": "2026-02-09T09:00", "start": "2026-02-10T14:00"}]},
        ]
    )  # fmt: skip
    found = agenda.between(date(2026, 2, 8), date(2026, 2, 11))
    starts = [i.start for i in found if i.kind == "event"]
    assert starts == [datetime(2026, 2, 10, 14, 0, tzinfo=SH)]
