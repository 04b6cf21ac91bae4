"""Events: RRULE recurrence, exceptions, all-day and timed, time zones (issue 4 item 5, R7, R9)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from almanac.calendar import recurrence
from almanac.calendar.recurrence import MAX_INSTANCES, Move, _compile, expand, instances
from almanac.errors import InvalidInput

SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")


def weekly_meeting(**extra: object) -> dict[str, object]:
    return {
        "title": "周会",
        "start": "2026-03-02T09:00",
        "end": "2026-03-02T10:00",
        "rrule": "FREQ=WEEKLY;BYDAY=MO",
        **extra,
    }


def test_single_timed_event_defaults_to_shanghai() -> None:
    ev = {"title": "看牙", "start": "2026-03-05T14:30", "end": "2026-03-05T15:00"}
    [occ] = expand(ev, date(2026, 3, 1), date(2026, 3, 31))
    assert occ.start == datetime(2026, 3, 5, 14, 30, tzinfo=SH)
    assert occ.recurrence_id is None and not occ.all_day
    assert expand(ev, date(2026, 3, 6), date(2026, 3, 31)) == []


def test_weekly_rule_with_count_and_exdate() -> None:
    ev = weekly_meeting(rrule="FREQ=WEEKLY;BYDAY=MO,WE;COUNT=5")
    starts = [o.start for o in expand(ev, date(2026, 3, 1), date(2026, 4, 30))]
    assert [s.day for s in starts] == [2, 4, 9, 11, 16]  # type: ignore[union-attr]
    cancelled = expand(
        ev, date(2026, 3, 1), date(2026, 4, 30), exdates=[datetime(2026, 3, 4, 9, 0)]
    )
    assert [o.start.day for o in cancelled] == [2, 9, 11, 16]
    by_day = expand(ev, date(2026, 3, 1), date(2026, 4, 30), exdates=[date(2026, 3, 9)])
    assert [o.start.day for o in by_day] == [2, 4, 11, 16]


def test_moved_occurrence() -> None:
    ev = weekly_meeting()
    moved = Move(datetime(2026, 3, 9, 9, 0), datetime(2026, 3, 10, 15, 0))
    found = expand(ev, date(2026, 3, 1), date(2026, 3, 15), moves=[moved])
    assert [(o.start, o.moved) for o in found] == [
        (datetime(2026, 3, 2, 9, 0, tzinfo=SH), False),
        (datetime(2026, 3, 10, 15, 0, tzinfo=SH), True),
    ]
    assert found[1].end == datetime(2026, 3, 10, 16, 0, tzinfo=SH)  # keeps the duration
    assert found[1].recurrence_id == datetime(2026, 3, 9, 9, 0, tzinfo=SH)
    # moved out of the range: the original is still gone
    away = Move(datetime(2026, 3, 9, 9, 0), datetime(2026, 4, 20, 9, 0))
    assert len(expand(ev, date(2026, 3, 1), date(2026, 3, 15), moves=[away])) == 1


def test_wall_time_is_kept_across_daylight_saving() -> None:
    ev = {
        "title": "standup",
        "start": "2026-03-02T09:00",
        "end": "2026-03-02T09:15",
        "timezone": "America/New_York",
        "rrule": "FREQ=WEEKLY",
    }
    found = expand(ev, date(2026, 3, 1), date(2026, 3, 20), tz="America/New_York")
    assert [o.start.hour for o in found] == [9, 9, 9]  # type: ignore[union-attr]
    assert [o.start.utcoffset() for o in found] == [  # type: ignore[union-attr]
        timedelta(hours=-5),
        timedelta(hours=-4),  # DST from 2026-03-08
        timedelta(hours=-4),
    ]


def test_viewer_zone_decides_the_day() -> None:
    ev = {"title": "call", "start": "2026-03-02T20:00", "timezone": "America/New_York"}
    # 20:00 in New York on 2 March is 09:00 on 3 March in Shanghai.
    [occ] = expand(ev, date(2026, 3, 3), date(2026, 3, 3))
    assert occ.first_day(SH) == date(2026, 3, 3)
    assert expand(ev, date(2026, 3, 2), date(2026, 3, 2)) == []
    assert len(expand(ev, date(2026, 3, 2), date(2026, 3, 2), tz="America/New_York")) == 1


def test_offset_start_and_utc_until() -> None:
    ev = {
        "title": "sync",
        "start": "2026-03-02T01:00:00+00:00",  # 09:00 in Shanghai
        "rrule": "FREQ=DAILY;UNTIL=20260304T010000Z",
    }
    found = expand(ev, date(2026, 3, 1), date(2026, 3, 31))
    assert [o.start for o in found] == [datetime(2026, 3, d, 9, 0, tzinfo=SH) for d in (2, 3, 4)]


def test_all_day_multi_day_and_monthly() -> None:
    ev = {
        "title": "出差",
        "all_day": True,
        "start": "2026-01-31",
        "end": "2026-02-01",
        "rrule": "FREQ=MONTHLY",
    }
    found = expand(ev, date(2026, 1, 1), date(2026, 5, 31))
    # the 31st is skipped in short months (RFC 5545, as dateutil)
    assert [(o.start, o.end) for o in found] == [
        (date(2026, 1, 31), date(2026, 2, 1)),
        (date(2026, 3, 31), date(2026, 4, 1)),
        (date(2026, 5, 31), date(2026, 6, 1)),
    ]
    assert all(o.all_day for o in found)
    # an occurrence that started before the range but overlaps it is included
    assert [o.start for o in expand(ev, date(2026, 4, 1), date(2026, 4, 30))] == [date(2026, 3, 31)]


def test_until_as_a_date_includes_that_day_for_all_day_events() -> None:
    ev = {
        "title": "x",
        "all_day": True,
        "start": "2026-03-01",
        "rrule": "FREQ=DAILY;UNTIL=20260303",
    }
    assert [o.start for o in expand(ev, date(2026, 3, 1), date(2026, 3, 31))] == [
        date(2026, 3, 1),
        date(2026, 3, 2),
        date(2026, 3, 3),
    ]


def test_rules_outside_the_fast_path_use_dateutil() -> None:
    ev = weekly_meeting(rrule="FREQ=MONTHLY;BYDAY=-1FR")  # last Friday of each month
    found = expand(ev, date(2026, 3, 1), date(2026, 5, 31))
    assert [o.start.day for o in found] == [27, 24, 29]
    assert _compile("FREQ=MONTHLY;BYDAY=-1FR", datetime(2026, 3, 2, 9), "Asia/Shanghai").fallback


def test_invalid_event_mapping() -> None:
    with pytest.raises(InvalidInput) as err:
        expand(
            {"title": "x", "start": "2026-03-02T09:00", "rrule": "FREQ=SOMETIMES"},
            date(2026, 3, 1),
            date(2026, 3, 2),
        )
    assert err.value.field == "rrule"


FAST_RULES = st.builds(
    lambda freq, interval, count, until, byday, wkst: ";".join(
        p
        for p in (
            f"FREQ={freq}",
            f"INTERVAL={interval}" if interval > 1 else "",
            f"COUNT={count}" if count else "",
            f"UNTIL={until:%Y%m%dT%H%M%S}" if until and not count else "",
            f"BYDAY={','.join(byday)}" if byday and freq == "WEEKLY" else "",
            f"WKST={wkst}" if wkst else "",
        )
        if p
    ),
    st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]),
    st.integers(1, 4),
    st.one_of(st.none(), st.integers(1, 40)),
    st.one_of(st.none(), st.datetimes(datetime(2020, 1, 1), datetime(2032, 1, 1))),
    st.lists(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), unique=True, max_size=4),
    st.one_of(st.none(), st.sampled_from(["MO", "SU", "WE"])),
)


@settings(max_examples=300, deadline=None)
@given(
    FAST_RULES,
    st.datetimes(datetime(2016, 1, 1), datetime(2028, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.dates(date(2015, 1, 1), date(2031, 1, 1)),
    st.integers(0, 500),
)
def test_fast_path_matches_dateutil(rule: str, dtstart: datetime, lo: date, span: int) -> None:
    """R7: the arithmetic expansion gives exactly dateutil's instants."""
    low = datetime.combine(lo, time())
    high = low + timedelta(days=span)
    expected = rrulestr(rule, dtstart=dtstart).between(low, high, inc=True)
    assert instances(rule, dtstart, low, high, "Asia/Shanghai") == expected


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["HOURLY", "MINUTELY"]),
    st.integers(1, 90),
    st.one_of(st.none(), st.integers(1, 300)),
    st.datetimes(datetime(2025, 1, 1), datetime(2026, 6, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.integers(-3 * 24 * 60, 3 * 24 * 60),
    st.integers(0, 2),
)
def test_sub_daily_fast_path_matches_dateutil(
    freq: str, interval: int, count: int | None, dtstart: datetime, shift: int, span: int
) -> None:
    rule = f"FREQ={freq};INTERVAL={interval}" + (f";COUNT={count}" if count else "")
    low = datetime.combine((dtstart + timedelta(minutes=shift)).date(), time())
    high = low + timedelta(days=span)
    expected = rrulestr(rule, dtstart=dtstart).between(low, high, inc=True)
    assert instances(rule, dtstart, low, high, "Asia/Shanghai") == expected[:MAX_INSTANCES]


def test_hostile_rules_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A FREQ=SECONDLY event over a year, or a dateutil-only rule far from its start, cannot
    hang the server: at most MAX_INSTANCES occurrences, at most MAX_SCAN instants generated."""
    ev = {"title": "spam", "start": "2026-01-01T00:00", "rrule": "FREQ=SECONDLY"}
    found = expand(ev, date(2026, 1, 1), date(2026, 12, 31))
    assert len(found) == MAX_INSTANCES
    assert found[0].start == datetime(2026, 1, 1, tzinfo=SH)
    monkeypatch.setattr(recurrence, "MAX_SCAN", 500)
    slow = {"title": "spam", "start": "2000-01-01T00:00", "rrule": "FREQ=SECONDLY;BYMINUTE=0"}
    assert expand(slow, date(2026, 1, 1), date(2026, 1, 2)) == []  # gave up after 500 instants
