"""The app factory the browser test hands to ``uvicorn --factory``: the whole Almanac server,
configured only by ``ALMANAC_*`` environment variables (R13: a real server process)."""

from __future__ import annotations

from fastapi import FastAPI

from almanac.server.app import create_app
from almanac.server.settings import ServerSettings


def make_app() -> FastAPI:
    return create_app(ServerSettings())
