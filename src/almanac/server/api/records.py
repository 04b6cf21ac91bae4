"""The record routes (R4–R7, R13): one router factory, used for all six kinds of
``almanac.model.KINDS``.

For a kind K (plural P): ``GET /P`` (search ``q``, the kind's filters, ``limit``, ``cursor``),
``POST /P`` (201 + ``Location``), ``GET|PATCH|DELETE /P/{id}`` (``If-Match: <version>`` on
PATCH and DELETE). Every route works on the calling person's records only: another person's
id is a 404, exactly like an id that never existed.

This module has no ``from __future__ import annotations``: the routes are built inside a
function, and FastAPI must see their (per-kind) body and response models as real objects.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import BaseModel, Field, StringConstraints, create_model

from almanac.errors import InvalidInput
from almanac.model import KINDS, KindSpec
from almanac.model.filters import Filter
from almanac.server.api.deps import Ctx, CurrentUser
from almanac.server.api.schemas import error_responses

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
MAX_VERSION_DIGITS = 18

RecordId = Annotated[UUID, Path(alias="id", description="the record's UUID")]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="the version the change is based on; 409 `version_conflict` if the "
        "record is no longer at that version",
        examples=["3"],
    ),
]


@dataclass(frozen=True)
class KindModels:
    """The request and response bodies of one kind."""

    new: type[BaseModel]
    patch: type[BaseModel]
    record: type[BaseModel]
    tombstone: type[BaseModel]
    page: type[BaseModel]


def _meta_fields(kind: str) -> dict[str, Any]:
    return {
        "id": (UUID, ...),
        "kind": (Literal[kind], ...),
        "version": (int, Field(ge=1, description="1 on create, +1 on every change")),
        "created_at": (datetime, ...),
        "updated_at": (datetime, ...),
    }


def build_models(spec: KindSpec) -> KindModels:
    name = spec.content.__name__
    new = create_model(
        f"{name}New",
        __base__=spec.content,
        __doc__=f"A new {spec.kind}; `id` may be chosen by the client (a UUID).",
        id=(UUID | None, Field(default=None, description="optional client-made UUID")),
    )
    record = create_model(
        f"{name}Record",
        __base__=spec.content,
        __doc__=f"A stored {spec.kind}.",
        deleted=(Literal[False], False),
        **_meta_fields(spec.kind),
    )
    tombstone = create_model(
        f"{name}Tombstone",
        __doc__=f"What is left of a deleted {spec.kind}: the tombstone that travels to "
        "other devices.",
        deleted=(Literal[True], ...),
        **_meta_fields(spec.kind),
    )
    page = create_model(
        f"{name}Page",
        __doc__=f"One page of {spec.plural}; pass `next_cursor` as `cursor` for the next.",
        items=(list[record], ...),
        next_cursor=(str | None, Field(description="null on the last page")),
    )
    return KindModels(new=new, patch=spec.update, record=record, tombstone=tombstone, page=page)


def expected_version(if_match: str | None) -> int | None:
    """The version in an ``If-Match`` header (``3``, ``"3"`` or ``W/"3"``); ``*``/absent → None."""
    if if_match is None:
        return None
    raw = if_match.strip()
    if raw == "*":
        return None
    raw = raw.removeprefix("W/").strip('"')
    if not (raw.isascii() and raw.isdigit() and len(raw) <= MAX_VERSION_DIGITS):
        raise InvalidInput.one(
            "If-Match", "If-Match must be the record's version number, e.g. 3", "invalid"
        )
    return int(raw)


def record_location(request: Request, spec: KindSpec, record_id: object) -> str:
    root = str(request.scope.get("root_path", "")).rstrip("/")
    return root + str(request.app.url_path_for(f"get_{spec.kind}", id=str(record_id)))


def _list_signature(spec: KindSpec) -> tuple[inspect.Signature, dict[str, str]]:
    """The list route's parameters: the person, ``q``, ``limit``, ``cursor`` and one query
    parameter per filter of the kind (documented in OpenAPI). Returns the signature and the
    map from Python parameter names to filter names."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [
        inspect.Parameter("user", keyword, annotation=CurrentUser),
        inspect.Parameter("ctx", keyword, annotation=Ctx),
        inspect.Parameter(
            "q",
            keyword,
            default=None,
            annotation=Annotated[
                str | None,
                Query(
                    max_length=200,
                    description="search words; contacts also match by pinyin and initials",
                ),
            ],
        ),
        inspect.Parameter(
            "limit",
            keyword,
            default=DEFAULT_LIMIT,
            annotation=Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")],
        ),
        inspect.Parameter(
            "cursor",
            keyword,
            default=None,
            annotation=Annotated[
                str | None,
                Query(max_length=500, description="`next_cursor` of the previous page"),
            ],
        ),
    ]
    names: dict[str, str] = {}
    for index, (name, flt) in enumerate(spec.filters.items()):
        param = f"filter_{index}"
        names[param] = name
        query = Query(alias=name, description=flt.description)
        annotation = Annotated[filter_type(flt) | None, query]  # type: ignore[valid-type]
        params.append(inspect.Parameter(param, keyword, default=None, annotation=annotation))
    return inspect.Signature(params), names


def filter_type(flt: Filter) -> Any:
    """The query parameter's type, so OpenAPI documents it and FastAPI checks it."""
    if flt.type == "boolean":
        return bool
    if flt.type == "uuid":
        return UUID
    if flt.type == "choice" and flt.choices:
        return Literal[flt.choices]
    return Annotated[str, StringConstraints(max_length=200)]


def filter_value(value: object) -> str:
    """The raw string the store's ``Filter.terms`` parses."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _list_route(spec: KindSpec) -> Callable[..., Any]:
    signature, filter_names = _list_signature(spec)

    def list_records(**kwargs: Any) -> Any:
        user, ctx = kwargs["user"], kwargs["ctx"]
        filters = {
            name: filter_value(kwargs[param])
            for param, name in filter_names.items()
            if kwargs[param] is not None
        }
        page = ctx.records.list(
            user.id,
            spec.kind,
            q=kwargs["q"],
            filters=filters or None,
            limit=kwargs["limit"],
            cursor=kwargs["cursor"],
        )
        return {"items": [r.public() for r in page.items], "next_cursor": page.next_cursor}

    list_records.__signature__ = signature  # type: ignore[attr-defined]
    return list_records


def _create_route(spec: KindSpec, new_model: type[BaseModel]) -> Callable[..., Any]:
    def create_record(
        body: new_model,  # type: ignore[valid-type]
        user: CurrentUser,
        ctx: Ctx,
        request: Request,
        response: Response,
    ) -> Any:
        data = body.model_dump(exclude={"id"})  # type: ignore[attr-defined]
        record_id = body.id  # type: ignore[attr-defined]
        public = ctx.records.create(user.id, spec.kind, data, record_id=record_id).public()
        response.headers["Location"] = record_location(request, spec, public["id"])
        return public

    return create_record


def _get_route(spec: KindSpec) -> Callable[..., Any]:
    def get_record(record_id: RecordId, user: CurrentUser, ctx: Ctx) -> Any:
        return ctx.records.get(user.id, spec.kind, record_id).public()

    return get_record


def _update_route(spec: KindSpec, patch_model: type[BaseModel]) -> Callable[..., Any]:
    def update_record(
        record_id: RecordId,
        body: patch_model,  # type: ignore[valid-type]
        user: CurrentUser,
        ctx: Ctx,
        if_match: IfMatch = None,
    ) -> Any:
        # Only the keys the client sent, explicit nulls included (null clears a field).
        patch = body.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        version = expected_version(if_match)
        stored = ctx.records.update(user.id, spec.kind, record_id, patch, expected_version=version)
        return stored.public()

    return update_record


def _delete_route(spec: KindSpec) -> Callable[..., Any]:
    def delete_record(
        record_id: RecordId, user: CurrentUser, ctx: Ctx, if_match: IfMatch = None
    ) -> Any:
        version = expected_version(if_match)
        return ctx.records.delete(user.id, spec.kind, record_id, expected_version=version).public()

    return delete_record


def _created_response(spec: KindSpec) -> dict[int | str, dict[str, Any]]:
    location = {"Location": {"schema": {"type": "string"}, "description": "its address"}}
    return {
        201: {"description": f"The new {spec.kind}", "headers": location},
        **error_responses(400, 401, 409, 422),
    }


def kind_router(spec: KindSpec) -> APIRouter:
    """The five routes of one kind, under ``/<plural>``; route names (and OpenAPI operation
    ids) are ``list_<kind>``, ``create_<kind>``, ``get_<kind>``, ``update_<kind>``,
    ``delete_<kind>``."""
    models = build_models(spec)
    router = APIRouter(prefix=f"/{spec.plural}", tags=[spec.plural])
    add, kind = router.add_api_route, spec.kind
    label = f"{spec.label_en} ({spec.label_zh})"
    add(
        "",
        _list_route(spec),
        methods=["GET"],
        name=f"list_{kind}",
        response_model=models.page,
        summary=f"List or search {spec.plural}: {label}",
        responses=error_responses(401, 422),
    )
    add(
        "",
        _create_route(spec, models.new),
        methods=["POST"],
        name=f"create_{kind}",
        status_code=201,
        response_model=models.record,
        summary=f"Create a {kind}",
        responses=_created_response(spec),
    )
    add(
        "/{id}",
        _get_route(spec),
        methods=["GET"],
        name=f"get_{kind}",
        response_model=models.record,
        summary=f"One {kind}",
        responses=error_responses(401, 404, 422),
    )
    add(
        "/{id}",
        _update_route(spec, models.patch),
        methods=["PATCH"],
        name=f"update_{kind}",
        response_model=models.record,
        summary=f"Change a {kind}: send only the fields that change (null clears)",
        responses=error_responses(400, 401, 404, 409, 422),
    )
    add(
        "/{id}",
        _delete_route(spec),
        methods=["DELETE"],
        name=f"delete_{kind}",
        response_model=models.tombstone,
        summary=f"Delete a {kind} (it becomes a tombstone)",
        responses=error_responses(401, 404, 409, 422),
    )
    return router


def kind_routers() -> list[APIRouter]:
    """One router per kind, in ``KINDS`` order."""
    return [kind_router(spec) for spec in KINDS.values()]
