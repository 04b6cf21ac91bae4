"""Turn pydantic's ``ValidationError`` into Almanac's ``InvalidInput``.

Each pydantic error becomes one ``FieldProblem``:

- ``field`` is the dotted path of the value at fault (``name``, ``phones.0.value``,
  ``date.day``, ``groups.1``). A model-level check names its field in ``ctx["field"]``,
  relative to the model; it is appended to the model's own path. The empty path means the
  input as a whole (e.g. not a JSON object).
- ``message`` is an English sentence: the path, then the reason ("name must not be empty.").
- ``code`` is stable: ``required``, ``unknown_field``, ``empty``, ``too_long``,
  ``invalid_type``, ``out_of_range``, ``not_a_choice``, or the model's own codes
  (``no_such_day``, ``not_a_phone_number``, ``not_an_email``, ``bad_rrule``…).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from almanac.errors import FieldProblem, InvalidInput

_TYPE_PHRASES: dict[str, tuple[str, str]] = {
    "missing": ("required", "is required"),
    "extra_forbidden": ("unknown_field", "is not a known field"),
    "string_type": ("invalid_type", "must be a string"),
    "list_type": ("invalid_type", "must be a list"),
    "bool_type": ("invalid_type", "must be true or false"),
    "bool_parsing": ("invalid_type", "must be true or false"),
    "int_type": ("invalid_type", "must be a whole number"),
    "int_parsing": ("invalid_type", "must be a whole number"),
    "int_from_float": ("invalid_type", "must be a whole number"),
    "uuid_type": ("invalid_type", "must be a UUID"),
    "uuid_parsing": ("invalid_type", "must be a UUID"),
    "uuid_version": ("invalid_type", "must be a UUID"),
    "model_type": ("invalid_type", "must be an object"),
    "model_attributes_type": ("invalid_type", "must be an object"),
    "dict_type": ("invalid_type", "must be an object"),
    "string_unicode": ("invalid_type", "must be valid Unicode text"),
}
_DATETIME_PHRASE = "must be an ISO 8601 date-time such as 2026-05-01T09:30:00+08:00"
_DATE_PHRASE = "must be an ISO 8601 date such as 2026-05-01"


def error_path(loc: tuple[int | str, ...], ctx: Mapping[str, Any] | None) -> str:
    """The dotted path of one pydantic error, including a model check's ``ctx["field"]``."""
    parts = [str(part) for part in loc]
    if ctx and isinstance(ctx.get("field"), str):
        parts.extend(str(ctx["field"]).split("."))
    return ".".join(parts)


def _phrase(error: ErrorDetails) -> tuple[str, str]:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in _TYPE_PHRASES:
        return _TYPE_PHRASES[kind]
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return "empty", "must not be empty"
        return "too_short", f"is too short: at least {ctx.get('min_length')} characters"
    if kind == "string_too_long":
        return "too_long", f"is too long: at most {ctx.get('max_length')} characters"
    if kind == "too_long":
        return "too_long", f"has too many items: at most {ctx.get('max_length')}"
    if kind in ("greater_than_equal", "greater_than"):
        return "out_of_range", f"must be at least {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return "out_of_range", f"must be at most {ctx.get('le', ctx.get('lt'))}"
    if kind == "literal_error":
        return "not_a_choice", f"must be one of {ctx.get('expected')}"
    if kind.startswith("datetime_"):
        return "invalid_type", _DATETIME_PHRASE
    if kind.startswith("date_"):
        return "invalid_type", _DATE_PHRASE
    if kind in ("value_error", "assertion_error"):
        return "invalid", f"is invalid: {error['msg']}"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return "invalid_type", f"is invalid: {error['msg']}"
    # Our own PydanticCustomError: the message is already a phrase after the field name.
    return kind, error["msg"]


def _sentence(path: str, phrase: str) -> str:
    if not path:
        return phrase[:1].upper() + phrase[1:] + "."
    return f"{path} {phrase}."


def problems_from(exc: ValidationError, prefix: str = "") -> list[FieldProblem]:
    """One ``FieldProblem`` per pydantic error; ``prefix`` is prepended to every path."""
    problems: list[FieldProblem] = []
    for error in exc.errors(include_url=False, include_input=False):
        path = error_path(error["loc"], error.get("ctx"))
        if prefix:
            path = f"{prefix}.{path}" if path else prefix
        code, phrase = _phrase(error)
        if not path and code == "invalid_type":
            phrase = "the content must be a JSON object"
        problems.append(FieldProblem(field=path, message=_sentence(path, phrase), code=code))
    return problems


def invalid_input(exc: ValidationError, prefix: str = "") -> InvalidInput:
    """The ``InvalidInput`` for a pydantic ``ValidationError``."""
    return InvalidInput(problems_from(exc, prefix))
