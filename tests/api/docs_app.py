"""The app factory ``uvicorn --factory`` runs for the /docs browser test: configured only by
``ALMANAC_*`` environment variables."""

from __future__ import annotations

from fastapi import FastAPI

from almanac.server.app import create_app
from almanac.server.settings import ServerSettings


def make_app() -> FastAPI:
    return create_app(ServerSettings())
