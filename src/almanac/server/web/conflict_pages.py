"""Sync conflicts in the browser (issue 5 §1; R8, R14; docs/web.md "Conflicts"): ``/conflicts``
lists the person's open stored conflicts, each with both values side by side (and the value
before either change for long texts) and a button for each; ``/conflicts/settled`` the settled
ones. Settling goes through ``almanac.server.sync.settle`` — the push path — so the person's
devices see it at their next pull as if a device had done it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from starlette.responses import Response

from almanac.errors import NotFound
from almanac.model.event import zone
from almanac.server.sync import conflicts as stored
from almanac.server.sync import settle
from almanac.server.web import i18n
from almanac.server.web.pages import CheckedForm, person_zone, records, see_other, user_of
from almanac.server.web.render import render
from almanac.sync.merge import TEXT_FIELDS
from almanac.sync.protocol import ConflictRecord

router = APIRouter(include_in_schema=False)
SETTLED_SHOWN = 100  # the settled view shows the newest ones only
LINKS = {
    "contact": "/contacts/{id}",
    "group": "/contacts?group={id}",
    "memo": "/memos/{id}/edit",
    "birthday": "/birthdays/{id}/edit",
    "holiday": "/holidays/{id}/edit",
    "event": "/events/{id}/edit",
}


@router.get("/conflicts")
def open_page(request: Request, done: str = "") -> Response:
    user = user_of(request)
    found = stored.listed(engine(request), user.id)
    context = {
        "section": "conflicts",
        "conflicts": views(request, user.id, found),
        "done": done if done in settle.KEEPS else "",
        "settled": False,
    }
    return render(request, "conflicts.html", context, user=user)


@router.get("/conflicts/settled")
def settled_page(request: Request) -> Response:
    user = user_of(request)
    newest = settle.newest_settled(engine(request), user.id, SETTLED_SHOWN)
    context = {
        "section": "conflicts",
        "conflicts": views(request, user.id, newest, now=True),
        "done": "",
        "settled": True,
    }
    return render(request, "conflicts.html", context, user=user)


@router.post("/conflicts/{conflict_id:uuid}/keep/{which}")
def keep(request: Request, conflict_id: UUID, which: str, form: CheckedForm) -> Response:
    """Keep the kept (``kept``) or the other (``other``) version of the person's conflict."""
    user = user_of(request)
    try:
        settle.settle(engine(request), user.id, conflict_id, which)
    except settle.AlreadySettled:
        found = stored.listed(engine(request), user.id)
        context = {
            "section": "conflicts",
            "conflicts": views(request, user.id, found),
            "done": "",
            "already": True,
            "settled": False,
        }
        return render(request, "conflicts.html", context, user=user, status_code=409)
    return see_other(f"/conflicts?done={which}")


def engine(request: Request) -> Any:
    return request.app.state.ctx.engine


def views(
    request: Request, owner_id: int, found: list[ConflictRecord], *, now: bool = False
) -> list[dict[str, Any]]:
    """What the template shows of each conflict (values as display text)."""
    lang = i18n.lang_of(request)
    t = i18n.translator(lang)
    tz = zone(person_zone(request))
    contents = _contents(request, owner_id, {(c.kind, c.record_id) for c in found})
    groups = _group_names(request, owner_id) if any(c.field == "groups" for c in found) else {}
    out = []
    for c in found:
        data = contents.get(c.record_id)
        show = _shower(t, groups if c.field == "groups" else {})
        long = c.field in TEXT_FIELDS.get(c.kind, ())
        view: dict[str, Any] = {
            "id": str(c.id),
            "kind": t(f"cf_kind_{c.kind}"),
            "title": _title(data, t),
            "link": LINKS[c.kind].format(id=c.record_id) if data is not None else None,
            "field": _field_word(t, c.kind, c.field),
            "when": _when(c.created_at, tz),
            "reason": t(f"cf_reason_{c.reason}"),
            "kept": show(c.kept_value),
            "other": show(c.other_value),
            "base": show(c.base_value) if long else None,
            "long": long,
            "version": c.kept_version,
        }
        if now:
            view["now"] = show(data.get(c.field)) if data is not None else None
        out.append(view)
    return out


def _contents(
    request: Request, owner_id: int, wanted: set[tuple[str, UUID]]
) -> dict[UUID, dict[str, Any]]:
    """The current content of each live record named (deleted ones left out)."""
    found: dict[UUID, dict[str, Any]] = {}
    for kind, record_id in sorted(wanted, key=str):
        try:
            found[record_id] = dict(records(request).get(owner_id, kind, record_id).data)
        except NotFound:
            continue
    return found


def _group_names(request: Request, owner_id: int) -> dict[str, str]:
    page = records(request).list(owner_id, "group", limit=500)
    return {str(g.id): str(g.data.get("name") or "") for g in page.items}


def _title(data: dict[str, Any] | None, t: Callable[..., str]) -> str:
    if data is None:
        return t("cf_record_gone")
    title = data.get("name") or data.get("title")
    return str(title) if title else t("cf_untitled")


def _field_word(t: Callable[..., str], kind: str, field: str) -> str:
    for key in (f"cf_field_{kind}_{field}", f"cf_field_{field}"):
        word = t(key)
        if word != key:
            return word
    return field


def _when(at: datetime, tz: Any) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _shower(t: Callable[..., str], groups: dict[str, str]) -> Callable[[Any], dict[str, Any]]:
    """A stored JSON value → ``{"text", "blank"}`` for the page (plain text, escaped there)."""

    def text_of(value: Any) -> str:
        if isinstance(value, bool):
            return t("yes" if value else "no")
        if isinstance(value, str):
            return groups.get(value, value)
        if isinstance(value, list):
            return "\n".join(text_of(v) for v in value)
        if isinstance(value, dict):
            if set(value) <= {"label", "value"}:  # a phone or an email
                label = str(value.get("label") or "")
                return f"{label}: {value.get('value', '')}" if label else str(value["value"])
            return ", ".join(f"{k}: {text_of(v)}" for k, v in value.items())
        return "" if value is None else str(value)

    def show(value: Any) -> dict[str, Any]:
        shown = text_of(value)
        return {"text": shown or t("cf_blank"), "blank": not shown}

    return show
