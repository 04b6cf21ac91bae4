"""The address book's advanced search (R4; issue 6 §2): conditions combined with AND — name
or pinyin contains, phone, email, company, in a group, has a birthday — run on the local
store with the conditions it already has (``Client.list``: every word a term prefix; the
``group`` and ``has_birthday`` filters), then each text condition checked against its own
field with the same term rules (``almanac.model.search``), so ``company=华为`` does not find
someone whose *name* holds 华为. "Contains" means what the quick search means: a word of the
field starts with the typed word — for Chinese, any part of a name (三 finds 张三), its
pinyin (zhangsan, san) or initials (zs); for phones, the number or its last digits.

``search(store, criteria, limit)`` returns the matching contacts in the list's (pinyin) order,
at most ``limit``, and whether that is all. ``InvalidInput`` names a bad condition (nothing
given: ``conditions``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from almanac.errors import InvalidInput
from almanac.model.listing import storable
from almanac.model.search import TermBag, email_terms, phone_terms, query_terms
from almanac.store.local import Item, LocalStore

__all__ = ["ContactCriteria", "check", "matches", "search"]

TEXT_FIELDS = ("name", "phone", "email", "company")
PAGE = 500
MAX_TEXT = 200


@dataclass(frozen=True)
class ContactCriteria:
    """The conditions; empty text and ``None`` mean "any"."""

    name: str = ""
    phone: str = ""
    email: str = ""
    company: str = ""
    group: str | None = None
    has_birthday: bool | None = None

    def is_empty(self) -> bool:
        """No condition at all (text of blanks only counts as none)."""
        return not self.text() and not self.group and self.has_birthday is None

    def text(self) -> dict[str, str]:
        """The text conditions given, blanks trimmed."""
        return {name: getattr(self, name).strip() for name in TEXT_FIELDS if self._given(name)}

    def _given(self, name: str) -> bool:
        return bool(getattr(self, name).strip())


def _name_terms(content: dict[str, Any]) -> set[str]:
    bag = TermBag()
    bag.extend_text(str(content.get("name", "")), person=True)
    return bag.terms()


def _company_terms(content: dict[str, Any]) -> set[str]:
    bag = TermBag()
    bag.extend_text(str(content.get("company", "")), starts=16)
    return bag.terms()


def _value_terms(key: str, make: Callable[[str], tuple[str, ...]]) -> Callable[..., set[str]]:
    def terms(content: dict[str, Any]) -> set[str]:
        bag = TermBag()
        for entry in content.get(key) or []:
            if isinstance(entry, dict):
                bag.extend(make(str(entry.get("value", ""))))
        return bag.terms()

    return terms


FIELD_TERMS: dict[str, Callable[[dict[str, Any]], set[str]]] = {
    "name": _name_terms,
    "phone": _value_terms("phones", phone_terms),
    "email": _value_terms("emails", email_terms),
    "company": _company_terms,
}


def check(criteria: ContactCriteria) -> dict[str, list[str]]:
    """Each text condition's query prefixes; ``InvalidInput`` names a bad one."""
    if criteria.is_empty():
        raise InvalidInput.one("conditions", "give at least one condition", "required")
    wanted: dict[str, list[str]] = {}
    for name, text in criteria.text().items():
        if len(text) > MAX_TEXT:
            raise InvalidInput.one(
                name, f"{name} must be at most {MAX_TEXT} characters", "too_long"
            )
        if not storable(text):
            raise InvalidInput.one(
                name, f"{name} must not contain NUL characters", "control_character"
            )
        prefixes = query_terms(text)
        if prefixes:
            wanted[name] = prefixes
    return wanted


def matches(content: dict[str, Any], wanted: dict[str, list[str]]) -> bool:
    """True when every word of every text condition starts a term of its own field."""
    for name, prefixes in wanted.items():
        terms = FIELD_TERMS[name](content)
        if not all(any(term.startswith(p) for term in terms) for p in prefixes):
            return False
    return True


def search(
    store: LocalStore, criteria: ContactCriteria, limit: int = 1000
) -> tuple[list[Item], bool]:
    """The contacts meeting every condition (at most ``limit``) and whether that is all."""
    wanted = check(criteria)
    q = " ".join(p.removeprefix("t:") for prefixes in wanted.values() for p in prefixes)
    filters: dict[str, str] = {}
    if criteria.group:
        filters["group"] = criteria.group
    if criteria.has_birthday is not None:
        filters["has_birthday"] = "true" if criteria.has_birthday else "false"
    found: list[Item] = []
    after: str | None = None
    while True:
        page = store.list("contact", q or None, filters or None, PAGE, after)
        for item in page.items:
            if matches(item.content, wanted):
                if len(found) == limit:
                    return found, False
                found.append(item)
        after = page.next_after
        if after is None:
            return found, True
