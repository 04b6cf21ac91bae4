"""Memos (R5): the list (pinned first: the store's list order), add, change, delete, and
pin/unpin with one button (checked against the version shown, like every change)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from almanac.errors import FieldProblem, VersionConflict
from almanac.server.web import i18n, memo_preview, reminder_fields
from almanac.server.web.form_fields import checked
from almanac.server.web.pages import CheckedForm, records, see_other, text, user_of
from almanac.server.web.record_forms import FormSpec, Reading, add_routes, conflict_page
from almanac.server.web.render import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 100


def read(form: FormData) -> Reading:
    values: dict[str, Any] = {
        "title": text(form, "title"),
        "body": text(form, "body"),
        "pinned": checked(form, "pinned"),
        "due": text(form, "due").strip(),
    }
    found: list[FieldProblem] = []
    due: str | None = values["due"] or None
    if due is not None and len(due) == 10:  # a date alone: due that morning
        due += "T09:00"
    data = {"title": values["title"], "body": values["body"], "pinned": values["pinned"]}
    data["due"] = due
    reminders, data["reminders"] = reminder_fields.read(form, "memo", found)
    values.update(reminders)
    return Reading(values, data, found)


def values_of(data: dict[str, Any]) -> dict[str, Any]:
    return reminder_fields.values_of(data, "memo") | {
        "title": str(data.get("title") or ""),
        "body": str(data.get("body") or ""),
        "pinned": bool(data.get("pinned")),
        "due": str(data.get("due") or "")[:16],
    }


def summary(values: dict[str, Any], t: Callable[..., str], lang: str) -> list[tuple[str, str]]:
    lines = [
        (t("memo_title"), values["title"]),
        (t("pinned"), t("yes" if values["pinned"] else "no")),
    ]
    if values["due"]:
        lines.append((t("due"), values["due"].replace("T", " ")))
    if values["body"]:
        lines.append((t("body"), values["body"]))
    return lines + reminder_fields.summary_line(values, "memo", t)


SPEC = FormSpec(
    kind="memo",
    base="/memos",
    template="memo_form.html",
    section="memos",
    read=read,
    values_of=values_of,
    summary=summary,
    done=lambda record_id: "/memos",
    gone="/memos",
    aliases={},
)
add_routes(router, SPEC)


@router.get("/memos")
def memos_page(request: Request, cursor: str = "") -> Response:
    user = user_of(request)
    page = records(request).list(user.id, "memo", limit=PAGE_SIZE, cursor=cursor or None)
    memos = []
    t = i18n.translator(i18n.lang_of(request))
    for item in page.items:
        view = values_of(item.data)
        excerpt = memo_preview.preview(view["body"])
        view.update(
            id=str(item.id),
            version=item.version,
            excerpt=excerpt,
            cut=excerpt != view["body"].strip(),
            due_text=view["due"].replace("T", " "),
            reminders_text=reminder_fields.shown(view, "memo", t),
        )
        memos.append(view)
    context = {
        "memos": memos,
        "next_url": "/memos?" + urlencode({"cursor": page.next_cursor})
        if page.next_cursor
        else None,
        "first_url": "/memos" if cursor else None,
        "section": "memos",
    }
    return render(request, "memos.html", context, user=user)


def _next(cursor: str | None) -> str | None:
    return "/memos?" + urlencode({"cursor": cursor}) if cursor else None


@router.post("/memos/{record_id:uuid}/pin")
def pin(request: Request, record_id: UUID, form: CheckedForm) -> Response:
    """Pin (``pinned=1``) or unpin (``pinned=0``) as of the version the list showed."""
    user = user_of(request)
    pinned = text(form, "pinned") == "1"
    raw = text(form, "version")
    version = int(raw) if raw.isdigit() and len(raw) < 12 else None
    try:
        records(request).update(
            user.id, "memo", record_id, {"pinned": pinned}, expected_version=version
        )
    except VersionConflict as exc:
        t = i18n.translator(i18n.lang_of(request))
        mine = [(t("pinned"), t("yes" if pinned else "no"))]
        action = f"/memos/{record_id}/pin"
        return conflict_page(
            request, SPEC, user, exc, record_id, mine=mine, action=action, form=form
        )
    return see_other("/memos")
