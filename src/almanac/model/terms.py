"""Per kind: the index terms, sort key, unique terms and references of a record's content.

Index terms are text terms (``t:…``, see ``almanac.model.search``) plus exact *facet* terms the
list filters use:

==================  ==========================================================
``g:<group uuid>``  contact is in that group (one per group)
``f:has_birthday``  contact has a birthday
``f:pinned``        memo is pinned
``f:has_due``       memo has a due time
``f:lunar``         birthday/holiday date is lunar (absent: solar)
``c:<contact id>``  birthday is linked to that contact
``f:yearly``        holiday repeats every year
``f:all_day``       event is all-day
``f:recurring``     event has an RRULE
==================  ==========================================================

What is searched (``q=``), in priority order within the cap of 200 text terms:
group name; contact name (surname-aware), phones, emails, company, title (not address or
notes); memo title; birthday name (surname-aware); holiday name; event title and location.

Which fields feed them (``TERM_FIELDS``, also ``KindSpec.term_fields``): an update that
changes none of them (a memo's body, any notes, reminders, an event's end…) leaves the terms,
the sort key, the unique terms and the references as they were; one that changes none of
``SORT_FIELDS`` (a contact's title, phones…) leaves the sort key as it was.

Sort keys (at most 191 characters, compared by code point): groups, contacts and birthdays by
name in pinyin order (``sort_text``); memos pinned first, then by title; holidays by month and
day (a leap month right after its month), then name; events by start in UTC, then title.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from almanac.model.birthday import Birthday
from almanac.model.contact import Contact
from almanac.model.event import Event, as_aware
from almanac.model.group import Group
from almanac.model.holiday import Holiday
from almanac.model.memo import Memo
from almanac.model.search import (
    MAX_SORT_KEY,
    MAX_TERM,
    TermBag,
    email_terms,
    fold,
    sort_text,
)

UNIQUE = "u:"


def _group_terms(group: Group) -> set[str]:
    bag = TermBag()
    bag.extend_text(group.name)
    return bag.terms()


def _contact_terms(contact: Contact) -> set[str]:
    bag = TermBag()
    bag.extend_text(contact.name, person=True)
    phones, emails = contact.phones, contact.emails
    for phone in phones[:3]:
        bag.extend_phone(phone.value)
    for email in emails[:3]:
        bag.extend(email_terms(email.value))
    bag.extend_text(contact.company, starts=16)
    bag.extend_text(contact.title, starts=16)
    for phone in phones[3:]:
        bag.extend_phone(phone.value)
    for email in emails[3:]:
        bag.extend(email_terms(email.value))
    terms = bag.terms()
    terms.update([f"g:{group}" for group in contact.groups])
    if contact.birthday is not None:
        terms.add("f:has_birthday")
    return terms


def _memo_terms(memo: Memo) -> set[str]:
    bag = TermBag()
    bag.extend_text(memo.title, starts=64)
    terms = bag.terms()
    if memo.pinned:
        terms.add("f:pinned")
    if memo.due is not None:
        terms.add("f:has_due")
    return terms


def _birthday_terms(birthday: Birthday) -> set[str]:
    bag = TermBag()
    bag.extend_text(birthday.name, person=True)
    terms = bag.terms()
    if birthday.date.calendar == "lunar":
        terms.add("f:lunar")
    if birthday.contact_id is not None:
        terms.add(f"c:{birthday.contact_id}")
    return terms


def _holiday_terms(holiday: Holiday) -> set[str]:
    bag = TermBag()
    bag.extend_text(holiday.name, starts=32)
    terms = bag.terms()
    if holiday.date.calendar == "lunar":
        terms.add("f:lunar")
    if holiday.yearly:
        terms.add("f:yearly")
    return terms


def _event_terms(event: Event) -> set[str]:
    bag = TermBag()
    bag.extend_text(event.title, starts=64)
    bag.extend_text(event.location, starts=16)
    terms = bag.terms()
    if event.all_day:
        terms.add("f:all_day")
    if event.rrule is not None:
        terms.add("f:recurring")
    return terms


def _event_key(event: Event) -> str:
    moment: datetime
    try:
        moment = as_aware(event.start, event.timezone).astimezone(UTC)
    except OverflowError:
        start = event.start
        moment = (
            start if isinstance(start, datetime) else datetime.combine(start, datetime.min.time())
        )
    stamp = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )
    return f"{stamp} {sort_text(event.title)}"


def _holiday_key(holiday: Holiday) -> str:
    spec = holiday.date
    return f"{spec.month:02d}{'b' if spec.leap else 'a'}{spec.day:02d} {sort_text(holiday.name)}"


_TERMS: dict[type[BaseModel], Callable[..., set[str]]] = {
    Group: _group_terms,
    Contact: _contact_terms,
    Memo: _memo_terms,
    Birthday: _birthday_terms,
    Holiday: _holiday_terms,
    Event: _event_terms,
}

_SORT: dict[type[BaseModel], Callable[..., str]] = {
    Group: lambda g: sort_text(g.name),
    Contact: lambda c: sort_text(c.name, person=True),
    Memo: lambda m: ("0 " if m.pinned else "1 ") + sort_text(m.title),
    Birthday: lambda b: sort_text(b.name, person=True),
    Holiday: _holiday_key,
    Event: _event_key,
}


def terms_of(content: BaseModel) -> set[str]:
    """The index terms of any content model: a new set, the caller's to change."""
    return _TERMS[type(content)](content)


def sort_key_of(content: BaseModel) -> str:
    """The list-order key of any content model (at most 191 characters)."""
    return _SORT[type(content)](content)[:MAX_SORT_KEY].rstrip()


def unique_terms_of(content: BaseModel) -> dict[str, str]:
    """Terms no other live record of the same kind and owner may have, mapped to the field."""
    if isinstance(content, Group):
        return {(UNIQUE + fold(content.name))[:MAX_TERM].rstrip(): "name"}
    return {}


def references_of(content: BaseModel) -> list[tuple[str, str, UUID]]:
    """(field, kind, id) of every other record this content points at."""
    if isinstance(content, Contact):
        return [(f"groups.{i}", "group", group) for i, group in enumerate(content.groups)]
    if isinstance(content, Birthday) and content.contact_id is not None:
        return [("contact_id", "contact", content.contact_id)]
    return []


TERM_FIELDS: dict[type[BaseModel], frozenset[str]] = {
    Group: frozenset({"name"}),
    Contact: frozenset({"name", "phones", "emails", "company", "title", "groups", "birthday"}),
    Memo: frozenset({"title", "pinned", "due"}),
    Birthday: frozenset({"name", "contact_id", "date"}),
    Holiday: frozenset({"name", "date", "yearly"}),
    Event: frozenset({"title", "location", "all_day", "rrule", "start", "timezone"}),
}
"""The content fields the terms, sort key, unique terms and references of each model read."""

SORT_FIELDS: dict[type[BaseModel], frozenset[str]] = {
    Group: frozenset({"name"}),
    Contact: frozenset({"name"}),
    Memo: frozenset({"title", "pinned"}),
    Birthday: frozenset({"name"}),
    Holiday: frozenset({"name", "date"}),
    Event: frozenset({"title", "start", "timezone"}),
}
"""The content fields the sort key of each model reads (a subset of ``TERM_FIELDS``): a
change of none of them keeps the stored sort key (a contact's new title: no pinyin of the
name again)."""


def sort_fields_changed(content: BaseModel, changed: list[str]) -> bool:
    """Whether any of ``changed`` (``term_fields_changed``) is a field the sort key reads."""
    return not SORT_FIELDS[type(content)].isdisjoint(changed)


def term_fields_changed(
    content: BaseModel, dumped: Mapping[str, Any], before: Mapping[str, Any]
) -> list[str]:
    """The term fields whose JSON (``dumped``: ``content``'s) differs from ``before`` (the
    stored JSON of an earlier version of the same record); a field missing from either counts
    as changed."""
    missing = object()
    return [
        name
        for name in sorted(TERM_FIELDS[type(content)])
        if dumped.get(name, missing) != before.get(name, missing) or name not in dumped
    ]
