"""The caller's stored sync conflicts (R8, R14; docs/sync.md "Stored conflicts"):
``GET /conflicts?resolved=false|true`` lists them (``ConflictRecord``), oldest change first.
A conflict is settled by a sync push whose mutation ``resolves`` it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from almanac.server.api.deps import Ctx, CurrentUser
from almanac.server.api.schemas import error_responses
from almanac.server.sync import conflicts
from almanac.sync.protocol import ConflictRecord

router = APIRouter(tags=["sync"])


@router.get(
    "/conflicts",
    response_model=list[ConflictRecord],
    summary="This person's sync conflicts, open (default) or settled",
    responses=error_responses(401, 422),
)
def list_conflicts(
    user: CurrentUser,
    ctx: Ctx,
    resolved: Annotated[
        bool, Query(description="false: the open ones (default); true: the settled ones")
    ] = False,
) -> list[ConflictRecord]:
    return conflicts.listed(ctx.engine, user.id, resolved)
