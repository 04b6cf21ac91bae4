"""The sync routes (R8, R13, R14; ``docs/sync.md``), on the calling person's records only:

- ``GET /sync/pull?cursor=&limit=``: the changes after ``cursor`` (``PullResponse``);
- ``POST /sync/push``: a batch of mutations (``PushRequest`` → ``PushResponse``), one result
  per mutation; a mutation the server refuses is a ``rejected`` result, not an HTTP error.

The work is ``almanac.server.sync``; the messages are ``almanac.sync.protocol``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

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


@router.post(
    "/push",
    response_model=PushResponse,
    summary="Apply a batch of mutations",
    responses=error_responses(400, 401, 422),
)
def sync_push(body: PushRequest, user: CurrentUser, ctx: Ctx) -> Response:
    # The answer's JSON is made of each result's JSON, built for ``applied_mutations`` anyway
    # (``push_json``): FastAPI would dump and validate 500 results a second time.
    return Response(push_json(ctx.engine, user.id, body), media_type="application/json")
