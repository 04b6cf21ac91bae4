"""``almanac conflicts`` (the table of unsettled conflicts) and ``almanac conflicts resolve ID
--keep VERSION`` (R8, issue 3 §3: the person sees a conflict and settles it by choosing a
version; the other value stays in the record's history)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import typer

from almanac.cli import output
from almanac.cli.client_opts import (
    DebugOption,
    HomeOption,
    JsonOption,
    PasswordStdinOption,
    common,
    open_client,
)
from almanac.cli.words import t
from almanac.errors import AlmanacError

app = typer.Typer(
    help="冲突：两处改了同一字段时，两边的值都保留着，等你选定 (conflicts).",
    invoke_without_command=True,
)


def _names(client: Any, conflicts: list[Any]) -> dict[UUID, str]:
    names: dict[UUID, str] = {}
    for c in conflicts:
        try:
            item = client.get(c.kind, c.record_id)
        except AlmanacError:
            continue
        content = item.content
        names[c.record_id] = str(content.get("name") or content.get("title") or "")
    return names


@app.callback()
def conflicts(
    ctx: typer.Context,
    show_all: Annotated[
        bool, typer.Option("--all", help="也列出已解决的冲突 (settled ones too).")
    ] = False,
    password_stdin: PasswordStdinOption = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
    debug: DebugOption = False,
) -> None:
    """列出未解决的冲突：id 前缀、类型、记录、字段、保留的值和版本、另一个值和版本。"""
    if ctx.invoked_subcommand is not None:
        return
    c = common(ctx, as_json, home, debug, password_stdin)

    def body() -> None:
        with open_client(c) as client:
            found = client.conflicts(resolved=None if show_all else False)
            if c.as_json:
                output.echo_json({"items": [output.conflict_json(x) for x in found]})
            else:
                output.print_conflicts(found, _names(client, found))

    c.run(body)


@app.command("resolve")
def resolve(
    ctx: typer.Context,
    conflict_id: Annotated[str, typer.Argument(metavar="ID", help="冲突的 id 或唯一前缀")],
    keep: Annotated[
        int, typer.Option("--keep", metavar="VERSION", help="要保留的版本号（表中的“版本”）")
    ],
    password_stdin: PasswordStdinOption = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
    debug: DebugOption = False,
) -> None:
    """选定一个冲突要保留的版本；另一个值仍留在记录的历史中。下次同步时告诉服务器。"""
    c = common(ctx, as_json, home, debug, password_stdin)

    def body() -> None:
        with open_client(c) as client:
            item = client.resolve(conflict_id, keep)
        if c.as_json:
            output.echo_json(output.item_json(item))
        else:
            output.print_item(item, t(f"已选定版本 {keep}：", f"kept version {keep}:"))
            output.console().print(t("运行 almanac sync 上传。", "Run almanac sync to send it."))

    c.run(body)
