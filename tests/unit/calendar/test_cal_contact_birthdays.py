"""Birthdays typed on contacts in the agenda (R4, R6, R7): a yearly birthday item titled with
the contact's name and linking to the contact, never twice, without reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from almanac.calendar.agenda import AGENDA_FILTERS, AGENDA_KINDS, Agenda
from almanac.calendar.festivals import FESTIVALS
from almanac.calendar.reminders import due
from almanac.errors import InvalidInput
from almanac.model.contact import Contact
from almanac.model.dates import DateSpec

SH = ZoneInfo("Asia/Shanghai")
ALL = frozenset(f.id for f in FESTIVALS)
ZHANG = {"calendar": "lunar", "month": 8, "day": 15, "year": 1990}


def contact(cid: str, name: str, birthday: dict[str, Any] | None) -> dict[str, Any]:
    """A contact as the readers give it: its whole content plus ``id``."""
    phones = [{"label": "mobile", "value": "13800138000"}]
    return {"id": cid, "name": name, "phones": phones, "emails": [], "company": "",
            "groups": [], "birthday": birthday, "notes": ""}  # fmt: skip


def birthdays_of(agenda: Agenda, start: date, end: date) -> list[tuple[Any, ...]]:
    return [
        (i.day, i.title, i.id, i.source, i.age, i.nominal_age, i.lunar_date)
        for i in agenda.between(start, end)
        if i.kind == "birthday"
    ]


def test_readers_read_only_contacts_with_a_birthday() -> None:
    assert "contact" in AGENDA_KINDS
    assert AGENDA_FILTERS["contact"] == {"has_birthday": "true"}


def test_a_contacts_lunar_birthday_shows_in_every_view() -> None:
    """张伟, born 1990 八月十五: 中秋 2026 is 2026-09-25, he turns 36 (虚岁 37)."""
    a = Agenda(contacts=[contact("c-zw", "张伟", ZHANG), contact("c-no", "没生日", None)])
    got = birthdays_of(a, date(2026, 1, 1), date(2026, 12, 31))
    assert got == [(date(2026, 9, 25), "张伟", "c-zw", "contact", 36, 37, True)]
    (day,) = a.days(date(2026, 9, 25), date(2026, 9, 25))
    assert [(i.kind, i.title, i.source) for i in day.items] == [("birthday", "张伟", "contact")]
    (up,) = [u for u in a.upcoming(date(2026, 9, 20), 10) if u.item.kind == "birthday"]
    assert (up.item.id, up.days_until) == ("c-zw", 5)


def test_a_contact_model_is_accepted() -> None:
    c = Contact(name="王芳", birthday=DateSpec(month=2, day=29, year=2000))
    got = birthdays_of(Agenda(contacts=[c]), date(2026, 1, 1), date(2026, 12, 31))
    assert got == [(date(2026, 2, 28), "王芳", None, "contact", 26, 27, False)]


def test_a_linked_birthday_record_wins_even_with_another_date() -> None:
    """The birthday record is the explicit one: the contact is shown once, through it, on the
    record's date (with its reminders); an unlinked record of the same name does not hide."""
    records = [
        {"id": "b-1", "name": "张伟生日", "contact_id": "0b8e2f7a-6f1e-4d9b-9a57-1c2d3e4f5a6b",
         "date": {"month": 3, "day": 1}},
        {"id": "b-2", "name": "李娜", "date": {"month": 4, "day": 1}},
    ]  # fmt: skip
    people = [
        contact("0b8e2f7a-6f1e-4d9b-9a57-1c2d3e4f5a6b", "张伟", ZHANG),
        contact("5c1d0e9f-1111-4aaa-8bbb-222233334444", "李娜", {"month": 5, "day": 1}),
    ]
    got = birthdays_of(Agenda(birthdays=records, contacts=people), date(2026, 1, 1),
                       date(2026, 12, 31))  # fmt: skip
    assert [(d, t, s) for d, t, _, s, *_ in got] == [
        (date(2026, 3, 1), "张伟生日", None),
        (date(2026, 4, 1), "李娜", None),
        (date(2026, 5, 1), "李娜", "contact"),
    ]


def test_a_contacts_birthday_has_no_reminder() -> None:
    """Only 生日 records remind (by default the same day at 09:00): with 10,000 contacts a
    default reminder each would flood the person."""
    a = Agenda(
        birthdays=[{"id": "b-1", "name": "妈妈", "date": {"month": 9, "day": 25}}],
        contacts=[contact("c-zw", "张伟", ZHANG)],
    )
    fired = due(a, datetime(2026, 9, 25, 9, 30, tzinfo=SH), since=datetime(2026, 9, 24, tzinfo=SH))
    assert [d.item.title for d in fired] == ["妈妈"]
    assert a.reminder_candidates(date(2026, 9, 1), date(2026, 9, 30))[0].id == "b-1"


def test_a_bad_contact_birthday_names_its_field() -> None:
    bad = contact("c-1", "x", {"calendar": "lunar", "month": 13, "day": 1})
    with pytest.raises(InvalidInput) as err:
        Agenda(contacts=[contact("c-0", "ok", None), bad])
    assert err.value.field.startswith("contacts.1.birthday")


@settings(max_examples=60, deadline=None)
@given(
    st.booleans(),
    st.integers(1, 12),
    st.integers(1, 30),
    st.booleans(),
    st.one_of(st.none(), st.integers(1950, 2024)),
    st.dates(date(2024, 1, 1), date(2030, 12, 1)),
)
def test_a_contacts_birthday_falls_where_an_equal_record_does(
    is_lunar: bool, month: int, day: int, leap: bool, year: int | None, start: date
) -> None:
    """Same rules as a birthday record (闰月, day 30, 2/29, 周岁 and 虚岁): same days, same ages."""
    if is_lunar:
        spec: dict[str, Any] = {"calendar": "lunar", "month": month, "day": day, "leap": leap}
    else:
        spec = {"calendar": "solar", "month": month, "day": min(day, 29 if month == 2 else 30)}
    if year is not None:
        spec["year"] = year
    try:
        DateSpec.model_validate(spec)
    except ValueError:
        return  # e.g. a leap month that birth year does not have
    end = start + timedelta(days=800)
    by_record = Agenda(birthdays=[{"id": "b", "name": "x", "date": spec}], hide=ALL)
    by_contact = Agenda(contacts=[contact("c", "x", spec)], hide=ALL)
    want = [(d, t, age, n, lu) for d, t, _, _, age, n, lu in birthdays_of(by_record, start, end)]
    got = birthdays_of(by_contact, start, end)
    assert [(d, t, age, n, lu) for d, t, _, _, age, n, lu in got] == want
    assert {(i, s) for _, _, i, s, *_ in got} <= {("c", "contact")}
