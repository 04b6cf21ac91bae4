"""Validation of the six kinds (R4 groups and contacts, R5 memos, R6 birthdays and holidays,
R7/R9 events): strict, and every refusal names the field and the reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from almanac.errors import InvalidInput
from almanac.model import Contact, Event, Memo, validate_content

G1, G2 = str(uuid4()), str(uuid4())


# --- common text rules ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["group", "contact", "birthday", "holiday"])
@pytest.mark.parametrize("name", ["", "   ", "\u3000", "\t"])
def test_r4_r6_empty_or_blank_name_is_refused_naming_name(problems, kind, name) -> None:
    data: dict[str, object] = {"name": name}
    if kind in ("birthday", "holiday"):
        data["date"] = {"month": 1, "day": 1}
    assert problems(kind, data) == {"name": "empty"}


def test_messages_are_sentences_naming_field_and_reason() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_content("contact", {"name": ""})
    assert caught.value.field == "name"
    assert caught.value.message == "name must not be empty."


def test_names_are_stripped_and_chinese_names_are_normal() -> None:
    contact = validate_content("contact", {"name": "  欧阳娜娜 "})
    assert isinstance(contact, Contact)
    assert contact.name == "欧阳娜娜"


@pytest.mark.parametrize("name", ["张\n三", "张\x00三", "a\u2028b", "x\x1by"])
def test_control_characters_are_refused_in_single_line_text(problems, name) -> None:
    assert problems("contact", {"name": name}) == {"name": "control_character"}


def test_notes_may_span_lines_but_hold_no_other_control_character(problems) -> None:
    ok = validate_content("contact", {"name": "a", "notes": "line 1\nline 2\r\n\tindented"})
    assert isinstance(ok, Contact)
    assert ok.notes.count("\n") == 2
    assert problems("contact", {"name": "a", "notes": "bad\x00"}) == {"notes": "control_character"}


def test_lone_surrogates_are_refused(problems) -> None:
    assert set(problems("memo", {"title": "a\ud800b"})) == {"title"}
    assert set(problems("contact", {"name": "a", "notes": "\udfff"})) == {"notes"}


@pytest.mark.parametrize(
    ("kind", "field", "limit", "base"),
    [
        ("group", "name", 64, {}),
        ("contact", "name", 100, {}),
        ("contact", "company", 100, {"name": "a"}),
        ("contact", "title", 100, {"name": "a"}),
        ("contact", "address", 500, {"name": "a"}),
        ("contact", "notes", 10_000, {"name": "a"}),
        ("memo", "title", 200, {}),
        ("event", "title", 200, {"start": "2026-05-01T09:00"}),
    ],
)
def test_length_limits(problems, kind, field, limit, base) -> None:
    assert validate_content(kind, {**base, field: "字" * limit})
    assert problems(kind, {**base, field: "字" * (limit + 1)}) == {field: "too_long"}


def test_unknown_fields_are_refused(problems) -> None:
    assert problems("group", {"name": "家人", "colour": "red"}) == {"colour": "unknown_field"}


def test_content_must_be_an_object(problems) -> None:
    assert problems("group", ["name"]) == {"": "invalid_type"}  # type: ignore[arg-type]


# --- group, contact -----------------------------------------------------------------------


def test_contact_defaults_are_empty() -> None:
    contact = validate_content("contact", {"name": "张三"})
    assert contact.model_dump() == {
        "name": "张三",
        "phones": [],
        "emails": [],
        "address": "",
        "company": "",
        "title": "",
        "groups": [],
        "birthday": None,
        "notes": "",
    }


@pytest.mark.parametrize(
    "value",
    [
        "13800138000",
        "+86 138 0013 8000",
        "(010) 6552-9988",
        "010.6552.9988",
        "110",
        "１３８００１３８０００",
    ],
)
def test_phone_numbers_accepted(value) -> None:
    contact = validate_content("contact", {"name": "a", "phones": [{"value": value}]})
    assert isinstance(contact, Contact)
    assert contact.phones[0].label == "mobile"
    assert contact.phones[0].value.replace(" ", "")[:1] in "+(0123456789"


@pytest.mark.parametrize(
    "value", ["", "abc", "12", "+", "138-0013-800a", "1" * 21, "++86 138", "138 0013 8000 ext 5"]
)
def test_r4_bad_phone_is_refused_naming_phones_0_value(problems, value) -> None:
    assert problems("contact", {"name": "a", "phones": [{"value": value}]}) == {
        "phones.0.value": "not_a_phone_number"
    }


def test_bad_phone_message_says_not_a_phone_number() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_content("contact", {"name": "a", "phones": [{"value": "call me"}]})
    assert caught.value.message.startswith("phones.0.value is not a phone number")


def test_phone_label_limit(problems) -> None:
    phones = [{"label": "办公室", "value": "110"}, {"label": "x" * 21, "value": "110"}]
    assert problems("contact", {"name": "a", "phones": phones}) == {"phones.1.label": "too_long"}


@pytest.mark.parametrize("value", ["zhang", "a@", "@b.com", "a b@c.com", "a@b@c.com", "a@b..com"])
def test_r4_bad_email_is_refused_naming_emails_0_value(problems, value) -> None:
    assert problems("contact", {"name": "a", "emails": [{"value": value}]}) == {
        "emails.0.value": "not_an_email"
    }


def test_email_is_kept_as_typed() -> None:
    contact = validate_content("contact", {"name": "a", "emails": [{"value": "Zhang.San@QQ.com"}]})
    assert isinstance(contact, Contact)
    assert contact.emails[0].value == "Zhang.San@QQ.com"


def test_duplicate_group_is_refused_naming_its_index(problems) -> None:
    assert problems("contact", {"name": "a", "groups": [G1, G2, G1]}) == {
        "groups.2": "duplicate_group"
    }
    assert problems("contact", {"name": "a", "groups": [G1, "not-a-uuid"]}) == {
        "groups.1": "invalid_type"
    }


def test_contact_birthday_is_a_datespec(problems) -> None:
    contact = validate_content(
        "contact", {"name": "a", "birthday": {"calendar": "lunar", "month": 8, "day": 15}}
    )
    assert isinstance(contact, Contact) and contact.birthday is not None
    assert contact.birthday.calendar == "lunar"
    bad = {"name": "a", "birthday": {"year": 2023, "month": 2, "day": 29}}
    assert problems("contact", bad) == {"birthday.day": "no_such_day"}


def test_too_many_phones(problems) -> None:
    phones = [{"value": "110"}] * 51
    assert problems("contact", {"name": "a", "phones": phones}) == {"phones": "too_long"}


# --- memo --------------------------------------------------------------------------------


def test_memo_due_keeps_its_offset_or_floats() -> None:
    memo = validate_content("memo", {"title": "交房租", "due": "2026-06-01T09:00:00+08:00"})
    assert isinstance(memo, Memo) and memo.due is not None
    assert memo.due.utcoffset() == timedelta(hours=8)
    floating = validate_content("memo", {"title": "交房租", "due": "2026-06-01T09:00:00"})
    assert isinstance(floating, Memo) and floating.due is not None
    assert floating.due.tzinfo is None


def test_memo_defaults_and_type_errors(problems) -> None:
    memo = validate_content("memo", {"title": "t"})
    assert memo.model_dump() == {"title": "t", "body": "", "pinned": False, "due": None}
    assert problems("memo", {"title": "t", "pinned": "maybe"}) == {"pinned": "invalid_type"}
    assert problems("memo", {"title": "t", "due": "tomorrow"}) == {"due": "invalid_type"}
    assert problems("memo", {}) == {"title": "required"}


def test_memo_body_may_be_long() -> None:
    assert len(validate_content("memo", {"title": "t", "body": "长" * 1_000_000}).body) == 10**6


# --- birthday, holiday ---------------------------------------------------------------------


def test_birthday_year_is_optional_and_contact_link_too() -> None:
    birthday = validate_content(
        "birthday", {"name": "奶奶", "date": {"calendar": "lunar", "month": 9, "day": 9}}
    )
    assert birthday.model_dump()["contact_id"] is None


def test_one_off_holiday_needs_a_year(problems) -> None:
    data = {"name": "婚礼", "date": {"month": 10, "day": 1}, "yearly": False}
    assert problems("holiday", data) == {"date.year": "year_required"}
    data["date"] = {"month": 10, "day": 1, "year": 2026}
    assert validate_content("holiday", data).model_dump()["yearly"] is False


def test_yearly_lunar_holiday() -> None:
    spring = validate_content(
        "holiday", {"name": "春节", "date": {"calendar": "lunar", "month": 1, "day": 1}}
    )
    assert spring.model_dump()["yearly"] is True


# --- event ---------------------------------------------------------------------------------


def event(**data: object) -> Event:
    content = validate_content("event", {"title": "开会", **data})
    assert isinstance(content, Event)
    return content


def test_timed_event_end_defaults_to_start_and_wall_time_stays_naive() -> None:
    e = event(start="2026-05-01T09:30")
    assert e.start == e.end == datetime(2026, 5, 1, 9, 30)
    assert e.timezone == "Asia/Shanghai"


def test_all_day_event_takes_dates_end_inclusive() -> None:
    e = event(all_day=True, start="2026-10-01", end="2026-10-07")
    assert (e.start, e.end) == (date(2026, 10, 1), date(2026, 10, 7))
    assert event(all_day=True, start="2026-10-01").end == date(2026, 10, 1)


def test_event_end_before_start_is_refused_on_end(problems) -> None:
    data = {"title": "t", "start": "2026-05-01T10:00", "end": "2026-05-01T09:59"}
    assert problems("event", data) == {"end": "end_before_start"}
    data = {"title": "t", "all_day": True, "start": "2026-05-02", "end": "2026-05-01"}
    assert problems("event", data) == {"end": "end_before_start"}


def test_event_offsets_are_compared_as_moments(problems) -> None:
    # 09:00 in Shanghai is 01:00 UTC: an end at 02:00Z is after it.
    e = event(start="2026-05-01T09:00", end="2026-05-01T02:00:00Z")
    assert e.end == datetime(2026, 5, 1, 2, 0, tzinfo=UTC)
    data = {"title": "t", "start": "2026-05-01T09:00", "end": "2026-05-01T00:30:00Z"}
    assert problems("event", data) == {"end": "end_before_start"}


def test_event_start_kind_must_match_all_day(problems) -> None:
    assert problems("event", {"title": "t", "start": "2026-05-01"}) == {"start": "needs_datetime"}
    data = {"title": "t", "all_day": True, "start": "2026-05-01T09:00"}
    assert problems("event", data) == {"start": "needs_date"}
    assert problems("event", {"title": "t", "start": "soon"}) == {"start": "not_a_date_or_time"}
    assert problems("event", {"title": "t"}) == {"start": "required"}


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "", "Asia/Shanghai/x"])
def test_event_timezone_must_be_iana(problems, zone) -> None:
    data = {"title": "t", "start": "2026-05-01T09:00", "timezone": zone}
    assert problems("event", data) == {"timezone": "unknown_timezone"}


def test_event_timezone_valid() -> None:
    assert event(start="2026-05-01T09:00", timezone="Europe/Berlin").timezone == "Europe/Berlin"


def test_rrule_prefix_is_dropped_and_value_normalised() -> None:
    e = event(start="2026-05-04T09:00", rrule="RRULE:freq=weekly;byday=MO")
    assert e.rrule == "FREQ=WEEKLY;BYDAY=MO"
    assert event(start="2026-05-04T09:00", rrule="  ").rrule is None


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SOMETIMES",
        "BYDAY=MO",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=DAILY;COUNT=x",
        "DTSTART:20260101T000000\nRRULE:FREQ=DAILY",
        "FREQ=DAILY;UNTIL=nope",
    ],
)
def test_bad_rrule_is_refused_on_rrule(problems, rule) -> None:
    data = {"title": "t", "start": "2026-05-04T09:00", "rrule": rule}
    assert set(problems("event", data)) == {"rrule"}


def test_rrule_until_must_be_utc_when_start_has_an_offset(problems) -> None:
    data = {
        "title": "t",
        "start": "2026-05-04T09:00+08:00",
        "rrule": "FREQ=DAILY;UNTIL=20260601T000000",
    }
    assert problems("event", data) == {"rrule": "bad_rrule"}
    data["rrule"] = "FREQ=DAILY;UNTIL=20260601T000000Z"
    assert validate_content("event", data)
