"""The server's list cursors: ``almanac.model.listing``'s keyset cursors, refused on the
field ``cursor`` (the API's query parameter). ``prefix_end`` and ``storable`` live there too,
shared with the local store."""

from __future__ import annotations

from almanac.model.listing import decode_cursor as _decode
from almanac.model.listing import encode_cursor, prefix_end, storable

__all__ = ["decode_cursor", "encode_cursor", "prefix_end", "storable"]


def decode_cursor(cursor: str) -> tuple[str, str]:
    """``(sort_key, id)`` of a cursor made by ``encode_cursor``; ``InvalidInput`` otherwise."""
    return _decode(
        cursor, "cursor", "cursor is not one this server gave out; start again from the first page."
    )
