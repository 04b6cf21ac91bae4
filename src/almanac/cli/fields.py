"""One table per kind: the ``add``/``edit`` options (one per field of the kind's model,
``almanac.model``) and how their values become content (R4–R7).

A ``FieldSpec`` owns one content field, the option(s) that set it and a ``build`` function
from the given raw values (and the field's current value, on ``edit``) to the new value.
Dates and times are parsed here only as far as the option syntax goes (``8-15``,
``闰4-15``); the model checks the rest and names the field, which ``option_for`` maps back
to the option name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any, Literal, Protocol

from almanac.cli.words import english, t
from almanac.errors import FieldProblem, InvalidInput

Shape = Literal["text", "multi", "flag", "int"]


class Resolver(Protocol):
    """Turns what the person typed for a linked record (a name or an id) into its id."""

    def group_id(self, text: str) -> str: ...

    def contact_id(self, text: str) -> str: ...


@dataclass(frozen=True)
class Opt:
    """One command-line option: ``--phone`` (``dest`` ``phone``)."""

    option: str
    help: str
    shape: Shape = "text"
    off: str | None = None  # a flag's negative form, e.g. ``--unpinned``
    metavar: str | None = None

    @property
    def dest(self) -> str:
        return self.option.lstrip("-").replace("-", "_")


Build = Callable[[Mapping[str, Any], Any, Resolver], Any]


@dataclass(frozen=True)
class FieldSpec:
    """A content field, its options and how their given values become the field's value."""

    field: str
    opts: tuple[Opt, ...]
    build: Build
    clear: Callable[[str, Any], Any] = dc_field(default=lambda name, current: None)

    @property
    def names(self) -> str:
        return "/".join(o.option for o in self.opts)


# -- parsing the option syntax ---------------------------------------------------------------

_MONTH_DAY = re.compile(r"^(?:(\d{1,4})-)?(闰|[Ll])?(\d{1,2})-(\d{1,2})$")
_LUNAR_PREFIX = re.compile(r"^(农历|阴历|lunar:)", re.I)
_SOLAR_PREFIX = re.compile(r"^(公历|阳历|solar:)", re.I)
_REMIND = re.compile(r"^(\d{1,3})(?:@(\d{1,2}:\d{2}|-))?$")


def bad(option: str, zh: str, en: str) -> InvalidInput:
    """``InvalidInput`` naming the option."""
    return InvalidInput.one(option, f"{option} {t(zh, en)}")


def month_day(text: str, option: str, lunar: bool) -> dict[str, Any]:
    """``[YYYY-][闰|L]M-D`` → a ``DateSpec`` dict (``闰``/``L`` only for lunar dates)."""
    match = _MONTH_DAY.fullmatch(text.strip())
    if not match or (match[2] and not lunar):
        raise bad(
            option,
            f"要写成 月-日，如 8-15（农历闰月写 闰4-15 或 L4-15，"
            f"可加年份 1990-8-15），不是 {text!r}",
            f"must be M-D such as 8-15 (a leap lunar month 闰4-15 or L4-15; a year may "
            f"lead: 1990-8-15), not {text!r}",
        )
    spec: dict[str, Any] = {
        "calendar": "lunar" if lunar else "solar",
        "month": int(match[3]),
        "day": int(match[4]),
        "leap": bool(match[2]),
    }
    if match[1]:
        spec["year"] = int(match[1])
    return spec


def date_text(text: str, option: str) -> dict[str, Any]:
    """A contact's ``--birthday``: solar ``[YYYY-]M-D``, lunar with a ``农历`` prefix."""
    text = text.strip()
    lunar = _LUNAR_PREFIX.match(text)
    if lunar:
        return month_day(text[lunar.end() :], option, lunar=True)
    solar = _SOLAR_PREFIX.match(text)
    return month_day(text[solar.end() :] if solar else text, option, lunar=False)


def labelled(text: str) -> dict[str, str]:
    """``手机:13800138000`` → ``{"label": "手机", "value": "13800138000"}``; no label: the
    model's default label."""
    for sep in (":", "："):
        label, found, value = text.partition(sep)
        if found and "@" not in label and not any(ch.isdigit() for ch in label):
            return {"label": label.strip(), "value": value.strip()}
    return {"value": text.strip()}


def reminder(text: str, option: str = "--remind") -> dict[str, Any]:
    """``N`` (N days before, 09:00), ``N@HH:MM``, ``N@-`` (at the item's own time)."""
    match = _REMIND.fullmatch(text.strip())
    if not match:
        raise bad(
            option,
            f"要写成 提前天数[@时:分]，如 0、1@20:00、0@-（按事项自己的时间），不是 {text!r}",
            f"must be DAYS[@HH:MM] such as 0, 1@20:00 or 0@- (the item's own time), not {text!r}",
        )
    out: dict[str, Any] = {"days_before": int(match[1])}
    if match[2] == "-":
        out["at"] = None
    elif match[2]:
        hh, mm = match[2].split(":")
        out["at"] = f"{int(hh):02d}:{mm}"
    return out


def move(text: str, option: str = "--move") -> dict[str, Any]:
    """``ORIGINAL=START[/END]`` → an event move."""
    original, found, rest = text.partition("=")
    if not found or not original.strip() or not rest.strip():
        raise bad(
            option,
            f"要写成 原开始=新开始[/新结束]，不是 {text!r}",
            f"must be ORIGINAL=START[/END], not {text!r}",
        )
    start, _, end = rest.partition("/")
    out = {"original": original.strip(), "start": start.strip()}
    if end.strip():
        out["end"] = end.strip()
    return out


def read_body(path: str) -> str:
    """The text of ``path`` (``-``: standard input), as UTF-8."""
    import sys

    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise bad("--body-file", f"读不了：{exc}", f"cannot be read: {exc}") from None


# -- the building blocks of the tables ------------------------------------------------------


def text(name: str, option: str, help: str) -> FieldSpec:
    opt = Opt(option, help)
    return FieldSpec(name, (opt,), lambda v, cur, r: v[opt.dest])


def number(name: str, option: str, help: str) -> FieldSpec:
    opt = Opt(option, help, "int")
    return FieldSpec(name, (opt,), lambda v, cur, r: v[opt.dest])


def flag(name: str, option: str, off: str, help: str) -> FieldSpec:
    opt = Opt(option, help, "flag", off)
    return FieldSpec(name, (opt,), lambda v, cur, r: v[opt.dest])


def many(name: str, option: str, help: str, each: Callable[[str], Any] = str) -> FieldSpec:
    opt = Opt(option, help, "multi")
    return FieldSpec(name, (opt,), lambda v, cur, r: [each(x) for x in v[opt.dest]])


def reminders(help_more: str = "") -> FieldSpec:
    opt = Opt(
        "--remind",
        "提醒（可重复）：提前天数[@时:分]，如 0、1@20:00；off 关掉提醒" + help_more,
        "multi",
        metavar="N[@HH:MM]",
    )

    def build(v: Mapping[str, Any], cur: Any, r: Resolver) -> Any:
        given = v[opt.dest]
        if [x.strip().lower() for x in given] in (["off"], ["关"]):
            return []
        return [reminder(x) for x in given]

    return FieldSpec("reminders", (opt,), build)


def dated() -> FieldSpec:
    """``date`` of birthdays and holidays: ``--solar M-D`` or ``--lunar M-D``, ``--year Y``."""
    solar = Opt("--solar", "公历 月-日，如 5-20", metavar="M-D")
    lunar = Opt("--lunar", "农历 月-日，如 8-15；闰月 闰4-15 或 L4-15", metavar="M-D")
    year = Opt("--year", "年份，如 1990（农历日期为农历年）", "int")

    def build(v: Mapping[str, Any], cur: Any, r: Resolver) -> Any:
        if "solar" in v and "lunar" in v:
            raise bad("--solar", "和 --lunar 只能给一个", "and --lunar: give only one")
        spec: dict[str, Any]
        if "solar" in v:
            spec = month_day(v["solar"], "--solar", lunar=False)
        elif "lunar" in v:
            spec = month_day(v["lunar"], "--lunar", lunar=True)
        elif cur:
            spec = dict(cur)
        else:
            raise bad("--solar", "或 --lunar：需要日期", "or --lunar: a date is needed")
        if "year" in v:
            spec["year"] = v["year"]
        elif "year" not in spec and cur and cur.get("year") is not None:
            spec["year"] = cur["year"]  # a new month-day keeps the year it had
        return spec

    def clear(name: str, cur: Any) -> Any:
        if name == "year" and cur:
            return {**cur, "year": None}
        return None

    return FieldSpec("date", (solar, lunar, year), build, clear)


def linked(name: str, option: str, help: str, how: str) -> FieldSpec:
    opt = Opt(option, help)

    def build(v: Mapping[str, Any], cur: Any, r: Resolver) -> Any:
        return r.contact_id(v[opt.dest]) if how == "contact" else r.group_id(v[opt.dest])

    return FieldSpec(name, (opt,), build)


def body() -> FieldSpec:
    inline = Opt("--body", "正文")
    from_file = Opt("--body-file", "从文件读正文（- 为标准输入）", metavar="PATH")

    def build(v: Mapping[str, Any], cur: Any, r: Resolver) -> Any:
        if "body" in v and "body_file" in v:
            raise bad("--body", "和 --body-file 只能给一个", "and --body-file: give only one")
        return v["body"] if "body" in v else read_body(v["body_file"])

    return FieldSpec("body", (inline, from_file), build)


# -- the tables -------------------------------------------------------------------------------

TABLES: dict[str, tuple[FieldSpec, ...]] = {
    "group": (text("name", "--name", "分组名称，如 家人、同事"),),
    "contact": (
        text("name", "--name", "姓名"),
        many("phones", "--phone", "电话（可重复），可带标签：手机:13800138000", labelled),
        many("emails", "--email", "邮箱（可重复），可带标签：工作:li@example.com", labelled),
        text("address", "--address", "地址"),
        text("company", "--company", "单位"),
        text("title", "--title", "职务"),
        FieldSpec(
            "groups",
            (Opt("--group", "分组（可重复）：分组名称或 id", "multi"),),
            lambda v, cur, r: [r.group_id(x) for x in v["group"]],
        ),
        FieldSpec(
            "birthday",
            (Opt("--birthday", "生日：公历 [年-]月-日，农历加前缀 农历，如 农历8-15"),),
            lambda v, cur, r: date_text(v["birthday"], "--birthday"),
        ),
        text("notes", "--notes", "备注"),
    ),
    "memo": (
        text("title", "--title", "标题"),
        body(),
        flag("pinned", "--pinned", "--unpinned", "置顶 / 取消置顶"),
        text("due", "--due", "到期时间，如 2026-05-01T09:30"),
        reminders(),
    ),
    "birthday": (
        text("name", "--name", "姓名"),
        linked("contact_id", "--contact", "关联的联系人：姓名或 id", "contact"),
        dated(),
        text("notes", "--notes", "备注"),
        reminders("（不给：当天 09:00）"),
    ),
    "holiday": (
        text("name", "--name", "节日名称，如 结婚纪念日"),
        dated(),
        flag("yearly", "--yearly", "--once", "每年 / 只一次（只一次需要 --year）"),
        text("notes", "--notes", "备注"),
        reminders(),
    ),
    "event": (
        text("title", "--title", "标题"),
        text("start", "--start", "开始：2026-05-01（全天）或 2026-05-01T09:30"),
        text("end", "--end", "结束（全天事件含当天）"),
        flag("all_day", "--all-day", "--timed", "全天 / 定时（不给时按 --start 的写法）"),
        text("timezone", "--timezone", "时区，默认 Asia/Shanghai"),
        text("location", "--location", "地点"),
        text("notes", "--notes", "备注"),
        text("rrule", "--rrule", "重复规则 (RFC 5545)，如 FREQ=WEEKLY;BYDAY=MO"),
        many("exdates", "--exdate", "取消的某次（可重复）：日期或开始时间"),
        many("moves", "--move", "改期的某次（可重复）：原开始=新开始[/新结束]", move),
        reminders(),
    ),
}


def options_of(kind: str) -> list[Opt]:
    return [o for spec in TABLES[kind] for o in spec.opts]


def _given(value: Any) -> bool:
    return value is not None and value != [] and value != ()


def changes_from(
    kind: str,
    raw: Mapping[str, Any],
    current: Mapping[str, Any] | None,
    resolver: Resolver,
    clear: list[str] | tuple[str, ...] = (),
) -> dict[str, Any]:
    """The content changes the given options ask for (``add``: current is None)."""
    out: dict[str, Any] = {}
    for name in clear:
        spec = field_spec(kind, name)
        out[spec.field] = spec.clear(
            name.lstrip("-").replace("-", "_"), (current or {}).get(spec.field)
        )
    for spec in TABLES[kind]:
        values = {o.dest: raw[o.dest] for o in spec.opts if _given(raw.get(o.dest))}
        if values:
            if spec.field in out:
                raise bad(spec.opts[0].option, "和 --clear 不能同时给", "and --clear: give one")
            out[spec.field] = spec.build(values, (current or {}).get(spec.field), resolver)
    if kind == "event" and "start" in out and "all_day" not in out:
        out["all_day"] = len(str(out["start"]).strip()) <= 10
    return out


def field_spec(kind: str, name: str) -> FieldSpec:
    """The field a ``--clear`` name stands for: a field name or an option name."""
    key = name.strip().lstrip("-").replace("-", "_")
    for spec in TABLES[kind]:
        if key == spec.field or key in {o.dest for o in spec.opts}:
            return spec
    known = ", ".join(spec.field for spec in TABLES[kind])
    raise bad(
        "--clear", f"不认识 {name!r}；可清除：{known}", f"does not know {name!r}; known: {known}"
    )


def option_for(kind: str, path: str) -> str | None:
    """The option(s) that set the field at ``path`` (``phones.0.value`` → ``--phone``)."""
    head = path.split(".", 1)[0]
    for spec in TABLES[kind]:
        if spec.field == head:
            return spec.names
    return None


def with_options(kind: str, exc: InvalidInput) -> InvalidInput:
    """``exc`` with each problem's field named by its option where there is one."""
    problems = []
    for p in exc.problems:
        option = option_for(kind, p.field) if not p.field.startswith("--") else None
        if option is None:
            problems.append(p)
        else:
            problems.append(FieldProblem(option, f"{option}: {p.message}", p.code))
    return InvalidInput(problems)


_LABEL_END = re.compile(r"[（(，,：:；;]")
_LABELS = {"date": "日期", "pinned": "置顶", "yearly": "每年重复", "all_day": "全天"}
"""Fields whose first option's words are not the field's: a date's are the solar form's, a
flag's name both its forms."""


def field_label(kind: str, path: str) -> str:
    """A field in words (``company`` → ``单位``): its first option's help up to the first
    bracket or comma; the field's name where there is no option for it, or in English."""
    head = path.split(".", 1)[0]
    if english():
        return head
    if head in _LABELS:
        return _LABELS[head]
    for spec in TABLES.get(kind, ()):
        if spec.field == head and spec.opts:
            return _LABEL_END.split(spec.opts[0].help, 1)[0].strip() or head
    return head
