"""The event dialog's repeat choice ↔ RRULE (``desktop.event_repeat``; R7, R9), over many
starts, zones and choices: the rule it writes is one the model takes, reads back as the same
choice, and repeats as chosen — the last occurrence on or before the until day (that day
included for a daily event), exactly N occurrences for 共 N 次. Any other rule is left to the
read-only "other rule" view (``parse`` is None), never misread."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from almanac.calendar.recurrence import expand
from almanac.desktop.event_repeat import FREQS, Repeat, parse, rule_of
from almanac.model.event import Event, zone

ZONES = ("Asia/Shanghai", "Asia/Tokyo", "America/New_York", "Europe/Berlin", "UTC")
STARTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2060, 12, 31))
PERIOD = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}


@st.composite
def choices(draw: st.DrawFn) -> tuple[Repeat, datetime, bool, bool, str]:
    start = draw(STARTS).replace(second=0, microsecond=0)
    freq = draw(st.sampled_from(FREQS))
    ends = draw(st.sampled_from(("never", "until", "count")))
    until = start.date() + timedelta(days=draw(st.integers(0, 800))) if ends == "until" else None
    count = draw(st.integers(1, 12)) if ends == "count" else None
    all_day = draw(st.booleans())
    aware = not all_day and draw(st.booleans())
    return Repeat(freq, until, count), start, all_day, aware, draw(st.sampled_from(ZONES))


def _event(repeat: Repeat, start: datetime, all_day: bool, aware: bool, tz: str) -> Event:
    if all_day:
        value = start.date().isoformat()
    elif aware:
        value = start.replace(tzinfo=zone(tz)).isoformat()
    else:
        value = start.isoformat()
    rule = rule_of(repeat, all_day=all_day, aware_start=aware, tz=tz)
    return Event.model_validate(
        {"title": "例会", "start": value, "all_day": all_day, "timezone": tz, "rrule": rule}
    )


def _days(event: Event, first: date, last: date) -> list[date]:
    found = expand(event, first, last, tz=event.timezone)
    return [o.start.date() if isinstance(o.start, datetime) else o.start for o in found]


@settings(max_examples=150, deadline=None)
@given(choices())
def test_a_choice_is_stored_read_back_and_repeats_as_chosen(
    choice: tuple[Repeat, datetime, bool, bool, str],
) -> None:
    repeat, start, all_day, aware, tz = choice
    assume(not (repeat.freq == "YEARLY" and (start.month, start.day) == (2, 29)))
    event = _event(repeat, start, all_day, aware, tz)  # the model takes it
    assert parse(event.rrule, tz) == repeat
    first = start.date()
    if repeat.count is not None:
        span = timedelta(days=PERIOD[str(repeat.freq)] * (repeat.count + 1) * 2)
        assert len(_days(event, first, first + span)) == repeat.count
    elif repeat.until is not None:
        days = _days(event, first, repeat.until + timedelta(days=400))
        assert days and days[0] == first and max(days) <= repeat.until
        if repeat.freq == "DAILY":
            assert days[-1] == repeat.until
    else:  # 5 periods: a monthly 31st skips the shorter months (docs/calendar.md)
        assert len(_days(event, first, first + timedelta(days=PERIOD[str(repeat.freq)] * 5))) >= 3


def test_no_repeat_is_no_rule() -> None:
    assert rule_of(Repeat(), all_day=False, aware_start=False, tz="Asia/Shanghai") is None
    assert parse(None, "Asia/Shanghai") == Repeat() == parse("", "Asia/Shanghai")


PIECES = st.sampled_from(
    (
        "FREQ=DAILY",
        "FREQ=WEEKLY",
        "FREQ=MONTHLY",
        "FREQ=YEARLY",
        "FREQ=HOURLY",
        "INTERVAL=2",
        "INTERVAL=1",
        "COUNT=3",
        "COUNT=0",
        "COUNT=x",
        "UNTIL=20261230",
        "UNTIL=20261230T235959",
        "UNTIL=20261230T120000",
        "UNTIL=20261230T155959Z",
        "UNTIL=2026",
        "BYDAY=MO,WE",
        "BYMONTHDAY=-1",
        "WKST=SU",
        "FREQ",
        "",
    )
)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(PIECES, max_size=4), tz=st.sampled_from(ZONES))
def test_only_the_dialogs_own_rules_are_read_as_a_choice(pieces: list[str], tz: str) -> None:
    """A rule is a choice only when it says no more than the choice does; then writing the
    choice again reads back the same. Anything else (an interval, BYDAY, a second UNTIL, an
    UNTIL not at the day's end) is "other"."""
    rule = ";".join(pieces)
    found = parse(rule, tz)
    keys = [p.partition("=")[0] for p in pieces]
    plain = set(keys) <= {"FREQ", "UNTIL", "COUNT"} and len(keys) == len(set(keys))
    if found is None or not rule:  # "other" (or no rule at all: does not repeat)
        return
    assert plain and found.freq in FREQS
    for all_day, aware in ((True, False), (False, False), (False, True)):
        again = rule_of(found, all_day=all_day, aware_start=aware, tz=tz)
        assert parse(again, tz) == found


def test_an_until_in_utc_is_the_day_in_the_events_zone() -> None:
    """23:59:59 in Tokyo is 14:59:59 UTC: the same last day either way."""
    repeat = Repeat("WEEKLY", date(2026, 12, 30))
    rule = rule_of(repeat, all_day=False, aware_start=True, tz="Asia/Tokyo")
    assert rule == "FREQ=WEEKLY;UNTIL=20261230T145959Z"
    assert parse(rule, "Asia/Tokyo") == repeat
    assert parse(rule, "Asia/Shanghai") is None  # 22:59:59 there: not a whole last day
