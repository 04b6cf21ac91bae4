"""The options every client command takes (``--json``, ``--home DIR``, ``--debug``,
``--password-stdin``), the root's ``--home``/``--debug``, reading the password, and opening
the ``almanac.client.Client`` of the current profile.

The password is never an argument: ``ALMANAC_PASSWORD``, else the first line of standard
input with ``--password-stdin``, else a hidden prompt.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from almanac.cli.errors import run_guarded
from almanac.cli.words import t

if TYPE_CHECKING:
    from almanac.client.facade import Client

JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON (print JSON).")]
HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        help="资料夹：本机数据放在这里 (the profile folder; default ALMANAC_HOME or the "
        "user-data folder).",
        file_okay=False,
    ),
]
DebugOption = Annotated[
    bool, typer.Option("--debug", help="出错时显示完整的 traceback (show tracebacks).")
]
PasswordStdinOption = Annotated[
    bool,
    typer.Option("--password-stdin", help="从标准输入读密码 (read the password from stdin)."),
]


@dataclass(frozen=True)
class Common:
    """The shared options of one call, the root's ``--home``/``--debug`` folded in."""

    as_json: bool = False
    home: Path | None = None
    debug: bool = False
    password_stdin: bool = False

    def run(self, fn: Callable[[], None]) -> None:
        run_guarded(fn, debug=self.debug)


def common(
    ctx: typer.Context | None,
    as_json: bool = False,
    home: Path | None = None,
    debug: bool = False,
    password_stdin: bool = False,
) -> Common:
    obj = (ctx.find_root().obj if ctx is not None else None) or {}
    return Common(
        as_json=as_json,
        home=home if home is not None else obj.get("home"),
        debug=debug or bool(obj.get("debug")),
        password_stdin=password_stdin,
    )


def root_options(
    ctx: typer.Context,
    home: HomeOption = None,
    debug: DebugOption = False,
) -> None:
    """Almanac 个人助理: address book, memos, birthdays and holidays (lunar too), calendar."""
    ctx.obj = {"home": home, "debug": debug}


def read_password(from_stdin: bool, prompt: str | None = None) -> str:
    """ALMANAC_PASSWORD, else the first line of stdin (``--password-stdin``), else a prompt."""
    env = os.environ.get("ALMANAC_PASSWORD")
    if env:
        return env
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt(prompt or t("密码", "Password"), hide_input=True))


def transport_factory(timeout: float | None = None) -> Callable[[str], Any]:
    """The HTTP transport factory (``almanac.remote``, imported only when a command needs
    it), with ``timeout`` when given."""
    from almanac.remote import HttpTransport

    return HttpTransport if timeout is None else partial(HttpTransport, timeout=timeout)


def open_client(c: Common, timeout: float | None = None) -> Client:
    """The current profile's client, offline; NotLoggedIn, WrongPassword."""
    from almanac.client.facade import Client

    password = read_password(c.password_stdin)
    client = Client.open(password, home=c.home, transport=transport_factory(timeout))
    if client.rebuilt_from is not None:  # on stderr: a --json answer stays clean
        try:
            words = rebuilt_words(client.rebuilt_from, client.rebuild_waiting())
        except BaseException:
            client.close()
            raise
        print(f"{t('提示', 'notice')}: {words}", file=sys.stderr)
    return client


def rebuilt_words(aside: Any, waiting: bool = False) -> str:
    """What a person is told when the store was found damaged; ``waiting``: offline, so the
    records come back from the server at the next sync."""
    zh_how = "联网后同步时从服务器重建" if waiting else "并从服务器重建"
    en_how = "rebuilt from the server at the next sync" if waiting else "rebuilt from the server"
    return t(
        f"本机数据文件损坏了，已移到 {aside}（没有删除），{zh_how}；没同步的修改能读出的都保留了",
        f"the store was damaged: moved to {aside} (not deleted), {en_how};"
        " every unsynced edit that could be read was kept",
    )


COMMON_PARAMS = (
    ("as_json", JsonOption, False),
    ("home", HomeOption, None),
    ("debug", DebugOption, False),
    ("password_stdin", PasswordStdinOption, False),
)


def common_parameters() -> list[inspect.Parameter]:
    """The context and the shared options as keyword parameters, for generated signatures."""
    kw = inspect.Parameter.KEYWORD_ONLY
    return [
        inspect.Parameter("ctx", kw, annotation=typer.Context),
        *(
            inspect.Parameter(name, kw, annotation=ann, default=default)
            for name, ann, default in COMMON_PARAMS
        ),
    ]


def pop_common(values: dict[str, Any]) -> Common:
    ctx = values.pop("ctx")
    return common(ctx, *(values.pop(name) for name, _, _ in COMMON_PARAMS))
