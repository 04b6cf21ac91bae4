"""Reading typed fields into record data: numbers, dates, times and the solar/lunar date
(``DateSpec``) of birthdays, holidays and a contact's birthday. Each reader returns what to
show again and the problems it found (named after the record field, ``date.day``)."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from starlette.datastructures import FormData

from almanac.calendar.lunar import day_name, month_name
from almanac.errors import FieldProblem
from almanac.server.web.pages import text

SPEC_PARTS = ("calendar", "year", "month", "day", "leap")


def checked(form: FormData, name: str) -> bool:
    return text(form, name) in ("1", "on", "true")


def number(raw: str, field: str, found: list[FieldProblem]) -> int | None:
    """An integer typed in a box ('' is None); full-width digits count."""
    value = raw.strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        found.append(FieldProblem(field, f"{field} needs a number", "not_a_number"))
        return None


def day_value(raw: str, field: str, found: list[FieldProblem]) -> date | None:
    value = raw.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        found.append(FieldProblem(field, f"{field} needs a date", "not_a_date"))
        return None


def time_value(raw: str, field: str, found: list[FieldProblem]) -> time | None:
    value = raw.strip()
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        found.append(FieldProblem(field, f"{field} needs a time", "not_a_time"))
        return None


def spec_values(spec: dict[str, Any] | None) -> dict[str, str]:
    """A stored ``DateSpec`` as the form shows it."""
    spec = spec or {}
    return {
        "calendar": str(spec.get("calendar") or "solar"),
        "year": "" if spec.get("year") is None else str(spec["year"]),
        "month": "" if spec.get("month") is None else str(spec["month"]),
        "day": "" if spec.get("day") is None else str(spec["day"]),
        "leap": "1" if spec.get("leap") else "",
    }


def read_spec(
    form: FormData, prefix: str, found: list[FieldProblem], *, required: bool
) -> tuple[dict[str, str], dict[str, Any] | None]:
    """The date typed in ``{prefix}.calendar`` … ``{prefix}.leap``: its values and the
    ``DateSpec`` data (``None`` when left empty and not required)."""
    values = {part: text(form, f"{prefix}.{part}").strip() for part in SPEC_PARTS}
    values["calendar"] = "lunar" if values["calendar"] == "lunar" else "solar"
    values["leap"] = "1" if checked(form, f"{prefix}.leap") else ""
    if not (values["month"] or values["day"] or values["year"]) and not required:
        return values, None
    month = number(values["month"], f"{prefix}.month", found)
    day = number(values["day"], f"{prefix}.day", found)
    year = number(values["year"], f"{prefix}.year", found)
    for name, value in (("month", month), ("day", day)):
        if value is None and values[name] == "":
            found.append(FieldProblem(f"{prefix}.{name}", f"{name} is empty", "empty"))
    spec: dict[str, Any] = {
        "calendar": values["calendar"],
        "month": month,
        "day": day,
        "leap": bool(values["leap"]),
    }
    if year is not None:
        spec["year"] = year
    return values, spec


def spec_text(spec: dict[str, Any] | None, lang: str) -> str:
    """A date as people write it: 农历闰四月初八, 1990年5月20日, 5月20日 / May 20."""
    if not spec:
        return ""
    year = spec.get("year")
    month, day = int(spec["month"]), int(spec["day"])
    if spec.get("calendar") == "lunar":
        if lang == "en":
            leap = "leap " if spec.get("leap") else ""
            where = f" {year}" if year else ""
            return f"lunar {leap}month {month}, day {day}{where}"
        prefix = f"{year}年" if year else ""
        return f"农历{prefix}{month_name(month, bool(spec.get('leap')))}{day_name(day)}"
    if lang == "en":
        return f"{year}-{month:02d}-{day:02d}" if year else f"{month:02d}-{day:02d}"
    return f"{year}年{month}月{day}日" if year else f"{month}月{day}日"
