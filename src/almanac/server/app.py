"""The server's app factory: ``create_app(settings)`` builds the FastAPI app — engine,
migrations, the shared ``AppContext``, the JSON API under ``/api/v1``, the offline ``/docs``,
``/healthz``, the web pages, and the one exception-handling place (R13, R15). Its lifespan
runs the SQLite WAL checkpointer and the tombstone purge (at start-up, then daily) in
background threads, and loads the pinyin dictionaries in one at start-up; a serving process
(``serving=True``) then freezes its start-up heap and raises the collector's threshold
(``settle_heap``)."""

from __future__ import annotations

import gc
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Match, get_route_path
from starlette.types import Scope

import almanac
from almanac import collector
from almanac.calendar import Schedule, builtin, load_file
from almanac.model.search import warm_pinyin
from almanac.server import web
from almanac.server.accounts import Accounts
from almanac.server.api import docs, errors
from almanac.server.api.router import api_router
from almanac.server.api.schemas import HealthOut, error_responses
from almanac.server.context import AppContext
from almanac.server.db import migrate as db_migrate
from almanac.server.db.engine import WalCheckpointer, make_engine
from almanac.server.db.shared import SharedReads
from almanac.server.preferences import PreferencesStore
from almanac.server.records import RecordStore
from almanac.server.records.indexer import Indexer
from almanac.server.reports import RateLimit
from almanac.server.settings import ServerSettings
from almanac.server.sync import Purger
from almanac.server.web.errors import error_page

API_PREFIX = "/api/v1"


def build_context(settings: ServerSettings, *, migrate: bool = True) -> AppContext:
    """Make the engine (migrated when asked), the account manager and the record store."""
    schedule = holiday_schedule(settings)  # a bad operator file stops the start, first
    engine = make_engine(settings.database_url())
    if migrate:
        db_migrate.upgrade(engine)
    reads = SharedReads(engine)  # a page's reads share one connection (db.shared)
    return AppContext(
        settings=settings,
        engine=engine,
        reads=reads,
        accounts=Accounts(reads, settings),
        records=RecordStore(reads),
        preferences=PreferencesStore(reads),
        secret_key=settings.resolved_secret_key(),
        schedule=schedule,
        indexer=Indexer(engine),
    )


def holiday_schedule(settings: ServerSettings) -> Schedule:
    """The shipped official schedule, with the operator's file's years laid over it."""
    if settings.holiday_schedule is None:
        return builtin()
    return builtin().with_years(load_file(settings.holiday_schedule))


class ApiBranch(APIRouter):
    """The ``/api/v1`` branch of the route table: a request whose path lies outside it is
    turned away by one string test instead of every API route's pattern (a page would walk
    them all first: 0.15–0.5 ms of CPU per page, bench/web.py). Its routes stay the app's own
    routes, so the OpenAPI document, ``/docs`` and the error envelope see them as before."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = get_route_path(scope)
        if path != API_PREFIX and not path.startswith(API_PREFIX + "/"):
            return Match.NONE, {}
        return super().matches(scope)


def operation_id(route: APIRoute) -> str:
    """OpenAPI operation ids are the route names: ``list_contact``, ``create_token``…"""
    return route.name


GC_THRESHOLD = (50_000, 10, 10)
"""The collector's thresholds in a serving process (Python 3.11's default: 700, 10, 10)."""


def settle_heap() -> None:
    """Start-up work of a serving process, run in a thread: load pypinyin's dictionaries, then
    settle the garbage collector for serving (docs/web.md, "Speed", has the figures).

    - ``GC_THRESHOLD``: a young collection after 50,000 net new container objects instead of
      700. A page allocates and frees thousands of objects, nearly all freed by reference
      counting; at 700 the collector ran ~70 times a second per worker, promoted the objects
      of requests in flight, and so set off a full collection every second or two: ~3 s of
      CPU per worker in bench/web.py's 90 s. At 50,000 it runs a few times a minute; the
      older generations keep Python's thresholds.
    - ``gc.freeze()`` moves every object alive at that point (modules, dictionaries, routes,
      templates: ~340,000–390,000 per worker) into the permanent generation. A full
      collection walks every tracked object: with that heap each one paused a worker for
      0.2–0.5 s under load. These are start-up state that lives as long as the process; the
      few objects of the purger's or checkpointer's first run that are frozen with them are
      never collected, a bounded, one-time cost.
    - ``almanac.collector.paused`` becomes a no-op here: the agenda views' pauses, which
      overlap under load, would otherwise keep the collector off for long stretches."""
    warm_pinyin()
    gc.set_threshold(*GC_THRESHOLD)
    collector.leave_on()
    gc.collect()
    gc.freeze()


def create_app(settings: ServerSettings, *, migrate: bool = True, serving: bool = False) -> FastAPI:
    """The whole server as one ASGI app; ``app.state.ctx`` is its ``AppContext``.
    ``serving``: the app is the process's only one (``almanac serve`` and its workers), so its
    lifespan settles the collector (``settle_heap``); tests make many apps in one process and
    leave it off."""
    ctx = build_context(settings, migrate=migrate)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        checkpointer = WalCheckpointer(ctx.engine)
        checkpointer.start()
        purger = Purger(ctx.engine, settings.tombstone_days)
        purger.start()  # at start-up, then daily
        if ctx.indexer is not None:
            ctx.indexer.start()
        # pypinyin's dictionaries load on first use (~0.3 s CPU): at start-up, not in the
        # first request that writes a Chinese name (a push of 500 contacts, a new contact).
        warm = settle_heap if serving else warm_pinyin
        threading.Thread(target=warm, name="almanac-pinyin", daemon=True).start()
        yield
        if ctx.indexer is not None:
            ctx.indexer.stop()
        purger.stop()
        checkpointer.stop()
        ctx.engine.dispose()

    app = FastAPI(
        title="Almanac",
        version=almanac.__version__,
        summary="个人信息管理 — the Almanac server's JSON API",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
    )
    app.state.ctx = ctx
    app.state.report_limit = RateLimit(settings.reports_per_hour)  # POST /api/v1/reports
    errors.install(app, error_page)
    api = ApiBranch()
    api.include_router(api_router())
    app.include_router(api, prefix=API_PREFIX)

    @app.get(
        "/healthz",
        response_model=HealthOut,
        tags=["health"],
        summary="The server is up",
        responses=error_responses(),
    )
    def healthz() -> HealthOut:
        return HealthOut(status="ok")

    docs.install(app)
    web.install(app)
    return app
