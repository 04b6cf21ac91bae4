"""The contacts page (R2, R4): the logged-in person's contacts with a search box.

Search goes through ``RecordStore.list(q=…)``, so it finds by name, pinyin (full or initials,
``zs`` → 张三), phone, email and company; pages follow the store's cursor.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from almanac.server.web import session
from almanac.server.web.render import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
KNOWN_LABELS = {"mobile", "work", "home", "other"}


@router.get("/contacts")
def contacts_page(request: Request, q: str = "", cursor: str = "") -> Response:
    found = session.current(request)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    user, _token_id = found
    query = _typed_text(q)
    page = request.app.state.ctx.records.list(
        user.id, "contact", q=query or None, limit=PAGE_SIZE, cursor=cursor or None
    )
    next_url = None
    if page.next_cursor:
        params = {"q": query, "cursor": page.next_cursor} if query else {"cursor": page.next_cursor}
        next_url = "/contacts?" + urlencode(params)
    context = {
        "contacts": [contact_view(item.public()) for item in page.items],
        "q": query,
        "next_url": next_url,
        "first_url": _first_page_url(query) if cursor else None,
    }
    return render(request, "contacts.html", context, user=user)


def _typed_text(q: str) -> str:
    """What a person can type in a search box: control characters and lone surrogates (which
    the store refuses as InvalidInput) are dropped, so an odd address still gives the page."""
    kept = (ch if ch.isprintable() else " " if ch.isspace() else "" for ch in q)
    return "".join(kept).strip()


def _first_page_url(query: str) -> str:
    return "/contacts?" + urlencode({"q": query}) if query else "/contacts"


def contact_view(data: dict[str, Any]) -> dict[str, Any]:
    """What the page shows of one contact (values only; the template escapes them)."""
    name = str(data.get("name") or "")
    return {
        "name": name,
        "initial": name[:1].upper() or "?",
        "phones": [_entry(p) for p in data.get("phones") or []],
        "emails": [_entry(e) for e in data.get("emails") or []],
        "company": data.get("company") or "",
        "title": data.get("title") or "",
    }


def _entry(item: dict[str, Any]) -> dict[str, str]:
    label = str(item.get("label") or "")
    return {
        "label": label,
        "label_key": f"label_{label}" if label in KNOWN_LABELS else "",
        "value": str(item.get("value") or ""),
    }
