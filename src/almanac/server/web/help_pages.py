"""The help page and the web-app manifest (issue 5 §4, §6; R2, R10).

``/help`` explains each module and shows the customer-service contact from the server's
settings (``support_phone``, ``support_email``, ``support_hours``); until the operator sets
them the page shows the shipped defaults marked “示例”; only an operator (``ALMANAC_OPERATORS``)
is told which settings to change. It is open without logging in, so a
person who cannot log in still finds the contact. ``/manifest.webmanifest`` makes the pages
installable on a phone's home screen (icons in ``static/``).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from almanac.server.web import session
from almanac.server.web.render import render

router = APIRouter(include_in_schema=False)

MODULES = (
    "contacts", "memos", "dates", "events", "calendar", "upcoming", "settings", "sync", "desktop",
    "cli",
)  # fmt: skip
THEME_COLOUR = "#b4262c"
MANIFEST: dict[str, Any] = {
    "name": "个人助理 Almanac",
    "short_name": "Almanac",
    "description": "通讯录、备忘录、生日节日和日程 — 每台设备上都是同一份。",
    "lang": "zh-CN",
    "start_url": "/",
    "scope": "/",
    "display": "standalone",
    "theme_color": THEME_COLOUR,
    "background_color": "#f4f5f7",
    "icons": [
        {"src": "/static/icon-192.png", "sizes": "192x192", "type": "image/png"},
        {"src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png"},
        {"src": "/static/icon.svg", "sizes": "any", "type": "image/svg+xml"},
    ],
}
MANIFEST_BODY = json.dumps(MANIFEST, ensure_ascii=False, indent=2).encode()


@router.get("/help")
def help_page(request: Request) -> Response:
    found = session.current(request)
    user = found[0] if found is not None else None
    settings = request.app.state.ctx.settings
    context = {
        "modules": MODULES,
        "support": settings.support_contact(),
        "operator": user is not None and user.username in settings.operator_names(),
        "section": "help",
    }
    return render(request, "help.html", context, user=user)


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    return Response(
        MANIFEST_BODY,
        media_type="application/manifest+json",
        headers={"cache-control": "public, max-age=86400"},
    )
