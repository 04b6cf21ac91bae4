"""Shared base of every content model and the text types the kinds are built from.

Rules that hold for every kind:

- unknown keys are refused (``extra="forbid"``), so a typo never disappears silently;
- surrounding white space (Unicode, so also the ideographic space U+3000) is stripped;
- single-line text (names, labels, titles…) refuses control characters, line and paragraph
  separators; multi-line text (notes, a memo body) allows tab, CR and LF but no other control
  character; no text may hold a lone surrogate (it cannot be stored as UTF-8).

Custom errors are raised as ``PydanticCustomError`` whose message is a phrase that follows the
field name ("must not contain control characters"); ``almanac.model.validation`` turns them
into ``InvalidInput`` sentences. A model-level check names its field with ``ctx["field"]``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError


class Content(BaseModel):
    """Base of the six content models (the record's content, without the envelope)."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
    )


TRUSTED: dict[str, Any] = {"trusted": True}
"""Validation context for content read back from storage: the costly checks that cannot
change their verdict (email syntax, RRULE parsing) are skipped."""


def is_trusted(info: ValidationInfo) -> bool:
    """True when validating stored content (``context=TRUSTED``). A check skipped then lists
    the fields it reads in ``almanac.model.records.TRUSTED_FIELDS``."""
    return bool(info.context and info.context.get("trusted"))


def field_error(field: str, code: str, phrase: str, **ctx: Any) -> PydanticCustomError:
    """An error from a model-level check that belongs to ``field`` (relative to the model)."""
    return PydanticCustomError(code, phrase, {"field": field, **ctx})


# Cc is exactly U+0000-001F and U+007F-009F; Cs is U+D800-DFFF; Zl, Zp are U+2028, U+2029.
_SINGLE_LINE_BAD = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MULTI_LINE_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _bad_char(text: str, multiline: bool) -> str | None:
    if _SURROGATE.search(text):
        return "must not contain unpaired surrogate characters"
    if multiline:
        return "must not contain control characters" if _MULTI_LINE_BAD.search(text) else None
    if _SINGLE_LINE_BAD.search(text):
        return "must be a single line without control characters"
    return None


def _single_line(text: str) -> str:
    problem = _bad_char(text, multiline=False)
    if problem is not None:
        raise PydanticCustomError("control_character", problem)
    return text


def _multi_line(text: str) -> str:
    problem = _bad_char(text, multiline=True)
    if problem is not None:
        raise PydanticCustomError("control_character", problem)
    return text


def check_single_line(text: str) -> str:
    """Public form of the single-line check, for validators that build their own strings."""
    return _single_line(text)


# Required single-line text of 1..N characters (after stripping).
Name64 = Annotated[
    str, StringConstraints(min_length=1, max_length=64), AfterValidator(_single_line)
]
Name100 = Annotated[
    str, StringConstraints(min_length=1, max_length=100), AfterValidator(_single_line)
]
Title200 = Annotated[
    str, StringConstraints(min_length=1, max_length=200), AfterValidator(_single_line)
]

# Optional single-line text (may be empty) of at most N characters.
Label20 = Annotated[str, StringConstraints(max_length=20), AfterValidator(_single_line)]
Line100 = Annotated[str, StringConstraints(max_length=100), AfterValidator(_single_line)]
Line500 = Annotated[str, StringConstraints(max_length=500), AfterValidator(_single_line)]

# Multi-line text.
Address = Annotated[str, StringConstraints(max_length=500), AfterValidator(_multi_line)]
Notes = Annotated[str, StringConstraints(max_length=10_000), AfterValidator(_multi_line)]
Body = Annotated[str, StringConstraints(max_length=1_000_000), AfterValidator(_multi_line)]


# A date-time with or without an offset: without one it is wall time ("floating", or in the
# record's time zone). JSON Schema's ``format: date-time`` demands an offset, so the schema
# says what is really accepted and returned.
LOCAL_OR_AWARE_PATTERN = (
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:\d{2}(:\d{2})?)?$"
)
WallDateTime = Annotated[
    datetime,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": LOCAL_OR_AWARE_PATTERN,
            "description": "ISO 8601 date-time; without an offset it is wall time",
        }
    ),
]
