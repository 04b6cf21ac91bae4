"""Entry point of the ``almanac`` console command."""

from __future__ import annotations

import typer

from almanac import __version__
from almanac.cli import app as desktop_app
from almanac.cli import (
    calendar,
    conflicts,
    records,
    reports,
    serve,
    session,
    settings,
    upcoming,
    user,
)
from almanac.cli.client_opts import root_options
from almanac.cli.errors import run_guarded

app = typer.Typer(
    name="almanac",
    help="Almanac 个人助理: address book, memos, birthdays and holidays (lunar too), calendar.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.callback()(root_options)
app.command("serve")(serve.serve)
app.command("app")(desktop_app.app_command)
app.add_typer(user.app, name="user")
app.add_typer(reports.app, name="reports")
app.command("lunar")(calendar.lunar)
app.command("solar")(calendar.solar)
app.add_typer(calendar.app, name="calendar")
app.command("upcoming")(upcoming.upcoming)
session.add_to(app)
app.add_typer(conflicts.app, name="conflicts")
app.add_typer(settings.app, name="settings")
records.add_to(app)


@app.command("version")
def version() -> None:
    """Print Almanac's version."""
    typer.echo(__version__)


def main() -> None:
    run_guarded(app)


if __name__ == "__main__":
    main()
