"""Fixtures for the desktop app's tests (issue 6 §7): Qt offscreen (set before Qt is
imported), the app's own ``QApplication`` (CJK font), a live server (uvicorn in a thread,
``create_app`` on SQLite in a temp folder) with people registered through its API, real
encrypted stores in temp homes, and helpers to answer modal dialogs and save screenshots."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from almanac.client.facade import Client
from almanac.desktop import workers
from almanac.desktop.i18n import set_language
from almanac.desktop.main import application, translate_qt
from almanac.desktop.prefs import Prefs
from almanac.desktop.window import MainWindow
from almanac.remote import HttpTransport
from almanac.server.app import create_app
from almanac.server.settings import ServerSettings

PASSWORD = "长城-secret-2026"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "desktop"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveServer:
    """The whole server app under uvicorn in a thread of this process."""

    def __init__(self, data_dir: Path) -> None:
        settings = ServerSettings(
            data_dir=data_dir,
            db=f"sqlite:///{data_dir / 'almanac.db'}",
            argon2_time_cost=1,
            argon2_memory_kib=8,
            argon2_parallelism=1,
        )
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            ws="none",
            lifespan="on",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="desktop-server", daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the live server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)

    def register(self) -> Account:
        username = f"zhang{uuid.uuid4().hex[:8]}"
        response = httpx.post(
            f"{self.url}/api/v1/auth/register",
            json={"username": username, "password": PASSWORD},
            timeout=10,
        )
        assert response.status_code == 201, response.text
        return Account(self, username, PASSWORD)


@dataclass
class Account:
    server: LiveServer
    username: str
    password: str

    def login(self, home: Path, device: str = "办公室电脑") -> Client:
        return Client.login(
            self.server.url,
            self.username,
            self.password,
            home=home,
            device=device,
            transport=HttpTransport,
        )


@pytest.fixture(scope="session")
def qapp() -> QApplication:
    """pytest-qt's ``qapp``, replaced by the app's own (its CJK font)."""
    set_language("zh-CN")
    app = application([])
    translate_qt(app, "zh-CN")
    return app


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("desktop-server"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def account(live_server: LiveServer) -> Account:
    return live_server.register()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def window(qtbot: object, account: Account, home: Path) -> Iterator[MainWindow]:
    """The main window on a freshly logged-in profile (online)."""
    client = account.login(home)
    win = MainWindow(client, home, Prefs(server=account.server.url, user=account.username))
    win.timer.stop()  # online checks only when a test asks
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    win.show()
    yield win
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
