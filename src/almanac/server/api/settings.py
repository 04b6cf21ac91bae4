"""The caller's own settings (R3; ``almanac.model.preferences``): ``GET /settings`` gives all
of them (defaults included) and when they last changed; ``PATCH /settings`` changes the
fields given (``null`` resets one to its default), last writer wins field by field, and
answers the whole result. A bad field is a 422 naming it; nothing changes then."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field

from almanac.model.preferences import Preferences
from almanac.server.api.deps import Ctx, CurrentUser
from almanac.server.api.schemas import error_responses

router = APIRouter(tags=["settings"])


class SettingsOut(BaseModel):
    settings: Preferences
    updated_at: datetime | None = Field(
        description="when the person last changed a setting; null: never (all defaults)"
    )


@router.get(
    "/settings",
    response_model=SettingsOut,
    summary="This person's settings (language, clock, week start, start page, festivals, zone)",
    responses=error_responses(401),
)
def get_settings(user: CurrentUser, ctx: Ctx) -> SettingsOut:
    prefs, updated_at = ctx.preferences.get_with_time(user.id)
    return SettingsOut(settings=prefs, updated_at=updated_at)


@router.patch(
    "/settings",
    response_model=SettingsOut,
    summary="Change some settings: only the fields given; null resets one to its default",
    responses=error_responses(400, 401, 422),
)
def patch_settings(
    user: CurrentUser,
    ctx: Ctx,
    patch: dict[str, Any] = Body(
        ..., examples=[{"language": "en", "clock_format": "12h", "festivals_hidden": ["qixi"]}]
    ),
) -> SettingsOut:
    ctx.preferences.update(user.id, patch)
    prefs, updated_at = ctx.preferences.get_with_time(user.id)
    return SettingsOut(settings=prefs, updated_at=updated_at)
