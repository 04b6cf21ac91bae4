"""Birthdays and holidays (R6): one entry point with a 生日 and a 节日 button on the left and
the matching entries on the right, each with its next date, the days until it and the age it
turns (or the anniversary); add, change and delete with solar or lunar dates (闰 months, the
year optional). Dates come from ``almanac.calendar`` like the API's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from almanac.calendar import next_occurrence
from almanac.errors import FieldProblem
from almanac.server.web import i18n, reminder_fields
from almanac.server.web.calendar_prefill import date_on
from almanac.server.web.form_fields import checked, read_spec, spec_text, spec_values
from almanac.server.web.pages import person_today, records, text, user_of
from almanac.server.web.record_forms import FormSpec, Reading, add_routes
from almanac.server.web.render import render

router = APIRouter(include_in_schema=False)
PAGE = 500
MAX_SHOWN = 2000  # entries one list page reads


def _reader(kind: str) -> Callable[[FormData], Reading]:
    def read(form: FormData) -> Reading:
        found: list[FieldProblem] = []
        values: dict[str, Any] = {"name": text(form, "name"), "notes": text(form, "notes")}
        values["date"], spec = read_spec(form, "date", found, required=True)
        data: dict[str, Any] = {"name": values["name"], "notes": values["notes"], "date": spec}
        if kind == "holiday":
            values["yearly"] = checked(form, "yearly")
            data["yearly"] = values["yearly"]
        reminders, data["reminders"] = reminder_fields.read(form, kind, found)
        values.update(reminders)
        return Reading(values, data, found)

    return read


def _values_of(kind: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def values_of(data: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {
            "name": str(data.get("name") or ""),
            "notes": str(data.get("notes") or ""),
            "date": spec_values(data.get("date")),
        }
        if kind == "holiday":
            values["yearly"] = bool(data.get("yearly", True))
        values.update(reminder_fields.values_of(data, kind))
        return values

    return values_of


def _summary(kind: str) -> Callable[..., list[tuple[str, str]]]:
    def with_reminders(values: dict[str, Any], t: Callable[..., str], lang: str) -> Any:
        return summary(values, t, lang) + reminder_fields.summary_line(values, kind, t)

    return with_reminders


def summary(values: dict[str, Any], t: Callable[..., str], lang: str) -> list[tuple[str, str]]:
    spec = values["date"]
    lines = [(t("name"), values["name"])]
    if spec.get("month") and spec.get("day"):
        shown = {**spec, "year": spec["year"] or None, "leap": bool(spec["leap"])}
        lines.append((t("date"), spec_text(shown, lang)))
    if "yearly" in values:
        lines.append((t("yearly"), t("yes" if values["yearly"] else "no")))
    if values["notes"]:
        lines.append((t("notes"), values["notes"]))
    return lines


def _spec(kind: str) -> FormSpec:
    plural = f"/{kind}s"
    return FormSpec(
        kind=kind,
        base=plural,
        template="date_form.html",
        section="dates",
        read=_reader(kind),
        values_of=_values_of(kind),
        summary=_summary(kind),
        done=lambda record_id: plural,
        gone=plural,
        extra=lambda request, owner: {"kind": kind},
        prefill=lambda request: date_on(request.query_params),
    )


BIRTHDAYS = _spec("birthday")
HOLIDAYS = _spec("holiday")
add_routes(router, BIRTHDAYS)
add_routes(router, HOLIDAYS)


def _all(request: Request, owner_id: int, kind: str) -> Iterator[Any]:
    cursor: str | None = None
    for _ in range(MAX_SHOWN // PAGE):
        page = records(request).list(owner_id, kind, limit=PAGE, cursor=cursor)
        yield from page.items
        cursor = page.next_cursor
        if cursor is None:
            return


def entry_view(record: Any, on: date, lang: str) -> dict[str, Any]:
    """One entry as listed: its date as people write it, the next day it falls on, the days
    until then and the age it turns (birthdays) or the anniversary (dated holidays)."""
    data = record.data
    yearly = bool(data.get("yearly", True))
    found = next_occurrence(data["date"], on, yearly=yearly)
    return {
        "id": str(record.id),
        "version": record.version,
        "name": str(data.get("name") or ""),
        "date_text": spec_text(data["date"], lang),
        "lunar": data["date"].get("calendar") == "lunar",
        "next": found.date if found else None,
        "days": (found.date - on).days if found else None,
        "years": found.years if found and found.years else None,
        "notes": str(data.get("notes") or ""),
        "reminders": reminder_fields.shown(
            reminder_fields.values_of(data, record.kind), record.kind, i18n.translator(lang)
        ),
    }


def _list_page(request: Request, kind: str) -> Response:
    user = user_of(request)
    lang = i18n.lang_of(request)
    on = person_today(request)
    entries = [entry_view(r, on, lang) for r in _all(request, user.id, kind)]
    entries.sort(key=lambda e: (e["days"] is None, e["days"] or 0, e["name"]))
    context = {"kind": kind, "entries": entries, "section": "dates"}
    return render(request, "dates.html", context, user=user)


@router.get("/birthdays")
def birthdays_page(request: Request) -> Response:
    return _list_page(request, "birthday")


@router.get("/holidays")
def holidays_page(request: Request) -> Response:
    return _list_page(request, "holiday")
