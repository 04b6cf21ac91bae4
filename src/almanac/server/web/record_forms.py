"""Add, change and delete for every record kind, the same way for each (R4–R7, R14).

A ``FormSpec`` says how one kind's form reads (``read``: the typed values, the record data
and the problems found before the store is asked) and shows a record (``values_of``,
``summary``); ``add_routes`` gives it:

- ``GET  {base}/new`` and ``POST {base}/new``: a new record. The form carries an id made
  when it is rendered (hidden ``id``), so a form sent twice — its first answer lost on the
  way back, then resent — makes one record: when the person already has a record with that
  id, the same content is answered as a fresh save and a different one shows the conflict
  page; an id taken otherwise (another person's, a deleted record) brings the form back (409)
  with a new id (R11, R14);
- ``GET  {base}/{id}/edit`` and ``POST {base}/{id}/edit``: a change. The form carries the
  version it started from; the store checks it (``expected_version``), and a
  ``VersionConflict`` shows the conflict page — both versions, keep one — instead of
  overwriting (R14);
- ``POST {base}/{id}/delete``: a deletion, checked against its version the same way.

A change to a record deleted elsewhere meanwhile comes back as a form for a new record, the
typed values kept and the reason said.

A save or a delete that worked redirects with ``flash``'s message (已保存。/已删除。) for the
next page. A refused form comes back (422) with each problem next to its input and everything
typed kept. Every POST checks the CSRF token before anything else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from almanac.errors import Duplicate, FieldProblem, InvalidInput, NotFound, VersionConflict
from almanac.model import dump_content, validate_content
from almanac.server.web import flash, i18n, problems
from almanac.server.web.pages import CheckedForm, records, see_other, text, user_of
from almanac.server.web.render import render

Translator = Callable[..., str]
NOT_REPLAYED = frozenset({"csrf_token", "version", "id"})
ID_TAKEN = FieldProblem("form", "this form's record id is already taken", "id_taken")


@dataclass
class Reading:
    """A submitted form: what to show again, what to store, what is already wrong."""

    values: dict[str, Any]
    data: dict[str, Any]
    problems: list[FieldProblem] = field(default_factory=list)


@dataclass(frozen=True)
class FormSpec:
    kind: str
    base: str  # "/memos"
    template: str  # "memo_form.html"
    section: str  # the navigation entry that is lit
    read: Callable[[FormData], Reading]
    values_of: Callable[[dict[str, Any]], dict[str, Any]]
    summary: Callable[[dict[str, Any], Translator, str], list[tuple[str, str]]]
    done: Callable[[str], str]  # where a saved record sends the browser (its id given)
    gone: str  # where a deletion sends the browser
    extra: Callable[[Request, int], dict[str, Any]] = lambda request, owner: {}
    aliases: Mapping[str, str] = field(default_factory=dict)
    # record data a new form starts from: its query (calendar_prefill: ?date=), the person's
    # settings (a new event's zone)
    prefill: Callable[[Request], dict[str, Any]] = lambda request: {}


def _form_page(
    request: Request,
    spec: FormSpec,
    user: Any,
    values: dict[str, Any],
    *,
    record_id: str | None = None,
    version: int | None = None,
    found: list[FieldProblem] | None = None,
    new_id: UUID | None = None,
    status_code: int | None = None,
) -> Response:
    """The form; a new record's form carries ``new_id`` (a fresh one when not given)."""
    lang = i18n.lang_of(request)
    messages = problems.as_messages(i18n.translator(lang), lang, found or [], spec.aliases)
    action = f"{spec.base}/{record_id}/edit" if record_id else f"{spec.base}/new"
    context = {
        "values": values,
        "problems": messages,
        "record_id": record_id,
        "new_id": None if record_id else str(new_id or uuid4()),
        "version": version,
        "action": action,
        "back": spec.gone,
        "section": spec.section,
        **spec.extra(request, user.id),
    }
    status = status_code or (422 if found else 200)
    return render(request, spec.template, context, user=user, status_code=status)


def conflict_page(
    request: Request,
    spec: FormSpec,
    user: Any,
    exc: VersionConflict,
    record_id: UUID,
    *,
    mine: list[tuple[str, str]] | None,
    action: str,
    form: FormData,
    lead: str = "conflict_lead",
) -> Response:
    """Both versions side by side; "keep mine" sends the same change again, now against the
    version that is stored; "keep theirs" just goes back."""
    lang = i18n.lang_of(request)
    current = records(request).get(user.id, spec.kind, record_id)
    hidden = [(k, v) for k, v in form.multi_items() if k not in NOT_REPLAYED and isinstance(v, str)]
    context = {
        "lead": lead,
        "mine": mine,
        "theirs": spec.summary(spec.values_of(current.data), i18n.translator(lang), lang),
        "expected": exc.expected,
        "actual": current.version,
        "action": action,
        "sent_from": request.url.path,  # offline.js moves that form's drafts to ``action``
        "hidden": hidden,
        "back": spec.done(str(record_id)),
        "section": spec.section,
    }
    return render(request, "conflict.html", context, user=user, status_code=409)


def _version(form: FormData) -> int | None:
    raw = text(form, "version").strip()
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def _stored_data(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def _new_id(form: FormData) -> UUID | None:
    """The id the form was rendered with; None when absent (an older page: the store makes
    one). Anything else than a UUID is ``InvalidInput`` naming ``id``."""
    raw = text(form, "id").strip()
    if not raw:
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise InvalidInput.one("id", "id is not a record id.", "invalid") from None


def _sent_before(
    request: Request, spec: FormSpec, user: Any, form: FormData, reading: Reading, rid: UUID
) -> Response:
    """The form's id is taken. The person's own record of this kind was made by an earlier
    send of this same form (its answer lost): the same content is answered as a fresh save,
    a different one shows the conflict page. Otherwise (another person's id, a deleted
    record) nothing is told about it: the form comes back with a new id (409)."""
    try:
        current = records(request).get(user.id, spec.kind, rid)
    except NotFound:
        return _form_page(request, spec, user, reading.values, found=[ID_TAKEN], status_code=409)
    sent = dump_content(validate_content(spec.kind, _stored_data(reading.data)))
    if sent == current.data:
        return flash.after(request, see_other(spec.done(str(rid))), "saved")
    lang = i18n.lang_of(request)
    mine = spec.summary(reading.values, i18n.translator(lang), lang)
    exc = VersionConflict(current.version, current.version)
    action = f"{spec.base}/{rid}/edit"
    return conflict_page(
        request,
        spec,
        user,
        exc,
        rid,
        mine=mine,
        action=action,
        form=form,
        lead="conflict_created_lead",
    )


def add_routes(router: APIRouter, spec: FormSpec) -> None:
    """The five routes of ``spec``'s kind on ``router``."""
    kind, base = spec.kind, spec.base

    @router.get(f"{base}/new", name=f"{kind}_new")
    def new_form(request: Request) -> Response:
        user = user_of(request)
        return _form_page(request, spec, user, spec.values_of(spec.prefill(request)))

    @router.post(f"{base}/new", name=f"{kind}_create")
    def create(request: Request, form: CheckedForm) -> Response:
        user = user_of(request)
        reading = spec.read(form)
        try:
            rid = _new_id(form)
        except InvalidInput as exc:
            reading.problems.extend(exc.problems)
            rid = None
        if reading.problems:
            found = reading.problems
            return _form_page(request, spec, user, reading.values, found=found, new_id=rid)
        try:
            made = records(request).create(user.id, kind, _stored_data(reading.data), record_id=rid)
        except Duplicate as exc:
            if rid is not None and exc.field == "id":
                return _sent_before(request, spec, user, form, reading, rid)
            found = problems.of_error(exc)
            return _form_page(request, spec, user, reading.values, found=found, new_id=rid)
        except InvalidInput as exc:
            found = problems.of_error(exc)
            return _form_page(request, spec, user, reading.values, found=found, new_id=rid)
        return flash.after(request, see_other(spec.done(str(made.id))), "saved")

    @router.get(base + "/{record_id:uuid}/edit", name=f"{kind}_edit")
    def edit_form(request: Request, record_id: UUID) -> Response:
        user = user_of(request)
        record = records(request).get(user.id, kind, record_id)
        values = spec.values_of(record.data)
        return _form_page(
            request, spec, user, values, record_id=str(record_id), version=record.version
        )

    @router.post(base + "/{record_id:uuid}/edit", name=f"{kind}_update")
    def update(request: Request, record_id: UUID, form: CheckedForm) -> Response:
        user = user_of(request)
        reading = spec.read(form)
        version = _version(form)
        rid = str(record_id)
        if reading.problems:
            return _form_page(
                request,
                spec,
                user,
                reading.values,
                found=reading.problems,
                record_id=rid,
                version=version,
            )
        try:
            records(request).update(
                user.id, kind, record_id, reading.data, expected_version=version
            )
        except (InvalidInput, Duplicate) as exc:
            found = problems.of_error(exc)
            return _form_page(
                request, spec, user, reading.values, found=found, record_id=rid, version=version
            )
        except NotFound:  # deleted elsewhere meanwhile: offer to save it as a new record
            gone = [FieldProblem("form", "deleted elsewhere", "gone")]
            return _form_page(request, spec, user, reading.values, found=gone)
        except VersionConflict as exc:
            lang = i18n.lang_of(request)
            mine = spec.summary(reading.values, i18n.translator(lang), lang)
            action = f"{base}/{record_id}/edit"
            return conflict_page(
                request, spec, user, exc, record_id, mine=mine, action=action, form=form
            )
        return flash.after(request, see_other(spec.done(str(record_id))), "saved")

    @router.post(base + "/{record_id:uuid}/delete", name=f"{kind}_delete")
    def delete(request: Request, record_id: UUID, form: CheckedForm) -> Response:
        user = user_of(request)
        try:
            records(request).delete(user.id, kind, record_id, expected_version=_version(form))
        except VersionConflict as exc:
            action = f"{base}/{record_id}/delete"
            return conflict_page(
                request, spec, user, exc, record_id, mine=None, action=action, form=form
            )
        done = "group_deleted" if kind == "group" else "deleted"
        return flash.after(request, see_other(spec.gone), done)
