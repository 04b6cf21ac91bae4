"""The contact form (R4): name, phones and emails (labelled rows), company, title, address,
groups (check boxes), a solar or lunar birthday and notes. Inputs are named after the
record's fields (``phones.0.value``, ``birthday.day``) so the store's problems find them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, NamedTuple

from fastapi import Request
from starlette.datastructures import FormData

from almanac.errors import FieldProblem
from almanac.server.web import person_state
from almanac.server.web.form_fields import read_spec, spec_text, spec_values
from almanac.server.web.pages import records, text
from almanac.server.web.record_forms import FormSpec, Reading

MAX_ROWS = 20  # phone or email rows read from one form
KNOWN_LABELS = ("mobile", "work", "home", "other")
TEXTS = ("name", "company", "title", "address", "notes")


def _rows(form: FormData, name: str, default_label: str) -> list[dict[str, str]]:
    rows = []
    for i in range(MAX_ROWS):
        value = text(form, f"{name}.{i}.value").strip()
        label = text(form, f"{name}.{i}.label").strip() or default_label
        if value:
            rows.append({"label": label, "value": value})
    return rows


def read(form: FormData) -> Reading:
    found: list[FieldProblem] = []
    values: dict[str, Any] = {name: text(form, name) for name in TEXTS}
    values["phones"] = _rows(form, "phones", "mobile")
    values["emails"] = _rows(form, "emails", "home")
    values["groups"] = [g for g in form.getlist("groups") if isinstance(g, str)]
    values["birthday"], birthday = read_spec(form, "birthday", found, required=False)
    data = {name: values[name] for name in TEXTS}
    data.update(
        phones=values["phones"], emails=values["emails"], groups=values["groups"], birthday=birthday
    )
    return Reading(values, data, found)


def values_of(data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {name: str(data.get(name) or "") for name in TEXTS}
    values["phones"] = [dict(p) for p in data.get("phones") or []]
    values["emails"] = [dict(e) for e in data.get("emails") or []]
    values["groups"] = [str(g) for g in data.get("groups") or []]
    values["birthday"] = spec_values(data.get("birthday"))
    return values


def summary(values: dict[str, Any], t: Callable[..., str], lang: str) -> list[tuple[str, str]]:
    labels = {"name": "name", "company": "company", "title": "job_title"}
    lines = [(t(labels[k]), values[k]) for k in ("name", "company", "title") if values[k]]
    lines += [(t("phone"), f"{_label(p['label'], t)} {p['value']}") for p in values["phones"]]
    lines += [(t("email"), f"{_label(e['label'], t)} {e['value']}") for e in values["emails"]]
    spec = values["birthday"]
    if spec.get("month") and spec.get("day"):
        shown = spec_text({**spec, "year": spec["year"] or None, "leap": bool(spec["leap"])}, lang)
        lines.append((t("birthday"), shown))
    lines += [(t(name), values[name]) for name in ("address", "notes") if values[name]]
    return lines


def _label(label: str, t: Callable[..., str]) -> str:
    return t(f"label_{label}") if label in KNOWN_LABELS else label


class Group(NamedTuple):
    """A group in the menus: a template reads ``g.id`` and ``g.name`` as attributes (a
    dict's keys are found only after a failed attribute lookup)."""

    id: str
    name: str


def all_groups(request: Request, owner_id: int) -> list[Group]:
    """The person's groups (id and name), in name order; read-only (shared). Kept per app
    and person with the person's change number (every write makes a new one,
    ``RecordStore.last_change_no``): a contacts page reads one number instead of the groups
    (issue 5 "Numbers")."""
    store = records(request)
    change = person_state.of(request, owner_id).change_no
    kept = _kept_menus(request)
    found = kept.get(owner_id)
    if found is not None and found[0] == change:
        return found[1]
    page = store.list(owner_id, "group", limit=500)
    groups = [Group(str(g.id), str(g.data.get("name") or "")) for g in page.items]
    with _LOCK:
        kept.pop(owner_id, None)
        kept[owner_id] = (change, groups)
        while len(kept) > KEPT_MENUS:  # the least recently stored go first
            kept.pop(next(iter(kept)))
    return groups


KEPT_MENUS = 256
_LOCK = threading.Lock()


def _kept_menus(request: Request) -> dict[int, tuple[int, list[Group]]]:
    state = request.app.state
    kept = getattr(state, "group_menus", None)
    if kept is None:
        kept = state.group_menus = {}
    return kept


def extra(request: Request, owner_id: int) -> dict[str, Any]:
    return {"all_groups": all_groups(request, owner_id), "known_labels": KNOWN_LABELS}


SPEC = FormSpec(
    kind="contact",
    base="/contacts",
    template="contact_form.html",
    section="contacts",
    read=read,
    values_of=values_of,
    summary=summary,
    done=lambda record_id: f"/contacts/{record_id}",
    gone="/contacts",
    extra=extra,
)
