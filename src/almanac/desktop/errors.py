"""The app's one place where an error becomes words (R10; issue 6 §4): ``words(exc)`` says an
``AlmanacError`` in the current language, ``field_words(problem)`` says one field problem
(forms show it beside the field it names), ``show_error(parent, exc)`` is the dialog.

``show_error`` has three answers:

- an ``AlmanacError`` (offline, bad input, a conflict…): a message in words, one OK button;
- a bug (any other exception): the error-report dialog (``report_dialog``), which shows the
  report in full and sends it only when the person says so;
- a severe error — the store cannot be read or written (``report_rescue.is_severe``): what
  was being typed is saved to the profile folder, a clear message, and the app closes.

``on_uncaught`` is the ``sys.excepthook`` while the app runs (``main.run``), so an error no
page caught — a slot that raised — takes the same way. ``configure_reports`` says where
reports go (the main window sets it once the person is logged in)."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from almanac.desktop import report_rescue
from almanac.desktop.i18n import language, t
from almanac.desktop.report_dialog import Reporting, offer_report
from almanac.errors import (
    AlmanacError,
    BadCredentials,
    Conflict,
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
    WrongPassword,
)

_FIELD_ZH = {
    "required": "必须填写",
    "empty": "不能为空",
    "too_long": "太长了",
    "not_a_phone_number": "不是电话号码（数字，可带 + 和空格、短横）",
    "not_an_email": "不是邮箱地址",
    "no_such_day": "没有这一天",
    "year_required": "一次性的节日必须填写年份",
    "solar_leap": "公历没有闰月",
    "no_such_leap_month": "这一年没有这个闰月",
    "control_character": "不能包含控制字符",
    "duplicate": "已经有了，请换一个",
    "out_of_range": "超出范围",
    "duplicate_group": "分组重复",
    "unknown_reference": "引用的记录不存在",
    "not_a_time": "时间要写成 09:00 这样（时:分，24 小时制）",
    "end_before_start": "结束不能早于开始",
    "needs_date": "全天日程只填日期",
    "needs_datetime": "不是全天的日程要有时间",
    "not_a_date_or_time": "要写成 2026-05-01 或 2026-05-01 09:30 这样的日期或时间",
    "bad_rrule": "不是有效的重复规则",
    "unknown_timezone": "不是时区名称（例如 Asia/Shanghai）",
}

_FIELD_EN = {
    "required": "must be filled in",
    "empty": "cannot be empty",
    "too_long": "is too long",
    "not_a_phone_number": "is not a phone number (digits, maybe with +, spaces and dashes)",
    "not_an_email": "is not an email address",
    "no_such_day": "there is no such day",
    "year_required": "a one-time holiday needs a year",
    "solar_leap": "solar months are never leap months",
    "no_such_leap_month": "that year has no such leap month",
    "control_character": "cannot hold control characters",
    "duplicate": "is there already; please choose another",
    "out_of_range": "is out of range",
    "duplicate_group": "a group is named twice",
    "unknown_reference": "refers to a record that does not exist",
    "not_a_time": "must be a time of day such as 09:00 (HH:MM, 24-hour)",
    "end_before_start": "cannot be before the start",
    "needs_date": "an all-day event takes dates only",
    "needs_datetime": "an event that is not all-day needs a time",
    "not_a_date_or_time": "must be a date or time such as 2026-05-01 or 2026-05-01 09:30",
    "bad_rrule": "is not a valid repeat rule",
    "unknown_timezone": "is not a time zone name (such as Asia/Shanghai)",
}
"""The same problems in English (a test checks both lists have the same codes)."""


def field_words(problem: FieldProblem) -> str:
    """One field's problem, without the field name (the form shows it beside the field)."""
    table = _FIELD_ZH if language() == "zh-CN" else _FIELD_EN
    if problem.code in table:
        return table[problem.code]
    message = problem.message
    return message[len(problem.field) :].strip() if message.startswith(problem.field) else message


def _simple(exc: AlmanacError) -> str | None:
    table: list[tuple[type[AlmanacError], str]] = [
        (NotFound, "error.not_found"),
        (BadCredentials, "error.bad_credentials"),
        (WrongPassword, "error.wrong_password"),
        (NotLoggedIn, "error.not_logged_in"),
        (NotAuthenticated, "error.not_authenticated"),
        (Forbidden, "error.forbidden"),
        (Offline, "error.offline"),
    ]
    for kind, key in table:
        if isinstance(exc, kind):
            return t(key)
    return None


def words(exc: BaseException) -> str:
    """What to tell the person about ``exc``, in the current language."""
    if not isinstance(exc, AlmanacError):
        return t("error.bug", message=f"{type(exc).__name__}: {exc}")
    simple = _simple(exc)
    if simple is not None:
        return simple
    if isinstance(exc, InvalidInput):
        lines = [f"{p.field}: {field_words(p)}" for p in exc.problems]
        return t("error.invalid") + "\n" + "\n".join(lines)
    if isinstance(exc, Duplicate):
        return t("error.duplicate", value=exc.value)
    if isinstance(exc, Conflict):
        return t("error.conflict")
    if isinstance(exc, Throttled):
        return t("error.throttled", n=exc.retry_after)
    if isinstance(exc, NeedsConfirmation):
        where = t("error.this_device") if exc.where == "this device" else exc.where
        return t("error.needs_confirmation", where=where, live=exc.live, n=exc.deletions)
    if isinstance(exc, StoreDamaged):
        return t("error.store_damaged", moved=exc.moved_to or exc.path)
    return t("error.other", message=exc.message)


_reporting = Reporting()
_open = False


def configure_reports(reporting: Reporting) -> None:
    """Where error reports go from now on (profile folder, server, the person's words)."""
    global _reporting
    _reporting = reporting


def reporting() -> Reporting:
    return _reporting


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """The error dialog: words for an ``AlmanacError``, the report dialog for a bug, the
    severe path when the store cannot be read or written (see the module docstring)."""
    global _open
    if _open:  # an error while an error dialog is open: no dialog on top of a dialog
        traceback.print_exception(exc)
        return
    _open = True
    try:
        if report_rescue.is_severe(exc):
            report_rescue.severe_error(parent, exc, _reporting.home)
        elif isinstance(exc, AlmanacError):
            message(parent, exc)
        else:
            offer_report(parent, exc, _reporting)
    finally:
        _open = False


def on_uncaught(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """``sys.excepthook`` while the app runs (R10): an error no page caught opens the error
    dialog (see ``show_error``); it is also printed to standard error."""
    traceback.print_exception(kind, exc, tb, file=sys.stderr)
    if isinstance(exc, KeyboardInterrupt | SystemExit):
        return
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    show_error(None, exc)


def message(parent: QWidget | None, exc: BaseException) -> None:
    """The plain error message (modal, one OK button)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(t("error.title"))
    box.setText(words(exc))
    box.setObjectName("errorDialog")
    box.exec()
