"""The OpenAPI browser at ``/docs``, served with no internet (LAN use, R2, R13).

Swagger UI's files come from the ``fastapi-offline`` package (mounted under
``/docs/assets``), and the page has no inline script: ``/docs/init.js`` starts Swagger UI and
reads the schema's address from a ``data-`` attribute, so a ``script-src 'self'`` CSP holds.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).parent / "static"

_INIT_JS = """\
window.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: node.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
  });
});
"""


def _page(root: str, openapi_url: str, title: str) -> str:
    assets = f"{root}/docs/assets"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="icon" type="image/png" href="{assets}/favicon.png">
<link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{escape(root + openapi_url)}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{root}/docs/init.js"></script>
</body>
</html>
"""


def install(app: FastAPI) -> None:
    """Add ``/docs``, ``/docs/init.js`` and ``/docs/assets/*`` to ``app`` (not in the schema)."""
    openapi_url = app.openapi_url or "/openapi.json"
    title = f"{app.title} API"
    app.mount("/docs/assets", StaticFiles(directory=ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs_page(request: Request) -> HTMLResponse:
        root = str(request.scope.get("root_path", "")).rstrip("/")
        return HTMLResponse(_page(root, openapi_url, title))

    @app.get("/docs/init.js", include_in_schema=False)
    def docs_init() -> Response:
        return Response(_INIT_JS, media_type="text/javascript")
