"""``almanac user …``: operator commands for accounts (R1).

The password never comes from a command-line argument (it would show in ``ps`` and shell
history): it is read from ``ALMANAC_PASSWORD``, from standard input with ``--password-stdin``,
or from a hidden prompt."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from almanac.cli.errors import run_guarded
from almanac.cli.options import DataDirOption, DbOption, server_settings

app = typer.Typer(help="Manage accounts on this server.", no_args_is_help=True)


def read_password(from_stdin: bool) -> str:
    """ALMANAC_PASSWORD, else stdin (with --password-stdin), else a hidden prompt (twice)."""
    env = os.environ.get("ALMANAC_PASSWORD")
    if env:
        return env
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="The new account's user name.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    db: DbOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Create an account (the password from a prompt, stdin or ALMANAC_PASSWORD)."""
    from almanac.server.accounts import Accounts
    from almanac.server.db import migrate
    from almanac.server.db.engine import make_engine

    settings = server_settings(db, data_dir)
    password = read_password(password_stdin)
    engine = make_engine(settings.database_url())
    try:
        migrate.upgrade(engine)
        user = run_guarded(lambda: Accounts(engine, settings).register(name, password))
    finally:
        engine.dispose()
    typer.echo(f"created account {user.username} (id {user.id})")
