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
from almanac.desktop.i18n import ZH, t
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


def field_words(problem: FieldProblem) -> str:
    """One field's problem, without the field name (the form shows it beside the field)."""
    if f"problem.{problem.code}" in ZH:  # a code the app has words for (``i18n``)
        return t(f"problem.{problem.code}")
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
