"""``almanac serve``: the central server (JSON API + web pages) on uvicorn.

With ``--workers N`` (``ALMANAC_WORKERS``) above one, this process migrates the database and
makes the demo account first, then runs N uvicorn worker processes, handing each its settings
through ``ALMANAC_*`` variables (``worker_app``). On Linux each worker has its own listening
socket on the port (``SO_REUSEPORT``) and the kernel spreads the connections evenly; this
process binds them all before it starts the workers, passes Ctrl-C/SIGTERM on and starts again a
worker that dies (``cli/workers.py``). Elsewhere uvicorn's own workers share one socket."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from almanac.cli import workers as workers_mod
from almanac.cli.options import DataDirOption, DbOption, server_settings
from almanac.server.settings import ServerSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

_out = Console(highlight=False)


def serve(
    db: DbOption = None,
    data_dir: DataDirOption = None,
    host: Annotated[
        str | None, typer.Option(help="Address to listen on.", envvar="ALMANAC_HOST")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port.", envvar="ALMANAC_PORT")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Server processes (default 1); as many as the machine has cores serves the "
            "most pages at once.",
            envvar="ALMANAC_WORKERS",
            min=1,
            max=64,
        ),
    ] = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Also create a demo account full of Chinese sample data; print its login.",
        ),
    ] = False,
) -> None:
    """Start the server: migrates the database, then serves http://HOST:PORT (R13, R15)."""
    import uvicorn

    from almanac.server.app import create_app

    settings = server_settings(db, data_dir, host=host, port=port, workers=workers)
    app = create_app(settings, migrate=True, freeze=True)
    app.state.ctx.accounts.purge_expired()  # expired sessions, forgotten throttle entries
    url = f"http://{settings.host}:{settings.port}"
    _out.print(f"[bold]Almanac 个人助理[/] — server and web pages at [link={url}]{url}[/link]")
    _out.print(f"  database: {_redacted(settings.database_url())}")
    _out.print(f"  data folder: {settings.data_dir}")
    if demo:
        from almanac.server.demo import ensure_demo_account

        login = ensure_demo_account(app.state.ctx)
        _out.print(
            f"  demo account: user [bold]{login.username}[/] password [bold]{login.password}[/]"
            + ("" if login.created else " (already there)")
        )
    _out.print(f"  open {url} in a browser (phones too); API docs at {url}/docs")
    _out.print(f"  desktop app: almanac app --server {url}   (needs a desktop session)")
    if settings.workers > 1:
        _out.print(f"  {settings.workers} worker processes (stop with Ctrl-C or SIGTERM)")
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": "info",
        "access_log": settings.access_log,
        "proxy_headers": True,
    }
    if settings.workers == 1:
        uvicorn.run(app, **options)
        return
    app.state.ctx.engine.dispose()  # the workers open their own connections
    os.environ.update(_worker_env(settings))
    factory = f"{__name__}:worker_app"
    if not workers_mod.available():
        uvicorn.run(factory, factory=True, workers=settings.workers, **options)
        return
    try:
        sockets = workers_mod.listening_sockets(settings.host, settings.port, settings.workers)
    except OSError as error:
        _out.print(f"[red]cannot listen on {settings.host}:{settings.port}: {error.strerror}[/]")
        raise typer.Exit(1) from None
    raise typer.Exit(workers_mod.supervise(sockets, factory, options))


def _worker_env(settings: ServerSettings) -> dict[str, str]:
    """What a worker process needs to make the same settings as this one. Where the workers
    share one listening socket (not Linux) libuv (uvloop) accepts every waiting connection at
    once, so the worker that wakes first took up to all 50 of bench/web.py's connections while
    the other idled. ``UV_TCP_SINGLE_ACCEPT`` makes it take one and yield, so both take turns
    (bench/web.py: the larger share of 50 connections was 25–50, mean 37; now 27–41, mean
    33, on a busy machine). With a socket per worker it changes nothing."""
    env = {
        "ALMANAC_DATA_DIR": str(settings.data_dir),
        "ALMANAC_DB": settings.database_url(),
        "UV_TCP_SINGLE_ACCEPT": "1",
    }
    if settings.secret_key is None:  # the same key for every worker (CSRF tokens)
        env["ALMANAC_SECRET_KEY"] = settings.resolved_secret_key()
    return env


def worker_app() -> FastAPI:
    """The app of one worker process (``--workers`` above one): its settings come from the
    ``ALMANAC_*`` variables the serving process set; the database is already migrated."""
    from almanac.server.app import create_app

    return create_app(ServerSettings(), migrate=False, freeze=True)


def _redacted(url: str) -> str:
    """A database URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
