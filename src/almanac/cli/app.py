"""``almanac app``: start the desktop app (issue 6; ``almanac.desktop``). Qt is imported only
here, when the command runs, so the rest of the CLI starts without it."""

from __future__ import annotations

from typing import Annotated

import typer

from almanac.cli.client_opts import DebugOption, HomeOption, common


def app_command(
    ctx: typer.Context,
    server: Annotated[
        str | None,
        typer.Option("--server", help="服务器地址，预先填入登录框 (the server, prefilled)."),
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="用户名，预先填入 (the user name, prefilled).")
    ] = None,
    home: HomeOption = None,
    debug: DebugOption = False,
) -> None:
    """打开桌面应用：登录框（服务器、用户名、密码），离线时用本机加密数据。"""
    c = common(ctx, False, home, debug)
    code = 0

    def body() -> None:
        nonlocal code
        from almanac.desktop.main import run

        code = run(c.home, server, user=user)

    c.run(body)
    raise typer.Exit(code)
