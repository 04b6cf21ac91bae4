"""The six kinds: their URL names, content and PATCH models, list filters and labels.

``KINDS`` maps a kind (``"contact"``) to its ``KindSpec``; ``kind_for_plural("contacts")``
finds one by its URL segment. The ``update`` model (for the OpenAPI description of PATCH) has
every field of the content model, optional, defaulting to ``None``; ``apply_patch`` is what
really merges and validates a patch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import BaseModel, Field, create_model

from almanac.model.birthday import Birthday
from almanac.model.common import Content
from almanac.model.contact import Contact
from almanac.model.event import Event
from almanac.model.filters import Filter, calendar_filter, flag, link
from almanac.model.group import Group
from almanac.model.holiday import Holiday
from almanac.model.memo import Memo
from almanac.model.terms import TERM_FIELDS


@dataclass(frozen=True)
class KindSpec:
    """Everything the faces need to know about one kind of record."""

    kind: str
    plural: str
    content: type[BaseModel]
    update: type[BaseModel]
    filters: Mapping[str, Filter] = field(default_factory=dict)
    label_zh: str = ""
    label_en: str = ""
    term_fields: frozenset[str] = frozenset()
    """The content fields its terms and sort key read (``almanac.model.terms``)."""


def update_model(content: type[BaseModel]) -> type[BaseModel]:
    """The PATCH model of a content model: the same fields, all optional, no defaults."""
    fields: dict[str, Any] = {}
    for name, info in content.model_fields.items():
        annotation: Any = info.annotation
        if info.metadata:
            annotation = Annotated[annotation, *info.metadata]
        fields[name] = (annotation | None, Field(default=None, description=info.description))
    model: type[BaseModel] = create_model(
        f"{content.__name__}Update",
        __base__=Content,
        __doc__=f"A partial {content.__name__.lower()}: only the fields to change.",
        **fields,
    )
    return model


def _spec(
    kind: str,
    plural: str,
    content: type[BaseModel],
    label_zh: str,
    filters: tuple[Filter, ...] = (),
) -> KindSpec:
    return KindSpec(
        kind=kind,
        plural=plural,
        content=content,
        update=update_model(content),
        filters=MappingProxyType({f.name: f for f in filters}),
        label_zh=label_zh,
        label_en=kind,
        term_fields=TERM_FIELDS[content],
    )


_CALENDAR = calendar_filter("solar or lunar: only dates of that calendar")

KINDS: dict[str, KindSpec] = {
    "group": _spec("group", "groups", Group, "分组"),
    "contact": _spec(
        "contact",
        "contacts",
        Contact,
        "联系人",
        (
            link("group", "only contacts in this group (a group id)", "g:"),
            flag(
                "has_birthday",
                "true: only contacts with a birthday; false: without",
                "f:has_birthday",
            ),
        ),
    ),
    "memo": _spec(
        "memo",
        "memos",
        Memo,
        "备忘录",
        (
            flag("pinned", "true: only pinned memos; false: only unpinned", "f:pinned"),
            flag("has_due", "true: only memos with a due time; false: without", "f:has_due"),
        ),
    ),
    "birthday": _spec(
        "birthday",
        "birthdays",
        Birthday,
        "生日",
        (_CALENDAR, link("contact", "only birthdays linked to this contact (an id)", "c:")),
    ),
    "holiday": _spec(
        "holiday",
        "holidays",
        Holiday,
        "节日",
        (_CALENDAR, flag("yearly", "true: yearly holidays; false: one-off", "f:yearly")),
    ),
    "event": _spec(
        "event",
        "events",
        Event,
        "日程",
        (
            flag("all_day", "true: only all-day events; false: only timed", "f:all_day"),
            flag("recurring", "true: only recurring events; false: one-off", "f:recurring"),
        ),
    ),
}

_BY_PLURAL = {spec.plural: spec for spec in KINDS.values()}


def kind_for_plural(plural: str) -> KindSpec:
    """The kind whose URL segment is ``plural`` (``KeyError`` if there is none)."""
    return _BY_PLURAL[plural]


def spec_of(kind: str) -> KindSpec:
    """The ``KindSpec`` of ``kind``; ``KeyError`` naming it when unknown."""
    try:
        return KINDS[kind]
    except KeyError:
        raise KeyError(f"unknown kind {kind!r}") from None
