"""The operations the server, the store and the apps call on a kind's content.

Validation raises ``InvalidInput`` (never pydantic's ``ValidationError``); ``apply_patch``
merges a PATCH over the current content and validates the result as a whole.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ValidationError

from almanac.errors import FieldProblem, InvalidInput
from almanac.model.common import TRUSTED
from almanac.model.event import Event
from almanac.model.registry import spec_of
from almanac.model.terms import references_of, sort_key_of, terms_of, unique_terms_of
from almanac.model.validation import invalid_input


@dataclass(frozen=True)
class Reference:
    """A link from a record's ``field`` to another record of ``kind`` with ``id``."""

    field: str
    kind: str
    id: UUID


def _not_an_object() -> InvalidInput:
    return InvalidInput(
        FieldProblem(field="", message="The content must be a JSON object.", code="invalid_type")
    )


def validate_content(kind: str, data: Mapping[str, Any]) -> BaseModel:
    """The validated content of a new record of ``kind``; ``InvalidInput`` naming each fault."""
    return _validate(kind, data, None)


def load_content(kind: str, data: Mapping[str, Any]) -> BaseModel:
    """Content read back from its stored JSON (``dump_content``'s output).

    Validated again, but without the costly checks that cannot change their verdict (email
    syntax, RRULE parsing): a list page loads a hundred records."""
    return _validate(kind, data, TRUSTED)


TRUSTED_FIELDS: Mapping[str, frozenset[str]] = {
    "contact": frozenset({"emails"}),
    "event": frozenset({"rrule", "start", "timezone", "all_day"}),
}
"""Per kind, the fields that the checks ``TRUSTED`` skips read (email syntax; the RRULE
against its start and zone). A check that consults ``is_trusted`` lists its fields here."""


def validate_changed(kind: str, data: Mapping[str, Any], stored: Mapping[str, Any]) -> BaseModel:
    """``validate_content`` of ``data``, which is ``stored`` (a record's stored content,
    validated when it was written) with some fields changed: the costly checks run only when
    a field they read changed — their verdict on the stored values was given then."""
    same = all(
        _same_json(data.get(name), stored.get(name)) for name in TRUSTED_FIELDS.get(kind, ())
    )
    return _validate(kind, data, TRUSTED if same else None)


def _same_json(a: object, b: object) -> bool:
    if a is b:
        return True
    dump = partial(json.dumps, sort_keys=True, ensure_ascii=False, default=str)
    return type(a) is type(b) and dump(a) == dump(b)


def _validate(kind: str, data: Mapping[str, Any], context: dict[str, Any] | None) -> BaseModel:
    model = spec_of(kind).content
    if not isinstance(data, Mapping):
        raise _not_an_object()
    try:
        return model.model_validate(dict(data), context=context)
    except ValidationError as exc:
        raise invalid_input(exc) from None


def dump_content(content: BaseModel) -> dict[str, Any]:
    """The JSON-ready form of a content model (dates and times as ISO 8601, ids as text)."""
    return content.model_dump(mode="json")


def apply_patch(kind: str, current: BaseModel, patch: Mapping[str, Any]) -> BaseModel:
    """``current`` with the fields of ``patch`` replaced, validated as a whole.

    A key that is not a field is refused (``unknown_field``). ``null`` clears an optional
    field (to ``None`` or to its default: ``""``, ``[]``, ``false``); ``null`` on a required
    field is refused (``required``). Nested values (a ``DateSpec``, the phone list) are
    replaced whole. An event whose end equals its start keeps end = start when only the start
    moves."""
    model = spec_of(kind).content
    if not isinstance(patch, Mapping):
        raise _not_an_object()
    _check_type(kind, current)
    fields = model.model_fields
    problems: list[FieldProblem] = []
    merged = current.model_dump()
    for key, value in patch.items():
        info = fields.get(key) if isinstance(key, str) else None
        if info is None:
            problems.append(
                FieldProblem(str(key), f"{key} is not a field of a {kind}.", "unknown_field")
            )
        elif value is not None:
            merged[key] = value
        elif info.is_required():
            problems.append(FieldProblem(key, f"{key} is required and cannot be null.", "required"))
        else:
            merged[key] = info.get_default(call_default_factory=True)
    if problems:
        raise InvalidInput(problems)
    if isinstance(current, Event) and "end" not in patch and current.end == current.start:
        merged["end"] = None
    return validate_content(kind, merged)


def _check_type(kind: str, content: BaseModel) -> None:
    expected = spec_of(kind).content
    if not isinstance(content, expected):
        raise TypeError(f"a {kind} needs {expected.__name__} content, not {type(content).__name__}")


def sort_key(kind: str, content: BaseModel) -> str:
    """The record's list-order key (at most 191 characters, compare by code point)."""
    _check_type(kind, content)
    return sort_key_of(content)


def index_terms(kind: str, content: BaseModel) -> set[str]:
    """Text terms (``t:…``, at most 200) and facet terms; each at most 128 characters.

    A new set each call: the caller may add to it."""
    _check_type(kind, content)
    return terms_of(content)


def unique_terms(kind: str, content: BaseModel) -> dict[str, str]:
    """Terms that must be unique among one owner's live records of ``kind`` → their field."""
    _check_type(kind, content)
    return unique_terms_of(content)


def references(kind: str, content: BaseModel) -> list[Reference]:
    """The other records the content points at (the server checks that they exist)."""
    _check_type(kind, content)
    return [
        Reference(field, ref_kind, ref_id) for field, ref_kind, ref_id in references_of(content)
    ]
