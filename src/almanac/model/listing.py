"""What a listing asks for, shared by the server's record store and the local store, so that a
search finds the same records in both (R4; issue 3 §6 "same conditions as the server").

- ``conditions(kind, q, filters)``: each word of ``q`` (``query_terms``) is a term *prefix* a
  record must have; each list filter of the kind (``KINDS[kind].filters``) is an exact facet
  term it must have or lack. ``InvalidInput`` names a bad ``q`` or an unknown filter.
- ``prefix_end(p)``: the smallest string above every string that starts with ``p``, so
  ``p <= term < prefix_end(p)`` is an index range scan for "starts with ``p``" (terms compare
  by code point on every database, and in SQLite).
- ``encode_cursor`` / ``decode_cursor``: opaque keyset cursors — URL-safe base64 (no padding)
  of the JSON ``[sort_key, id]`` of a page's last record; the next page starts strictly after.
- ``storable(text)``: text every database (and SQLite) can take as a parameter.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from almanac.errors import InvalidInput
from almanac.model.registry import KINDS
from almanac.model.search import query_terms

__all__ = [
    "Condition",
    "conditions",
    "decode_cursor",
    "encode_cursor",
    "prefix_end",
    "storable",
]

_MAX_CURSOR = 1024
_SURROGATES = range(0xD800, 0xE000)


@dataclass(frozen=True)
class Condition:
    """Records must have (``must_have``) or lack a term in ``[low, high)``, or equal to
    ``low`` when ``high`` is None (an exact facet term)."""

    low: str
    high: str | None
    must_have: bool = True


def storable(text: str) -> bool:
    """False for text no database can take as a parameter: a NUL or a lone surrogate."""
    return "\x00" not in text and not any(0xD800 <= ord(ch) < 0xE000 for ch in text)


def prefix_end(prefix: str) -> str:
    """The smallest string above every string that starts with ``prefix`` (non-empty)."""
    chars = list(prefix)
    while chars:
        code = ord(chars.pop()) + 1
        if code in _SURROGATES:
            code = _SURROGATES.stop
        if code <= 0x10FFFF:
            return "".join(chars) + chr(code)
    raise ValueError("every string starts with the empty prefix: no upper bound")


def conditions(kind: str, q: str | None, filters: Mapping[str, str] | None) -> list[Condition]:
    """The conditions of a ``q`` text and list filters (``InvalidInput`` names a bad one)."""
    if q and not storable(q):
        raise InvalidInput.one(
            "q", "q must not contain NUL characters or lone surrogates.", "invalid_text"
        )
    found = [Condition(p, prefix_end(p)) for p in query_terms(q or "")]
    spec = KINDS[kind]
    for name, raw in (filters or {}).items():
        flt = spec.filters.get(name)
        if flt is None:
            known = ", ".join(sorted(spec.filters)) or "none"
            raise InvalidInput.one(
                name,
                f"{name} is not a filter of {spec.plural} (filters: {known}).",
                "unknown_filter",
            )
        term, must_have = flt.terms(raw)
        found.append(Condition(term, None, must_have))
    return found


def encode_cursor(sort_key: str, record_id: str) -> str:
    """The cursor that continues a listing after the record ``(sort_key, record_id)``."""
    raw = json.dumps([sort_key, record_id], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, field: str, message: str) -> tuple[str, str]:
    """``(sort_key, id)`` of a cursor made by ``encode_cursor``; otherwise ``InvalidInput`` on
    ``field`` with ``message``."""
    try:
        if len(cursor) > _MAX_CURSOR:
            raise ValueError("too long")
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
        sort_key, record_id = json.loads(raw.decode("utf-8"))
        if not isinstance(sort_key, str) or not isinstance(record_id, str):
            raise ValueError("not two strings")
        if str(UUID(record_id)) != record_id:
            raise ValueError("not a canonical UUID")
        if not storable(sort_key):
            raise ValueError("not storable text")
    except (ValueError, TypeError, UnicodeError, binascii.Error):
        raise InvalidInput.one(field, message, "invalid_cursor") from None
    return sort_key, record_id
