"""``almanac upcoming [--days 30]`` (issue 4; R6, R7, R9): the next days' birthdays (with the
age they turn; those typed on contacts too, ``source: "contact"``), holidays, festivals,
events and memos due — from this device's local store, offline, built by ``Client.agenda``
(``almanac.client.agenda``) as the server's ``GET /upcoming`` builds it.
The JSON has the API's shape: ``{today, timezone, items: [item + days_until]}``. The person's
settings (R3: time zone, hidden and shown festivals) apply; ``--tz`` and ``--hide`` override
and add."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer

from almanac.calendar.festivals import check_ids
from almanac.cli import output
from almanac.cli.calendar import WEEKDAYS, item_fields, parse_day
from almanac.cli.client_opts import (
    DebugOption,
    HomeOption,
    JsonOption,
    PasswordStdinOption,
    common,
    open_client,
)
from almanac.cli.words import t
from almanac.errors import InvalidInput
from almanac.model.event import zone

KIND_WORDS = {
    "festival": "节日",
    "term": "节气",
    **{kind: zh for kind, (zh, _) in output.RECORD_WORDS.items()},  # birthday 生日 …
}


def item_json(u: Any) -> dict[str, Any]:
    return {**item_fields(u.item), "days_until": u.days_until}


def _line(u: Any) -> str:
    it = u.item
    when = {0: "今天", 1: "明天", 2: "后天"}.get(u.days_until, f"{u.days_until}天后")
    day = f"{it.day.month:>2}月{it.day.day:>2}日 周{WEEKDAYS[it.day.weekday()]}"
    extra = ""
    if it.kind == "birthday" and it.age is not None:
        extra = f"  {it.age}周岁" + (f"（虚岁{it.nominal_age}）" if it.nominal_age else "")
    elif it.kind == "holiday" and it.age:
        extra = f"  {it.age}周年"
    elif it.kind == "event" and not it.all_day and isinstance(it.start, datetime):
        extra = f"  {it.start.strftime('%H:%M')}"
    elif it.kind == "memo" and it.moment is not None:
        extra = f"  {it.moment.strftime('%H:%M')} 到期"
    lunar = "（农历）" if it.lunar_date else ""
    kind = "联系人生日" if it.source == "contact" else KIND_WORDS[it.kind]
    return f"{day}  {when:<5} {kind}  {it.title}{lunar}{extra}"


def upcoming(
    ctx: typer.Context,
    days: Annotated[int, typer.Option("--days", min=1, max=366, help="往后看几天 (1–366).")] = 30,
    today: Annotated[
        str | None, typer.Option("--today", help="从哪天算起 YYYY-MM-DD（默认：今天）.")
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option("--tz", help="时区 (IANA)，默认：个人设置的时区 (Asia/Shanghai)."),
    ] = None,
    hide: Annotated[
        str | None,
        typer.Option("--hide", help="再隐藏的节日 id，逗号分隔：qixi,yuandan（个人设置之外）."),
    ] = None,
    password_stdin: PasswordStdinOption = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
    debug: DebugOption = False,
) -> None:
    """接下来几天：生日（满几岁）、纪念日、节日、日程和到期的备忘，从本机数据算出（离线可用）。"""
    c = common(ctx, as_json, home, debug, password_stdin)

    def body() -> None:
        if tz is not None:
            try:
                zone(tz)
            except KeyError:
                raise InvalidInput.one(
                    "--tz", f"--tz {t('不是时区名', 'is not a zone')}: {tz!r}"
                ) from None
        hidden = check_ids([p.strip() for p in (hide or "").split(",") if p.strip()], "--hide")
        with open_client(c) as client:
            # the person's zone and festivals (R3), offline copy; --tz and --hide over them
            agenda = client.agenda(tz=tz, hide=hidden)
        where = agenda.timezone
        first = parse_day(today, "--today") if today else datetime.now(agenda.zone).date()
        items = agenda.upcoming(first, days)
        if c.as_json:
            output.echo_json(
                {
                    "today": first.isoformat(),
                    "timezone": where,
                    "items": [item_json(u) for u in items],
                }
            )
            return
        out = output.console()
        if not items:
            out.print(t(f"接下来 {days} 天没有安排。", f"Nothing in the next {days} days."))
        for u in items:
            out.print(_line(u), markup=False)

    c.run(body)
