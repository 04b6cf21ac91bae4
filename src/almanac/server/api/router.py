"""The JSON API's one router (mounted at ``/api/v1`` by ``create_app``): accounts, then one
router per record kind from ``almanac.model.KINDS``, the calendar, sync and its conflicts,
the person's settings, error reports and the support contact."""

from __future__ import annotations

from fastapi import APIRouter

from almanac.server.api import auth, calendar, conflicts, reports, settings, sync
from almanac.server.api.records import kind_routers


def api_router() -> APIRouter:
    router = APIRouter()
    router.include_router(auth.router)
    for kind_router in kind_routers():
        router.include_router(kind_router)
    router.include_router(calendar.router)
    router.include_router(sync.router)
    router.include_router(conflicts.router)
    router.include_router(settings.router)
    router.include_router(reports.router)
    return router
