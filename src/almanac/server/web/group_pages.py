"""Groups (R4): added from the menu beside the contacts list, renamed, deleted. Before a
group goes, a page says what happens: it is taken off its contacts (the store's cascade
unlinks them, each a new version) and the contacts themselves stay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from almanac.server.web.pages import records, text, user_of
from almanac.server.web.record_forms import FormSpec, Reading, add_routes
from almanac.server.web.render import render

router = APIRouter(include_in_schema=False)
MAX_COUNTED = 500  # members counted for the delete page ("500+" beyond)


def read(form: FormData) -> Reading:
    values = {"name": text(form, "name")}
    return Reading(values, dict(values))


def values_of(data: dict[str, Any]) -> dict[str, Any]:
    return {"name": str(data.get("name") or "")}


def summary(values: dict[str, Any], t: Callable[..., str], lang: str) -> list[tuple[str, str]]:
    return [(t("group_name"), values["name"])]


SPEC = FormSpec(
    kind="group",
    base="/groups",
    template="group_form.html",
    section="contacts",
    read=read,
    values_of=values_of,
    summary=summary,
    done=lambda record_id: f"/contacts?group={record_id}",
    gone="/contacts",
)
add_routes(router, SPEC)


@router.get("/groups/{record_id:uuid}/delete")
def delete_group_page(request: Request, record_id: UUID) -> Response:
    """What deleting the group does, and the button that does it."""
    user = user_of(request)
    store = records(request)
    group = store.get(user.id, "group", record_id)
    members = store.list(user.id, "contact", filters={"group": str(record_id)}, limit=MAX_COUNTED)
    count = f"{MAX_COUNTED}+" if members.next_cursor else str(len(members.items))
    context = {
        "group": {"id": str(group.id), "name": group.data.get("name") or ""},
        "version": group.version,
        "count": count,
        "section": "contacts",
    }
    return render(request, "group_delete.html", context, user=user)
