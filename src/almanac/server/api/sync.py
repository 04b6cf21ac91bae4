"""The sync routes (R8, R13, R14; ``docs/sync.md``), on the calling person's records only:

- ``GET /sync/pull?cursor=&limit=``: the changes after ``cursor`` (``PullResponse``);
- ``POST /sync/push``: a batch of mutations (``PushRequest`` → ``PushResponse``), one result
  per mutation; a mutation the server refuses is a ``rejected`` result, not an HTTP error.

The work is ``almanac.server.sync``; the messages are ``almanac.sync.protocol``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from almanac.server.api.deps import Ctx, CurrentUser
from almanac.server.api.schemas import error_responses
from almanac.server.sync.pull import pull_json
from almanac.server.sync.push import push_json
from almanac.sync.protocol import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    PullResponse,
    PushRequest,
    PushResponse,
)

router = APIRouter(prefix="/sync", tags=["sync"])

MAX_CURSOR = 2**63 - 1


@router.get(
    "/pull",
    response_model=PullResponse,
    summary="The changes since a cursor",
    responses=error_responses(401, 422),
)
def sync_pull(
    user: CurrentUser,
    ctx: Ctx,
    cursor: Annotated[
        int, Query(ge=0, le=MAX_CURSOR, description="the last change number seen; 0: all")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
) -> Response:
    # The page's JSON is built from the stored rows (``pull_json``): no model in between.
    return Response(pull_json(ctx.engine, user.id, cursor, limit), media_type="application/json")


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's JSON schema with its ``$defs`` put in place of each ``$ref`` (the OpenAPI
    document's components hold only the models FastAPI parses or answers itself)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return walk({**defs[ref.removeprefix("#/$defs/")], **rest})
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return dict(walk(schema))


PUSH_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": _inlined(PushRequest.model_json_schema())}},
    }
}


async def _raw_body(request: Request) -> bytes:
    return await request.body()


def _push_request(body: Annotated[bytes, Depends(_raw_body)]) -> PushRequest:
    """The body parsed in one pass (``model_validate_json``: JSON straight into the model, as
    the client parses the answer) instead of FastAPI's JSON → dict → model; its errors are
    FastAPI's 422 for a body (``loc`` starting with ``body``)."""
    try:
        return PushRequest.model_validate_json(body)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        raise RequestValidationError(errors) from None


@router.post(
    "/push",
    response_model=PushResponse,
    summary="Apply a batch of mutations",
    responses=error_responses(400, 401, 422),
    openapi_extra=PUSH_BODY,
)
def sync_push(
    body: Annotated[PushRequest, Depends(_push_request)], user: CurrentUser, ctx: Ctx
) -> Response:
    # The answer's JSON is made of each result's JSON, built for ``applied_mutations`` anyway
    # (``push_json``): FastAPI would dump and validate 500 results a second time.
    answer = push_json(ctx.engine, user.id, body)
    if ctx.indexer is not None:
        ctx.indexer.poke(user.id)  # its terms brought up to date once the pushes pause
    return Response(answer, media_type="application/json")
