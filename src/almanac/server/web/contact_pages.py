"""The contacts pages (R2, R4): the list with its conditions, one contact, and the form.

The list goes through ``RecordStore.list`` like the API: ``q`` finds by name, pinyin (full or
initials, ``zs`` → 张三), phone, email and company; ``group`` and ``has_birthday`` are the
API's filters; pages follow the store's cursor. The groups menu sits beside the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode
from uuid import UUID, uuid4

from fastapi import APIRouter, Request
from starlette.responses import Response

from almanac.server.web import contact_forms, i18n
from almanac.server.web.form_fields import spec_text
from almanac.server.web.pages import records, user_of
from almanac.server.web.record_forms import add_routes
from almanac.server.web.render import render

router = APIRouter(include_in_schema=False)
add_routes(router, contact_forms.SPEC)

PAGE_SIZE = 50
KNOWN_LABELS = set(contact_forms.KNOWN_LABELS)
BIRTHDAY_CHOICES = ("true", "false")


@router.get("/contacts")
def contacts_page(
    request: Request, q: str = "", cursor: str = "", group: str = "", has_birthday: str = ""
) -> Response:
    user = user_of(request)
    query = _typed_text(q)
    conditions = {"q": query, "group": group.strip(), "has_birthday": has_birthday.strip()}
    if conditions["has_birthday"] not in BIRTHDAY_CHOICES:
        conditions["has_birthday"] = ""
    filters = {k: v for k, v in conditions.items() if k != "q" and v}
    page = records(request).list(
        user.id, "contact", q=query or None, filters=filters, limit=PAGE_SIZE, cursor=cursor or None
    )
    kept = [(k, v) for k, v in conditions.items() if v]
    next_url = _url([*kept, ("cursor", page.next_cursor)]) if page.next_cursor else None
    groups = contact_forms.all_groups(request, user.id)
    t = i18n.translator(i18n.lang_of(request))
    context = {
        "contacts": [contact_view(item.data, str(item.id), t) for item in page.items],
        "q": query,
        "conditions": conditions,
        "filtered": bool(kept),
        "groups": groups,
        "group_name": next((g.name for g in groups if g.id == conditions["group"]), ""),
        "next_url": next_url,
        "first_url": _url(kept) if cursor else None,
        "section": "contacts",
        "new_group_id": str(uuid4()),  # the add-group form's record id (record_forms)
    }
    return render(request, "contacts.html", context, user=user)


@router.get("/contacts/{record_id:uuid}")
def contact_page(request: Request, record_id: UUID) -> Response:
    user = user_of(request)
    record = records(request).get(user.id, "contact", record_id)
    names = {g.id: g.name for g in contact_forms.all_groups(request, user.id)}
    lang = i18n.lang_of(request)
    view = contact_view(record.data, str(record.id), i18n.translator(lang))
    linked = [str(g) for g in record.data.get("groups") or []]
    view.groups = [names[g] for g in linked if g in names]
    view.birthday = spec_text(record.data.get("birthday"), lang)
    view.address = str(record.data.get("address") or "")
    view.notes = str(record.data.get("notes") or "")
    context = {"c": view, "version": record.version, "section": "contacts"}
    return render(request, "contact.html", context, user=user)


def _url(params: list[tuple[str, str]]) -> str:
    return "/contacts?" + urlencode(params) if params else "/contacts"


def _typed_text(q: str) -> str:
    """What a person can type in a search box: control characters and lone surrogates (which
    the store refuses as InvalidInput) are dropped, so an odd address still gives the page."""
    kept = (ch if ch.isprintable() else " " if ch.isspace() else "" for ch in q)
    return "".join(kept).strip()


@dataclass(slots=True)
class Entry:
    """One phone or email line as a page shows it; ``text`` is its label in the page's
    language (attributes, not dict keys: Jinja reads an attribute without a failed lookup)."""

    label: str
    label_key: str
    value: str
    text: str


@dataclass(slots=True)
class ContactView:
    """What a page shows of one contact (values only; the template escapes them)."""

    id: str
    name: str
    initial: str
    phones: list[Entry]
    emails: list[Entry]
    company: str
    title: str
    has_birthday: bool
    groups: list[str] = field(default_factory=list)
    birthday: str = ""
    address: str = ""
    notes: str = ""


def contact_view(
    data: dict[str, Any], record_id: str = "", t: Callable[..., str] | None = None
) -> ContactView:
    """What the page shows of one contact; ``t`` (the page's translator) names the labels."""
    name = str(data.get("name") or "")
    tr = t or i18n.translator(i18n.DEFAULT_LANG)
    return ContactView(
        id=record_id,
        name=name,
        initial=name[:1].upper() or "?",
        phones=[_entry(p, tr, "phones") for p in data.get("phones") or []],
        emails=[_entry(e, tr, "emails") for e in data.get("emails") or []],
        company=data.get("company") or "",
        title=data.get("title") or "",
        has_birthday=bool(data.get("birthday")),
    )


def _entry(item: dict[str, Any], t: Callable[..., str], fallback: str) -> Entry:
    label = str(item.get("label") or "")
    key = f"label_{label}" if label in KNOWN_LABELS else ""
    text = t(key) if key else (label or t(fallback))
    return Entry(label=label, label_key=key, value=str(item.get("value") or ""), text=text)
