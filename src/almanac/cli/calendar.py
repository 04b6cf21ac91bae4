"""``almanac lunar``, ``almanac solar`` and ``almanac calendar month`` (issue 4 item 7; R7):
the Chinese calendar in the terminal, from ``almanac.calendar`` (no server). Only ``calendar
month``, when a profile is logged in and its password given without a prompt, reads the
person's copy on this device (offline): their settings and their items of each day
(birthdays — those typed on contacts too —, holidays, events, memos due). Every command takes
``--json``. Bad input is one line on stderr and exit 2
(``almanac.cli.errors.run_guarded``).

``almanac upcoming`` needs the person's records: it is in ``almanac.cli.upcoming`` (from the
local store).
"""

from __future__ import annotations

import json
import os
import re
from datetime import date, datetime, timedelta
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from almanac.calendar import Agenda
from almanac.calendar.agenda import Day, Item
from almanac.calendar.festivals import Festival, festivals_on
from almanac.calendar.lunar import (
    SOLAR_MAX,
    SOLAR_MIN,
    LunarDate,
    day_name,
    month_name,
    to_lunar,
    to_solar,
)
from almanac.calendar.statutory import DayStatus, builtin
from almanac.calendar.terms import SolarTerm, term_on
from almanac.cli.client_opts import (
    Common,
    HomeOption,
    PasswordStdinOption,
    common,
    open_client,
)
from almanac.cli.errors import run_guarded
from almanac.errors import InvalidInput
from almanac.model.event import DEFAULT_TIMEZONE, zone
from almanac.model.preferences import Preferences

app = typer.Typer(help="The Chinese calendar: a month grid.", no_args_is_help=True)

WEEKDAYS = "一二三四五六日"
NEXT_COUNT = 3  # `almanac solar` without --year: this many dates from today on

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _today() -> date:
    return datetime.now(zone(DEFAULT_TIMEZONE)).date()


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def parse_day(text: str, field: str = "date") -> date:
    """A solar day from ``YYYY-MM-DD``; ``InvalidInput`` naming ``field`` otherwise."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            pass
    raise InvalidInput.one(field, f"{field} must be a date YYYY-MM-DD, not {text!r}", "invalid")


# -- JSON shapes (the same fields as the API's) ----------------------------------------------


def lunar_json(value: LunarDate | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "year": value.year,
        "month": value.month,
        "day": value.day,
        "leap": value.leap,
        "text": value.text,
        "full_text": value.full_text,
        "ganzhi": value.ganzhi,
        "zodiac": value.zodiac,
    }


def _terms_json(terms: tuple[SolarTerm, ...] | list[SolarTerm]) -> list[dict[str, str]]:
    return [{"key": t.key, "name": t.name, "moment": t.moment.isoformat()} for t in terms]


def _festivals_json(festivals: tuple[Festival, ...] | list[Festival]) -> list[dict[str, str]]:
    return [{"id": f.id, "name": f.name} for f in festivals]


def status_json(status: DayStatus) -> dict[str, Any]:
    return {
        "kind": status.kind,
        "name": status.name,
        "makeup": status.makeup,
        "off": status.off,
        "published": status.published,
    }


def status_mark(status: DayStatus) -> str:
    """休 for a statutory day off, 班 for a 调休 make-up workday, else nothing."""
    if status.kind == "holiday":
        return "休"
    if status.makeup:
        return "班"
    return ""


# -- almanac lunar ---------------------------------------------------------------------------


def lunar(
    day: Annotated[str, typer.Argument(help="A solar date, YYYY-MM-DD (1901–2099).")],
    as_json: JsonOption = False,
) -> None:
    """The lunar date of a solar day, in Chinese, with 干支 year, zodiac, term and festivals."""
    run_guarded(lambda: _lunar(day, as_json))


def _lunar(text: str, as_json: bool) -> None:
    day = parse_day(text)
    ld = to_lunar(day)
    term = term_on(day)
    festivals = festivals_on(day)
    status = builtin().status(day)
    if as_json:
        _echo_json(
            {
                "date": day.isoformat(),
                "weekday": day.isoweekday(),
                "lunar": lunar_json(ld),
                "terms": _terms_json([term] if term else []),
                "festivals": _festivals_json(festivals),
                "status": status_json(status),
            }
        )
        return
    lines = [
        f"{day.isoformat()} 星期{WEEKDAYS[day.weekday()]}",
        f"农历{ld.text}  {ld.ganzhi}年 ({ld.zodiac}年)",
    ]
    if term is not None:
        lines.append(f"节气: {term.name} ({term.moment.strftime('%H:%M')})")
    if festivals:
        lines.append("节日: " + "、".join(f.name for f in festivals))
    mark = status_mark(status)
    if mark:
        lines.append(f"法定: {mark}" + (f" ({status.name})" if status.name else ""))
    elif not status.published:
        lines.append("法定: 尚未公布 (not yet published)")
    typer.echo("\n".join(lines))


# -- almanac solar ---------------------------------------------------------------------------


def solar(
    lunar_date: Annotated[
        str, typer.Option("--lunar", help="The lunar month and day, M-D (8-15 for 八月十五).")
    ],
    leap: Annotated[bool, typer.Option("--leap", help="The month is a leap month (闰月).")] = False,
    year: Annotated[
        int | None, typer.Option("--year", help="The lunar year (default: the next dates).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The solar date(s) of a lunar date: in lunar year --year, or the next ones from today."""
    run_guarded(lambda: _solar(lunar_date, leap, year, as_json))


def _parse_month_day(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{1,2})-(\d{1,2})\s*", text)
    if not match:
        raise InvalidInput.one("lunar", f"--lunar must be M-D such as 8-15, not {text!r}")
    month, day = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise InvalidInput.one(
            "lunar", f"the lunar month must be 1–12, not {month}", "out_of_range"
        )
    if not 1 <= day <= 30:
        raise InvalidInput.one("lunar", f"the lunar day must be 1–30, not {day}", "out_of_range")
    return month, day


def _solar(text: str, leap: bool, year: int | None, as_json: bool) -> None:
    month, day = _parse_month_day(text)
    found: list[tuple[int, date]] = []
    if year is not None:
        found.append((year, to_solar(year, month, day, leap)))
    else:
        today = _today()
        cycle = to_lunar(today).year
        while len(found) < NEXT_COUNT and cycle <= SOLAR_MAX.year:
            try:
                when = to_solar(cycle, month, day, leap)
            except InvalidInput:  # that year lacks the leap month or the 30th
                when = None
            if when is not None and when >= today:
                found.append((cycle, when))
            cycle += 1
    name = month_name(month, leap) + day_name(day)
    if as_json:
        _echo_json(
            {
                "lunar": {"month": month, "day": day, "leap": leap, "text": name},
                "dates": [
                    {"lunar_year": y, "date": d.isoformat(), "weekday": d.isoweekday()}
                    for y, d in found
                ],
            }
        )
        return
    if not found:
        typer.echo(f"农历{name}: no date in the supported years")
    for y, d in found:
        typer.echo(f"{d.isoformat()} 星期{WEEKDAYS[d.weekday()]}  (农历{y}年{name})")


# -- almanac calendar month ------------------------------------------------------------------


def _month_of(text: str | None) -> date:
    if text is None:
        return _today().replace(day=1)
    if re.fullmatch(r"\d{4}-\d{1,2}", text.strip()):
        y, m = (int(p) for p in text.strip().split("-"))
        if 1 <= m <= 12:
            first = date(y, m, 1)
            if SOLAR_MIN <= first <= SOLAR_MAX:
                return first
            raise InvalidInput.one(
                "month", f"month must be within {SOLAR_MIN.year}–{SOLAR_MAX.year}", "out_of_range"
            )
    raise InvalidInput.one("month", f"month must be YYYY-MM such as 2026-02, not {text!r}")


def _month_end(first: date) -> date:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _under_text(d: Day) -> str:
    """The line under a day number: the solar term, else a festival, else the lunar day (the
    month's name on its first day)."""
    if d.terms:
        return d.terms[0].name
    if d.festivals:
        return d.festivals[0].name
    if d.lunar is None:
        return ""
    return d.lunar.month_name if d.lunar.day == 1 else d.lunar.day_name


def _day_json(d: Day, mine: bool) -> dict[str, Any]:
    found = {
        "date": d.date.isoformat(),
        "weekday": d.date.isoweekday(),
        "lunar": lunar_json(d.lunar),
        "terms": _terms_json(d.terms),
        "festivals": _festivals_json(d.festivals),
        "status": status_json(d.status),
        "mark": status_mark(d.status),
    }
    if mine:
        found["items"] = [item_fields(i) for i in d.items]
    return found


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def item_fields(it: Item) -> dict[str, Any]:
    """One of the person's items as ``--json`` prints it (the API's Item)."""
    return {
        "day": it.day.isoformat(),
        "kind": it.kind,
        "title": it.title,
        "id": it.id,
        "all_day": it.all_day,
        "start": _iso(it.start),
        "end": _iso(it.end),
        "age": it.age,
        "nominal_age": it.nominal_age,
        "lunar_date": it.lunar_date,
        "moment": _iso(it.moment),
        "source": it.source,
    }


def _items_text(d: Day) -> str:
    """A cell's third line: the first of the person's items (4 characters), ``+N`` more."""
    if not d.items:
        return ""
    more = f"+{len(d.items) - 1}" if len(d.items) > 1 else ""
    return d.items[0].title[:4] + more


def month(
    ctx: typer.Context,
    which: Annotated[
        str | None, typer.Argument(metavar="[YYYY-MM]", help="The month (default: this month).")
    ] = None,
    as_json: JsonOption = False,
    home: HomeOption = None,
    password_stdin: PasswordStdinOption = False,
) -> None:
    """A month grid with lunar dates, terms and festivals under the solar days, 休/班 for
    statutory days off and make-up workdays, today highlighted. Monday first; logged in (the
    password in ALMANAC_PASSWORD or --password-stdin), the person's week start, festivals and
    time zone (R3, from this device's copy, offline)."""
    c = common(ctx, as_json, home, False, password_stdin)
    run_guarded(lambda: _month(which, as_json, *_person(c)))


def _person(c: Common) -> tuple[Preferences, Agenda | None]:
    """The person's settings and agenda when a profile is logged in here and its password is
    given without a prompt (the grid never asks for one); else the defaults and None."""
    from almanac.store.paths import current_profile, resolve_home

    if not (os.environ.get("ALMANAC_PASSWORD") or c.password_stdin):
        return Preferences(), None
    if current_profile(resolve_home(c.home)) is None:
        return Preferences(), None
    with open_client(c) as client:
        return client.preferences(), client.agenda()


def _month(which: str | None, as_json: bool, mine: Preferences, agenda: Agenda | None) -> None:
    today = datetime.now(zone(mine.time_zone)).date()
    first = _month_of(which) if which is not None else today.replace(day=1)
    last = _month_end(first)
    personal = agenda is not None  # the person's items too
    if agenda is None:
        hide, show = mine.festival_choice()
        agenda = Agenda(timezone=mine.time_zone, hide=hide, show=show)
    days = agenda.days(first, last)
    order = [(mine.week_start - 1 + i) % 7 for i in range(7)]  # Python weekdays, in columns
    if as_json:
        _echo_json(
            {
                "month": first.strftime("%Y-%m"),
                "today": today.isoformat(),
                "week_start": mine.week_start,
                "days": [_day_json(d, personal) for d in days],
            }
        )
        return
    years = []
    for d in (days[0], days[-1]):
        if d.lunar is not None and f"{d.lunar.ganzhi}年 ({d.lunar.zodiac}年)" not in years:
            years.append(f"{d.lunar.ganzhi}年 ({d.lunar.zodiac}年)")
    title = f"{first.year}年{first.month}月  " + " – ".join(years)
    table = Table(title=title, show_lines=True, padding=(0, 1))
    for i in order:
        red = "red" if i >= 5 else None
        table.add_column(WEEKDAYS[i], justify="center", style=red, min_width=6)
    row: list[Text] = [Text("") for _ in range(order.index(first.weekday()))]
    for d in days:
        cell = Text()
        number_style = "bold"
        if d.status.kind == "holiday":
            number_style = "bold red"
        cell.append(f"{d.date.day:>2}", style=number_style)
        mark = status_mark(d.status)
        if mark:
            cell.append(mark, style="green" if mark == "休" else "yellow")
        cell.append("\n")
        under = _under_text(d)
        cell.append(under, style="magenta" if (d.terms or d.festivals) else "dim")
        if personal:
            cell.append("\n" + _items_text(d), style="cyan")
        if d.date == today:
            cell.stylize("reverse")
        row.append(cell)
        if len(row) == 7:
            table.add_row(*row)
            row = []
    if row:
        row.extend(Text("") for _ in range(7 - len(row)))
        table.add_row(*row)
    Console(highlight=False).print(table)
    unpublished = not days[0].status.published or not days[-1].status.published
    if unpublished:
        typer.echo("法定假日: 尚未公布 (the statutory schedule of this month is not yet published)")


app.command("month")(month)
