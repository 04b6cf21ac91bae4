"""``almanac serve``: the central server (JSON API + web pages) on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from almanac.cli.options import DataDirOption, DbOption, server_settings

_out = Console(highlight=False)


def serve(
    db: DbOption = None,
    data_dir: DataDirOption = None,
    host: Annotated[
        str | None, typer.Option(help="Address to listen on.", envvar="ALMANAC_HOST")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port.", envvar="ALMANAC_PORT")] = None,
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

    settings = server_settings(db, data_dir, host=host, port=port)
    app = create_app(settings, migrate=True)
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
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info", proxy_headers=True)


def _redacted(url: str) -> str:
    """A database URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
