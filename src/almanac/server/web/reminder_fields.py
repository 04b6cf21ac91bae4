"""The reminder rows of the birthday, holiday, event and memo forms (issue 4 §6; R6, R7, R9).

Each row reads "提前 [N] 天 [HH:MM] 提醒" and is named after the record field
(``reminders.0.days_before``, ``reminders.0.at``), so the store's problems find their input.
A row with both boxes empty is no reminder; rows are taken in order, gaps closed up, and the
form shows them again under the same numbers. Days empty → 0 (the same day); time empty →
``at: null`` (the item's own time: an event's start, a memo's due time; 09:00 for day-long
items). At most ``MAX_REMINDERS`` (``almanac.model.reminders``).

A birthday without reminders has the default one (the same day at 09:00, ``reminders: null``);
the form's "不提醒" box stores ``[]``, which turns it off.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import time
from typing import Any

from starlette.datastructures import FormData

from almanac.errors import FieldProblem
from almanac.model.reminders import MAX_DAYS_BEFORE, MAX_REMINDERS
from almanac.server.web.form_fields import checked, number
from almanac.server.web.pages import text

FIELD = "reminders"
OFF = "reminders_off"
READ_ROWS = MAX_REMINDERS * 2  # input rows looked at (rows left empty in between skipped)

Translator = Callable[..., str]


def _typed_rows(form: FormData) -> list[dict[str, str]]:
    rows = []
    for i in range(READ_ROWS):
        days = text(form, f"{FIELD}.{i}.days_before").strip()
        at = text(form, f"{FIELD}.{i}.at").strip()
        if days or at:
            rows.append({"days_before": days, "at": at})
    return rows


def _row_data(row: dict[str, str], i: int, found: list[FieldProblem]) -> dict[str, Any]:
    name = f"{FIELD}.{i}"
    days = number(row["days_before"], f"{name}.days_before", found) if row["days_before"] else 0
    if days is not None and not 0 <= days <= MAX_DAYS_BEFORE:
        found.append(
            FieldProblem(f"{name}.days_before", f"0–{MAX_DAYS_BEFORE} days", "out_of_range")
        )
    at: str | None = None
    if row["at"]:
        try:
            at = time.fromisoformat(row["at"]).isoformat("minutes")
        except ValueError:
            found.append(FieldProblem(f"{name}.at", f"{name}.at needs a time", "not_a_time"))
    return {"days_before": days, "at": at}


def read(
    form: FormData, kind: str, found: list[FieldProblem]
) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """``(values, data)``: the rows as typed (``values["reminders"]``, plus ``reminders_off``
    for a birthday) and the record's ``reminders`` (``None``: a birthday's default)."""
    rows = _typed_rows(form)
    values: dict[str, Any] = {FIELD: rows, "reminder_rows": form_rows(rows)}
    data = [_row_data(row, i, found) for i, row in enumerate(rows)]
    if len(rows) > MAX_REMINDERS:
        found.append(FieldProblem(FIELD, f"at most {MAX_REMINDERS} reminders", "too_many"))
    if kind != "birthday":
        return values, data
    values[OFF] = checked(form, OFF)
    if values[OFF] and rows:
        found.append(FieldProblem(OFF, "no reminder, yet rows given", "reminders_off_with_rows"))
    if values[OFF]:
        return values, []
    return values, data or None


def values_of(data: dict[str, Any], kind: str) -> dict[str, Any]:
    """A stored record's reminders as the form shows them."""
    stored = data.get(FIELD)
    rows = [
        {"days_before": str(r.get("days_before", 0)), "at": str(r.get("at") or "")}
        for r in stored or []
    ]
    values: dict[str, Any] = {FIELD: rows, "reminder_rows": form_rows(rows)}
    if kind == "birthday":
        values[OFF] = stored is not None and not stored
    return values


def shown(values: dict[str, Any], kind: str, t: Translator) -> list[str]:
    """The reminders in a few words each: "提前1天 09:00", "当天 按时"; a birthday's
    default "当天 09:00（默认）"."""
    rows: Sequence[dict[str, str]] = values.get(FIELD) or []
    if kind == "birthday" and not rows and not values.get(OFF):
        return [f"{t('reminder_same_day')} 09:00{t('reminder_default')}"]
    found = []
    for row in rows:
        days = row.get("days_before") or "0"
        when = t("reminder_same_day") if days in ("0", "") else t("reminder_days_before", n=days)
        found.append(f"{when} {row.get('at') or _own_time(kind, t)}")
    return found


def _own_time(kind: str, t: Translator) -> str:
    return "09:00" if kind in ("birthday", "holiday") else t("reminder_own_time")


def summary_line(values: dict[str, Any], kind: str, t: Translator) -> list[tuple[str, str]]:
    """The conflict page's line for the reminders (none when there are none)."""
    found = shown(values, kind, t)
    return [(t("reminders"), "、".join(found))] if found else []


def form_rows(rows: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """The rows a form shows: the typed or stored ones, then empty ones up to
    ``MAX_REMINDERS`` (the page shows the first empty one; "添加提醒" the next)."""
    blank = {"days_before": "", "at": ""}
    return list(rows) + [dict(blank) for _ in range(max(MAX_REMINDERS - len(rows), 1))]
