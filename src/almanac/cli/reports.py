"""``almanac reports …``: operators read the error reports the apps sent (R10; issue 6 §4),
straight from the server's database (``--db``/``--data-dir`` like ``almanac user``).

``almanac reports`` (or ``reports list``) prints the newest first (``--limit``, ``--since
DATE``, ``--json``); ``almanac reports show ID`` prints one report with its traceback (ID:
the report's UUID or its number)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from almanac.cli.client_opts import JsonOption
from almanac.cli.errors import run_guarded
from almanac.cli.options import DataDirOption, DbOption, server_settings
from almanac.cli.output import echo_json
from almanac.errors import InvalidInput

if TYPE_CHECKING:
    from almanac.server.reports import ReportStore, StoredReport

T = TypeVar("T")

app = typer.Typer(
    help="Read the error reports sent by the apps (operators).",
    invoke_without_command=True,
)

LimitOption = Annotated[
    int, typer.Option("--limit", help="At most this many reports (1–1000).", min=1, max=1000)
]
SinceOption = Annotated[
    str | None,
    typer.Option("--since", help="Only reports received on or after this date (YYYY-MM-DD)."),
]


def parse_since(text: str | None) -> datetime | None:
    """``YYYY-MM-DD`` (midnight UTC) or an ISO date-time; ``InvalidInput`` naming ``since``."""
    if text is None:
        return None
    try:
        if len(text.strip()) == 10:
            day = date.fromisoformat(text.strip())
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput.one("since", "since must be a date, YYYY-MM-DD", "not_a_date") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def with_store(db: str | None, data_dir: Path | None, use: Callable[[ReportStore], T]) -> T:
    """Run ``use`` with the server database's report store (migrated first)."""
    from almanac.server.db import migrate
    from almanac.server.db.engine import make_engine
    from almanac.server.reports import ReportStore

    settings = server_settings(db, data_dir)
    engine = make_engine(settings.database_url())
    try:
        migrate.upgrade(engine)
        return use(ReportStore(engine))
    finally:
        engine.dispose()


@app.callback()
def reports(
    ctx: typer.Context,
    limit: LimitOption = 50,
    since: SinceOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """List the error reports, newest first (the same as ``almanac reports list``)."""
    if ctx.invoked_subcommand is None:
        list_reports(limit, since, as_json, db, data_dir)


@app.command("list")
def list_reports(
    limit: LimitOption = 50,
    since: SinceOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """List the error reports, newest first."""

    def work() -> None:
        found = with_store(db, data_dir, lambda s: s.list(limit, parse_since(since)))
        if as_json:
            echo_json([r.as_dict() for r in found])
            return
        print_list(found)

    run_guarded(work)


@app.command("show")
def show(
    report: Annotated[str, typer.Argument(help="The report's UUID or number (from the list).")],
    as_json: JsonOption = False,
    db: DbOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Show one error report with its traceback."""

    def work() -> None:
        found = with_store(db, data_dir, lambda s: s.get(report))
        if as_json:
            echo_json(found.as_dict())
            return
        print_one(found)

    run_guarded(work)


def print_list(found: list[StoredReport]) -> None:
    """One line per report: number, received (UTC), source and version, error type, what."""
    if not found:
        typer.echo("没有错误报告 (no error reports).")
        return
    width = max(len(str(r.id)) for r in found)
    for r in found:
        when = r.received_at.strftime("%Y-%m-%d %H:%M")
        typer.echo(
            f"#{r.id:<{width}}  {when}  {r.source} {r.app_version}  {r.error_type}  {r.what}"
        )
    typer.echo(f"{len(found)} 条 (reports); almanac reports show <#> 看详情 (for one).")


def print_one(r: StoredReport) -> None:
    lines = [
        f"report:   {r.report_id} (#{r.id})",
        f"received: {r.received_at.isoformat()}",
        f"source:   {r.source} {r.app_version}",
        f"os:       {r.os}",
        f"what:     {r.what}",
        f"error:    {r.error_type}",
        f"message:  {r.message}",
        "",
        r.traceback,
    ]
    typer.echo("\n".join(lines).rstrip())
