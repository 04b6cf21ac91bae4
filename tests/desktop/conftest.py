"""Fixtures for the desktop app's tests (issue 6 §7): Qt offscreen (set before Qt is
imported), the app's own ``QApplication`` (CJK font), the client tests' live server
(uvicorn in a thread, ``create_app`` on SQLite in a temp folder) with people registered
through its API, real encrypted stores in temp homes, and helpers to answer modal dialogs and
save screenshots."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from almanac.desktop import workers
from almanac.desktop.i18n import set_language
from almanac.desktop.main import application, translate_qt
from almanac.desktop.prefs import Prefs
from almanac.desktop.window import MainWindow
from client.conftest import Account, LiveServer, account, free_port, live_server

__all__ = ["Account", "LiveServer", "account", "free_port", "live_server"]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "desktop"


@pytest.fixture(scope="session")
def qapp() -> QApplication:
    """pytest-qt's ``qapp``, replaced by the app's own (its CJK font)."""
    set_language("zh-CN")
    app = application([])
    translate_qt(app, "zh-CN")
    return app


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def window(qtbot: object, account: Account, home: Path) -> Iterator[MainWindow]:
    """The main window on a freshly logged-in profile (online)."""
    client = account.login(home)
    win = MainWindow(client, home, Prefs(server=account.server.url, user=account.username))
    win.timer.stop()  # online checks only when a test asks
    # pytest-qt closes (and deletes later) the widgets it was given before the fixtures'
    # teardown runs: the workers are waited for first, and a window already deleted by then is
    # not closed again (its C++ object is gone: "Internal C++ object already deleted").
    qtbot.addWidget(win, before_close_func=lambda _: wait_workers(qtbot))  # type: ignore[attr-defined]
    win.show()
    yield win
    if shiboken6.isValid(win):
        wait_workers(qtbot)
        win.close()


def wait_workers(qtbot: object, timeout: int = 20_000) -> None:
    qtbot.waitUntil(lambda: not workers.busy(), timeout=timeout)  # type: ignore[attr-defined]


def answer_next(action: Callable[[QWidget], None], attempts: int = 200) -> None:
    """When the next modal dialog opens, do ``action`` on it (from the event loop)."""

    def poll(left: int = attempts) -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None:
            action(modal)
        elif left > 0:
            QTimer.singleShot(25, lambda: poll(left - 1))

    QTimer.singleShot(0, poll)


def screenshot(widget: QWidget, name: str) -> Path:
    """Save what the widget shows as test-artifacts/desktop/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()  # the last layout changes (status bar) first
    path = ARTIFACTS / f"{name}.png"
    assert widget.grab().save(str(path)), path
    return path
