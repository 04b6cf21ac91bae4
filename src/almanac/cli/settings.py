"""``almanac settings show [--json]`` and ``almanac settings set --language en --clock 12h
--week-start 7 --start-page calendar --hide-festival qixi --show-festival xiaonian_south
--time-zone Asia/Tokyo --reset FIELD`` (R3; issue 5 §3): the person's own settings, read and
changed in this device's local store (offline); ``almanac sync`` sends a change and brings
those made elsewhere (``almanac.client.preferences``)."""

from __future__ import annotations

from typing import Annotated, Any

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
from almanac.client.preferences import festival_patch
from almanac.errors import FieldProblem, InvalidInput
from almanac.model.preferences import Preferences

app = typer.Typer(
    help="个人设置：语言、时钟、每周第一天、首页、节日、时区 (your settings, R3).",
    no_args_is_help=True,
)

OPTIONS = {
    "language": "--language",
    "clock_format": "--clock",
    "clock_visible": "--clock-visible",
    "week_start": "--week-start",
    "start_page": "--start-page",
    "festivals_hidden": "--hide-festival",
    "festivals_shown": "--show-festival",
    "time_zone": "--time-zone",
}
"""Each setting's option; ``--reset`` takes the setting's name or its option's."""

LABELS = {
    "language": ("语言", "Language"),
    "clock_format": ("时钟格式", "Clock format"),
    "clock_visible": ("显示时钟", "Clock shown"),
    "week_start": ("每周第一天", "Week starts on"),
    "start_page": ("首页", "Start page"),
    "festivals_hidden": ("隐藏的节日", "Hidden festivals"),
    "festivals_shown": ("加显的节日", "Extra festivals shown"),
    "time_zone": ("时区", "Time zone"),
}


def _field_of(name: str) -> str:
    """``--reset`` input → the setting's name (``clock``, ``week-start``, ``time_zone``…)."""
    key = name.strip().lstrip("-")
    for field, option in OPTIONS.items():
        if key in (field, field.replace("_", "-"), option.lstrip("-")):
            return field
    choices = ", ".join(OPTIONS)
    raise InvalidInput.one("--reset", f"--reset {name!r}: choose one of {choices}", "not_a_choice")


def _named(exc: InvalidInput) -> InvalidInput:
    """The model's field names as this command's options."""
    problems = []
    for p in exc.problems:
        head = p.field.split(".")[0]
        option = OPTIONS.get(head, head)
        message = p.message.replace(p.field, option) if p.field else p.message
        problems.append(FieldProblem(option, message, p.code))
    return InvalidInput(problems)


def _show(prefs: Preferences, pending: dict[str, Any], as_json: bool) -> None:
    if as_json:
        output.echo_json({"settings": prefs.model_dump(mode="json"), "pending": pending})
        return
    out = output.console()
    data = prefs.model_dump(mode="json")
    for field, (zh, en) in LABELS.items():
        value = data[field]
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        mark = t("（未同步）", " (not synced)") if field in pending else ""
        out.print(f"{t(zh, en)}: {shown or t('（无）', '(none)')}{mark}", markup=False)
    if pending:
        out.print(t("本机的修改在下次 almanac sync 时发送。", "almanac sync sends the changes."))


@app.command("show")
def show(
    ctx: typer.Context,
    password_stdin: PasswordStdinOption = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
    debug: DebugOption = False,
) -> None:
    """显示个人设置（本机的副本，离线可用；标出还没同步的修改）。"""
    c = common(ctx, as_json, home, debug, password_stdin)

    def body() -> None:
        with open_client(c) as client:
            _show(client.preferences(), client.pending_preferences(), c.as_json)

    c.run(body)


@app.command("set")
def set_(
    ctx: typer.Context,
    language: Annotated[str | None, typer.Option("--language", help="zh-CN（默认）或 en.")] = None,
    clock: Annotated[str | None, typer.Option("--clock", help="24h 或 12h.")] = None,
    clock_visible: Annotated[
        bool | None,
        typer.Option("--clock-visible/--clock-hidden", help="显示或隐藏时钟."),
    ] = None,
    week_start: Annotated[
        int | None, typer.Option("--week-start", help="每周第一天：1 = 周一 … 7 = 周日.")
    ] = None,
    start_page: Annotated[
        str | None,
        typer.Option(
            "--start-page", help="首页：upcoming, calendar, contacts, memos, dates, events."
        ),
    ] = None,
    hide_festival: Annotated[
        list[str] | None,
        typer.Option("--hide-festival", help="不显示这个节日（id，可重复）：qixi."),
    ] = None,
    show_festival: Annotated[
        list[str] | None,
        typer.Option("--show-festival", help="显示这个节日（id，可重复）：xiaonian_south."),
    ] = None,
    time_zone: Annotated[
        str | None, typer.Option("--time-zone", help="时区 (IANA)：Asia/Shanghai.")
    ] = None,
    reset: Annotated[
        list[str] | None,
        typer.Option("--reset", metavar="FIELD", help="恢复默认值（可重复）：clock, language…"),
    ] = None,
    password_stdin: PasswordStdinOption = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
    debug: DebugOption = False,
) -> None:
    """修改个人设置：立即在本机生效，下次 almanac sync 时发给服务器（离线也能改）。"""
    c = common(ctx, as_json, home, debug, password_stdin)
    given = {
        "language": language,
        "clock_format": clock,
        "clock_visible": clock_visible,
        "week_start": week_start,
        "start_page": start_page,
        "time_zone": time_zone,
    }

    def body() -> None:
        patch: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
        for name in reset or []:
            patch[_field_of(name)] = None
        with open_client(c) as client:
            if hide_festival or show_festival:
                patch.update(
                    festival_patch(client.preferences(), hide_festival or (), show_festival or ())
                )
            if not patch and not (hide_festival or show_festival):
                raise InvalidInput.one(
                    "settings", t("没有要改的设置", "nothing to change"), "required"
                )
            try:
                prefs = client.set_preferences(patch)
            except InvalidInput as exc:
                raise _named(exc) from None
            _show(prefs, client.pending_preferences(), c.as_json)

    c.run(body)
