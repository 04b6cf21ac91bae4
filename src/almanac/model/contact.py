"""The *contact* kind (R4): a person in the address book.

- ``phones``: labelled numbers. A number is digits with an optional leading ``+`` and any of
  space, dash, dot and parentheses between them, 3–20 digits in all; full-width characters
  (１３８…) are folded to ASCII first. It is stored in that folded form.
- ``emails``: labelled addresses, checked by email-validator (no DNS look-up). A plain address
  is kept as typed; matching and search compare it lower-case.
- ``groups``: group ids, no duplicates. Whether they exist is the server's check (see
  ``references``).
- ``birthday``: an optional ``DateSpec`` (solar or lunar).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, Field, ValidationInfo, field_validator
from pydantic.networks import validate_email
from pydantic_core import PydanticCustomError

from almanac.model.common import (
    Address,
    Content,
    Label20,
    Line100,
    Name100,
    Notes,
    check_single_line,
    field_error,
    is_trusted,
)
from almanac.model.dates import DateSpec

MAX_PHONES = 50
MAX_EMAILS = 50
MAX_GROUPS = 50

_PHONE_RE = re.compile(r"\+?[0-9 ().\-]+")
_PHONE_HELP = (
    "is not a phone number: use digits with an optional leading +, and spaces, dashes, "
    "dots or parentheses between them (3 to 20 digits)"
)


def _phone(value: str) -> str:
    folded = unicodedata.normalize("NFKC", value).strip()
    digits = sum(ch.isascii() and ch.isdigit() for ch in folded)
    if len(folded) > 40 or not _PHONE_RE.fullmatch(folded) or not 3 <= digits <= 20:
        raise PydanticCustomError("not_a_phone_number", _PHONE_HELP)
    return folded


def _email(value: str, info: ValidationInfo) -> str:
    if is_trusted(info):  # read back from storage: checked when it was written
        return value
    check_single_line(value)
    try:
        _, normalized = validate_email(value)
    except PydanticCustomError as exc:
        raise PydanticCustomError(
            "not_an_email", "is not an email address: {reason}", {"reason": _reason(exc)}
        ) from None
    return value if value.casefold() == normalized.casefold() else normalized


def _reason(exc: PydanticCustomError) -> str:
    reason = str((exc.context or {}).get("reason") or exc.message())
    reason = reason.rstrip(".")
    return reason[:1].lower() + reason[1:]


PhoneNumber = Annotated[str, AfterValidator(_phone), Field(examples=["+86 138 0013 8000"])]
EmailAddress = Annotated[
    str, AfterValidator(_email), Field(json_schema_extra={"format": "email"}, max_length=320)
]


class Phone(Content):
    """One labelled phone number."""

    label: Label20 = "mobile"
    value: PhoneNumber


class Email(Content):
    """One labelled email address."""

    label: Label20 = "home"
    value: EmailAddress


class Contact(Content):
    """A contact (联系人)."""

    name: Name100
    phones: list[Phone] = Field(default_factory=list, max_length=MAX_PHONES)
    emails: list[Email] = Field(default_factory=list, max_length=MAX_EMAILS)
    address: Address = ""
    company: Line100 = ""
    title: Line100 = ""
    groups: list[UUID] = Field(default_factory=list, max_length=MAX_GROUPS)
    birthday: DateSpec | None = None
    notes: Notes = ""

    @field_validator("groups")
    @classmethod
    def _no_duplicate_groups(cls, groups: list[UUID]) -> list[UUID]:
        seen: set[UUID] = set()
        for index, group in enumerate(groups):
            if group in seen:
                raise field_error(
                    str(index), "duplicate_group", "repeats group {group}", group=str(group)
                )
            seen.add(group)
        return groups
