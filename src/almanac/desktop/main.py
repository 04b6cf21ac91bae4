"""The app's start (issue 6 §1): ``run(home, server)`` makes the ``QApplication``, shows the
login dialog (Cancel quits), then the main window. ``almanac app`` calls it."""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from almanac.desktop.errors import configure_reports, on_uncaught
from almanac.desktop.i18n import set_language
from almanac.desktop.login import LoginDialog
from almanac.desktop.prefs import Prefs
from almanac.desktop.report_dialog import Reporting

if TYPE_CHECKING:
    from almanac.client.transport import TransportFactory


def application(argv: list[str] | None = None) -> QApplication:
    """The one ``QApplication`` (made once), with a font that has the CJK characters."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Almanac")
    app.setOrganizationName("Almanac")
    font = QFont()
    font.setFamilies(["Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC"])
    font.setPointSize(10)
    app.setFont(font)
    return app


def translate_qt(app: QApplication, lang: str) -> None:
    """Qt's own words (OK, Cancel, the calendar's month menu) in Chinese for zh-CN, Qt's
    English otherwise (the language may change while the app runs: the person's settings)."""
    translator = app.findChild(QTranslator, "almanac_qt_zh")
    if lang != "zh-CN":
        if translator is not None:
            app.removeTranslator(translator)
        return
    if translator is None:
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        translator = QTranslator(app)
        translator.setObjectName("almanac_qt_zh")
        if not translator.load("qtbase_zh_CN", folder):
            return
    app.installTranslator(translator)


def handle_uncaught(
    kind: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """``sys.excepthook`` while the app runs (R10): ``errors.on_uncaught`` — the error
    dialog, the error-report dialog for a bug, and for a store that cannot be read or written
    the severe path (what was typed is saved, a clear message, the app closes)."""
    on_uncaught(kind, exc, tb)


def run(
    home: Path | None = None,
    server: str | None = None,
    *,
    user: str | None = None,
    transport: TransportFactory | None = None,
) -> int:
    """Login dialog, then the main window until it closes. Returns the exit code (0 also
    when the person cancels the login)."""
    from almanac.store.paths import resolve_home

    app = application()
    base = resolve_home(home)
    prefs = Prefs.load(base)
    if server:
        prefs.server = server
    if user:
        prefs.user = user
    set_language(prefs.language)
    translate_qt(app, prefs.language)
    configure_reports(Reporting(base, prefs.server))  # until the window knows more
    previous, sys.excepthook = sys.excepthook, handle_uncaught
    try:
        login = LoginDialog(base, prefs, transport)
        if not login.exec() or login.client is None:
            return 0
        from almanac.desktop.window import MainWindow

        window = MainWindow(login.client, base, prefs, offline=login.offline)
        window.show()
        return app.exec()
    finally:
        sys.excepthook = previous
