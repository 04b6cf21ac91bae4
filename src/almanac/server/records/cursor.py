"""Opaque list cursors and prefix ranges.

A cursor is the URL-safe base64 (no padding) of the JSON ``[sort_key, id]`` of the last record
of a page; the next page starts strictly after it in ``(sort_key, id)`` order. Anything else
given as a cursor is ``InvalidInput`` on the field ``cursor``.

``prefix_end(p)`` is the smallest string greater than every string that starts with ``p``, so
``p <= term < prefix_end(p)`` is an index range scan for "starts with ``p``" on every database
(the term columns compare by code point).
"""

from __future__ import annotations

import base64
import binascii
import json
from uuid import UUID

from almanac.errors import InvalidInput

_MAX_CURSOR = 1024
_SURROGATES = range(0xD800, 0xE000)


def encode_cursor(sort_key: str, record_id: str) -> str:
    """The cursor that continues a listing after the record ``(sort_key, record_id)``."""
    raw = json.dumps([sort_key, record_id], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    """``(sort_key, id)`` of a cursor made by ``encode_cursor``; ``InvalidInput`` otherwise."""
    try:
        if len(cursor) > _MAX_CURSOR:
            raise ValueError("too long")
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
        value = json.loads(raw.decode("utf-8"))
        sort_key, record_id = value
        if not isinstance(sort_key, str) or not isinstance(record_id, str):
            raise ValueError("not two strings")
        if str(UUID(record_id)) != record_id:
            raise ValueError("not a canonical UUID")
        if not storable(sort_key):
            raise ValueError("not storable text")
    except (ValueError, TypeError, UnicodeError, binascii.Error):
        raise InvalidInput.one(
            "cursor",
            "cursor is not one this server gave out; start again from the first page.",
            "invalid_cursor",
        ) from None
    return sort_key, record_id


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
