"""The CLI's one error handler: every ``AlmanacError`` becomes one line on stderr (zh-CN
first) and a non-zero exit; anything else is a bug: one line saying so, or with ``--debug``
the traceback. Typer's and click's own exits (usage errors, ``--help``) pass through."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import TypeVar

import click
import typer
from rich.console import Console
from rich.markup import escape

from almanac.cli.words import english, t
from almanac.errors import (
    AlmanacError,
    BadCredentials,
    Duplicate,
    FieldProblem,
    Forbidden,
    InvalidInput,
    NeedsConfirmation,
    NotAuthenticated,
    NotFound,
    NotLoggedIn,
    Offline,
    StoreDamaged,
    Throttled,
    VersionConflict,
    WrongPassword,
)

T = TypeVar("T")

EXIT_INVALID = 2
EXIT_FAILED = 1

# Typer's own exits and usage errors (it vendors click; plain click's too, for safety)
PASS_THROUGH = (
    typer.Exit,
    typer.Abort,
    typer.TyperException,
    click.exceptions.Exit,
    click.ClickException,
    click.Abort,
)

_stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def _said(p: FieldProblem) -> str:
    """The problem's English sentence, starting with its field."""
    return p.message if p.message.startswith(p.field) else f"{p.field}: {p.message}"


def _problems(exc: InvalidInput) -> str:
    return "; ".join(_said(p) for p in exc.problems)


PROBLEM_ZH = {
    "required": "必须填写",
    "empty": "不能为空",
    "too_short": "太短了",
    "too_long": "太长了",
    "invalid_type": "格式不对",
    "invalid": "格式不对",
    "unknown_field": "不是这种记录的字段",
    "not_a_choice": "不是可选的值",
    "invalid_choice": "不是可选的值",
    "out_of_range": "超出范围",
    "not_a_phone_number": "不是电话号码（3–20 位数字，可带 +、空格、-、点、括号）",
    "not_an_email": "不是邮箱地址",
    "no_such_day": "没有这一天",
    "no_such_leap_month": "这一年没有这个闰月",
    "solar_leap": "公历没有闰月",
    "lunar_year_range": "农历年份须在 1901–2099 之间",
    "year_required": "一次性的节日必须填写年份",
    "control_character": "不能包含控制字符",
    "duplicate": "已经有了，请换一个",
    "duplicate_group": "分组重复",
    "unknown_reference": "引用的记录不存在",
    "end_before_start": "结束不能早于开始",
    "needs_date": "全天日程只填日期",
    "needs_datetime": "不是全天的日程要有时间",
    "bad_rrule": "不是有效的重复规则",
    "unknown_timezone": "不是时区名称（例如 Asia/Shanghai）",
}
"""A field problem's words in Chinese, by its stable ``code`` (``almanac.model.validation``);
a code not here keeps the store's English sentence."""

DETAILED = frozenset(
    {
        "too_short",
        "too_long",
        "out_of_range",
        "not_a_choice",
        "invalid_choice",
        "no_such_day",
        "no_such_leap_month",
    }
)
"""Codes whose English sentence carries what the Chinese words leave out (a limit, the
choices, how many days that month has): it follows them in brackets."""


def _problems_zh(exc: InvalidInput) -> str:
    """``_problems`` in Chinese: each field (the option's name) and why, by the code."""
    parts = []
    for p in exc.problems:
        why = PROBLEM_ZH.get(p.code)
        if why is None:
            parts.append(_said(p))
            continue
        said = p.message.removeprefix(f"{p.field}: ")
        detail = f"（{said}）" if p.code in DETAILED else ""
        parts.append(f"{p.field}：{why}{detail}" if p.field else f"{why}{detail}")
    return "；".join(parts)


def _zh(exc: AlmanacError) -> str | None:
    """Chinese words for the errors a person meets; None: the English message says it."""
    if isinstance(exc, InvalidInput):
        return f"输入有误 — {_problems_zh(exc)}"
    if isinstance(exc, WrongPassword):
        return "密码不对：打不开本机的加密数据（什么都没改）"
    if isinstance(exc, NotLoggedIn):
        return "这台设备还没有登录：先运行 almanac login --server URL --user NAME"
    if isinstance(exc, BadCredentials):
        return "用户名或密码不对"
    if isinstance(exc, NotAuthenticated):
        return "服务器不再认这台设备的登录：请重新运行 almanac login"
    if isinstance(exc, Forbidden):
        return f"不允许这样做（{exc.message}）"
    if isinstance(exc, Throttled):
        return f"失败次数太多，请 {exc.retry_after} 秒后再试"
    if isinstance(exc, Offline):
        reason = f"（{exc.reason}）" if exc.reason else ""
        return f"连不上服务器 {exc.server}{reason}：本机数据照常可用，联网后再同步"
    if isinstance(exc, NeedsConfirmation):
        return (
            f"这次同步会删除{exc.where}上 {exc.live} 条记录中的 {exc.deletions} 条；"
            "确认无误请运行 almanac sync --yes"
        )
    if isinstance(exc, StoreDamaged):
        aside = f"，损坏的文件已移到 {exc.moved_to}" if exc.moved_to else ""
        return f"本机数据文件已损坏（{exc.reason}）{aside}；运行 almanac restore 从服务器恢复"
    if isinstance(exc, NotFound):
        return f"找不到：{exc.message}"
    if isinstance(exc, Duplicate):
        return f"已经有了：{exc.message}"
    if isinstance(exc, VersionConflict):
        return f"记录已被改过：{exc.message}"
    return None


def describe(exc: AlmanacError) -> str:
    """The words for one error, as a terminal shows them."""
    if not english():
        words = _zh(exc)
        if words is not None:
            return words
    if isinstance(exc, InvalidInput):
        return _problems(exc)
    if isinstance(exc, Throttled):
        return f"{exc.message} (retry after {exc.retry_after} s)"
    if exc.field and not exc.message.startswith(exc.field):
        return f"{exc.field}: {exc.message}"
    return exc.message


def _say(line: str) -> None:
    _stderr.print(f"[bold red]{t('错误', 'error')}[/]: {escape(line)}", markup=True)


def run_guarded(fn: Callable[[], T], *, debug: bool = False) -> T:
    """Run ``fn``; an AlmanacError becomes ``错误: …`` on stderr and exit 1 (2 for bad input);
    any other exception is reported as an internal error in one line. With ``debug`` the
    traceback is printed first."""
    try:
        return fn()
    except PASS_THROUGH:
        raise
    except AlmanacError as exc:
        if debug:
            traceback.print_exc()
        _say(describe(exc))
        sys.exit(EXIT_INVALID if isinstance(exc, InvalidInput) else EXIT_FAILED)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        name = type(exc).__name__
        _say(
            t(
                f"内部错误 (internal error) {name}: {exc}；"
                "加 --debug 重新运行可看到详细信息 (run with --debug)",
                f"internal error {name}: {exc} (a bug; run with --debug for the traceback)",
            )
        )
        sys.exit(EXIT_FAILED)
