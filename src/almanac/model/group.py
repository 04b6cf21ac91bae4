"""The *group* kind (R4): a named set of contacts. The name is unique per person; that is
checked by the server against ``unique_terms`` (case-insensitive, NFKC)."""

from __future__ import annotations

from almanac.model.common import Content, Name64


class Group(Content):
    """A contact group, e.g. 家人, 同事."""

    name: Name64
