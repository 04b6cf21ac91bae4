"""``almanac.model``: the record model of the six kinds (R4 address book, R5 memos, R6
birthdays and holidays, R7/R9 events) — pure, no I/O, part of the core.

It owns the *content* of records (what the person typed), their validation into
``InvalidInput`` errors with dotted field paths, solar and Chinese lunar dates (``DateSpec``),
the pinyin-aware search terms and sort keys the server indexes, and the PATCH merge. The
envelope (id, kind, version, times, tombstone) belongs to the server and the stores.

It imports only the standard library, pydantic, email-validator, lunar-python, pypinyin,
python-dateutil and ``almanac.errors`` — never a face (FastAPI, Typer, Qt, SQLAlchemy).

Modules: ``common`` (base config, text types), ``dates``, ``group``, ``contact``, ``memo``,
``birthday``, ``holiday``, ``event`` (one per kind), ``reminders``,
``registry`` (``KINDS``), ``filters``,
``search`` and ``surnames`` (terms, pinyin), ``terms`` (per-kind terms and keys),
``listing`` (search conditions, prefix ranges and cursors shared by both stores),
``validation`` (pydantic errors → ``InvalidInput``), ``records`` (the operations below).
"""

from almanac.model.birthday import Birthday
from almanac.model.contact import Contact, Email, Phone
from almanac.model.dates import DateSpec
from almanac.model.event import Event, EventMove
from almanac.model.filters import Filter
from almanac.model.group import Group
from almanac.model.holiday import Holiday
from almanac.model.memo import Memo
from almanac.model.records import (
    Reference,
    apply_patch,
    dump_content,
    index_terms,
    load_content,
    references,
    sort_key,
    unique_terms,
    validate_changed,
    validate_content,
)
from almanac.model.registry import KINDS, KindSpec, kind_for_plural
from almanac.model.reminders import Reminder
from almanac.model.search import query_terms

__all__ = [
    "KINDS",
    "Birthday",
    "Contact",
    "DateSpec",
    "Email",
    "Event",
    "EventMove",
    "Filter",
    "Group",
    "Holiday",
    "KindSpec",
    "Memo",
    "Phone",
    "Reference",
    "Reminder",
    "apply_patch",
    "dump_content",
    "index_terms",
    "kind_for_plural",
    "load_content",
    "query_terms",
    "references",
    "sort_key",
    "unique_terms",
    "validate_changed",
    "validate_content",
]
