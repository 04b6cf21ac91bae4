"""What the client commands print: stable JSON shapes (``--json``, docs/cli.md) and rich
tables and lines in Chinese-first words.

JSON: an item is ``{"id", "kind", "version", "pending", "deleted", "content"}``; a list is
``{"items": [...], "next": cursor-or-null}``; a conflict is the protocol's ``ConflictRecord``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol
from uuid import UUID

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from almanac.calendar.lunar import day_name, month_name
from almanac.cli.fields import field_label
from almanac.cli.words import t

ID_PREFIX = 8  # characters of an id shown in tables


class ItemLike(Protocol):
    """What the output needs of ``almanac.store.local.Item``."""

    @property
    def id(self) -> UUID: ...
    @property
    def kind(self) -> str: ...
    @property
    def content(self) -> dict[str, Any]: ...
    @property
    def deleted(self) -> bool: ...
    @property
    def version(self) -> int | None: ...
    @property
    def pending(self) -> bool: ...


def console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def item_json(item: ItemLike) -> dict[str, Any]:
    return {
        "id": str(item.id),
        "kind": item.kind,
        "version": item.version,
        "pending": item.pending,
        "deleted": item.deleted,
        "content": item.content,
    }


def page_json(items: Iterable[ItemLike], next_after: str | None) -> dict[str, Any]:
    return {"items": [item_json(i) for i in items], "next": next_after}


# -- words for values ----------------------------------------------------------------------

LABELS = {"mobile": "手机", "home": "家庭", "work": "工作", "other": "其他"}


def date_words(spec: Mapping[str, Any] | None) -> str:
    """A ``DateSpec`` as people write it: ``农历闰四月十五``, ``1990年5月20日``."""
    if not spec:
        return ""
    year = spec.get("year")
    if spec.get("calendar") == "lunar":
        try:
            md = month_name(int(spec["month"]), bool(spec.get("leap"))) + day_name(int(spec["day"]))
        except (ValueError, KeyError):
            md = f"{spec.get('month')}-{spec.get('day')}"
        return f"农历{year}年{md}" if year else f"农历{md}"
    md = f"{spec.get('month')}月{spec.get('day')}日"
    return f"{year}年{md}" if year else md


def labelled_words(values: Iterable[Mapping[str, Any]], limit: int | None = None) -> str:
    parts = [
        f"{LABELS.get(str(v.get('label', '')), v.get('label', ''))}:{v.get('value', '')}"
        for v in values
    ]
    more = len(parts) - limit if limit is not None and len(parts) > limit else 0
    shown = parts[:limit] if limit is not None else parts
    return "、".join(shown) + (f" 等{more + len(shown)}个" if more else "")


def _first_line(text: str, width: int = 30) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def _reminders(values: Any) -> str:
    if values is None:
        return t("默认（当天 09:00）", "default (09:00 that day)")
    if not values:
        return t("无", "none")
    return "、".join(
        f"提前{r.get('days_before', 0)}天 {r.get('at') or '按事项时间'}" for r in values
    )


def value_words(name: str, value: Any) -> str:
    """One content field as text for ``show``."""
    if name in ("phones", "emails"):
        return labelled_words(value)
    if name in ("birthday", "date"):
        return date_words(value)
    if name == "reminders":
        return _reminders(value)
    if isinstance(value, bool):
        return t("是", "yes") if value else t("否", "no")
    if isinstance(value, list):
        return "、".join(
            json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else str(v) for v in value
        )
    return "" if value is None else str(value)


# -- tables --------------------------------------------------------------------------------

Column = tuple[str, Callable[[Mapping[str, Any]], str]]

COLUMNS: dict[str, list[Column]] = {
    "group": [("名称", lambda c: c.get("name", ""))],
    "contact": [
        ("姓名", lambda c: c.get("name", "")),
        ("电话", lambda c: labelled_words(c.get("phones", []), 2)),
        ("邮箱", lambda c: labelled_words(c.get("emails", []), 1)),
        ("单位", lambda c: c.get("company", "")),
        ("生日", lambda c: date_words(c.get("birthday"))),
    ],
    "memo": [
        ("标题", lambda c: ("★ " if c.get("pinned") else "") + c.get("title", "")),
        ("到期", lambda c: str(c.get("due") or "")),
        ("正文", lambda c: _first_line(c.get("body", ""))),
    ],
    "birthday": [
        ("姓名", lambda c: c.get("name", "")),
        ("日期", lambda c: date_words(c.get("date"))),
    ],
    "holiday": [
        ("名称", lambda c: c.get("name", "")),
        ("日期", lambda c: date_words(c.get("date"))),
        ("每年", lambda c: "每年" if c.get("yearly", True) else "一次"),
    ],
    "event": [
        ("标题", lambda c: c.get("title", "")),
        ("开始", lambda c: str(c.get("start", ""))),
        ("结束", lambda c: str(c.get("end") or "")),
        ("重复", lambda c: str(c.get("rrule") or "")),
        ("地点", lambda c: c.get("location", "")),
    ],
}


def _state(item: ItemLike) -> str:
    if item.deleted:
        return t("已删除", "deleted")
    return t("待同步", "pending") if item.pending else ""


def print_items(kind: str, items: list[ItemLike], next_after: str | None) -> None:
    out = console()
    if not items:
        out.print(t("（没有记录）", "(nothing)"))
        return
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("id", style="dim", no_wrap=True)
    for title, _ in COLUMNS[kind]:
        table.add_column(title)
    table.add_column(t("状态", "state"), style="yellow")
    for item in items:
        cells = [escape(str(fn(item.content))) for _, fn in COLUMNS[kind]]
        table.add_row(str(item.id)[:ID_PREFIX], *cells, _state(item))
    out.print(table)
    if next_after:
        out.print(t(f"还有更多：加 --after {next_after}", f"more: add --after {next_after}"))


def print_item(
    item: ItemLike, verb: str | None = None, names: Mapping[str, str] | None = None
) -> None:
    """``names``: linked records' names by id (a contact's groups, a birthday's contact)."""
    out = console()
    if verb:
        out.print(f"{verb} {item.id}")
    out.print(f"id: {item.id}  kind: {item.kind}  version: {item.version}  {_state(item)}")
    for name, value in item.content.items():
        if value in ("", [], None) and name != "reminders":
            continue
        if names and name in ("groups", "contact_id"):
            ids = value if isinstance(value, list) else [value]
            value = [f"{names.get(str(i), '?')} ({str(i)[:ID_PREFIX]})" for i in ids]
        out.print(f"  {name}: {escape(value_words(name, value))}")


def conflict_json(c: Any) -> dict[str, Any]:
    data: dict[str, Any] = c.model_dump(mode="json")
    return data


RECORD_WORDS = {
    "group": ("分组", "group"),
    "contact": ("联系人", "contact"),
    "memo": ("备忘", "memo"),
    "birthday": ("生日", "birthday"),
    "holiday": ("纪念日", "holiday"),
    "event": ("日程", "event"),
}


def kind_words(kind: str) -> str:
    """A record kind in words (``contact`` → ``联系人``)."""
    zh, en = RECORD_WORDS.get(kind, (kind, kind))
    return t(zh, en)


REASON_WORDS = {
    "same_field": ("两边改了同一处", "same_field"),
    "text_overlap": ("同一行两边都改了", "text_overlap"),
    "text_too_large": ("文字太长，没有逐行合并", "text_too_large"),
    "invalid_merge": ("合并后的内容无效", "invalid_merge"),
}
"""Why there is a conflict (``ConflictReason``), in words; English keeps the code."""


def print_conflicts(conflicts: list[Any], names: Mapping[UUID, str]) -> None:
    out = console()
    if not conflicts:
        out.print(t("没有冲突。", "No conflicts."))
        return
    table = Table(show_edge=False, pad_edge=False)
    for zh, en in (
        ("id", "id"),
        ("类型", "kind"),
        ("记录", "record"),
        ("字段", "field"),
        ("保留的值", "kept"),
        ("版本", "version"),
        ("另一个值", "other"),
        ("版本", "version"),
        ("原因", "reason"),
    ):
        table.add_column(t(zh, en))
    for c in conflicts:
        table.add_row(
            str(c.id)[:ID_PREFIX],
            kind_words(c.kind),
            escape(names.get(c.record_id) or str(c.record_id)[:ID_PREFIX]),
            field_label(c.kind, c.field),
            escape(_short(c.kept_value)),
            str(c.kept_version),
            escape(_short(c.other_value)),
            str(c.other_version or ""),
            t(*REASON_WORDS[c.reason]) if c.reason in REASON_WORDS else c.reason,
        )
    out.print(table)
    out.print(
        t(
            "用 almanac conflicts resolve ID --keep 版本 选定要保留的版本。",
            "Settle one with almanac conflicts resolve ID --keep VERSION.",
        )
    )


def _short(value: Any, width: int = 40) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text.replace("\n", "⏎")
    return text if len(text) <= width else text[: width - 1] + "…"
