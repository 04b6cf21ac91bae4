"""A real server for the client tests: ``almanac.server.app.create_app`` on SQLite in a temp
folder, served by uvicorn in a background thread on a free port; people are registered
through the API. Nothing is mocked: the client talks HTTP to it through ``HttpTransport``."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import uvicorn

from almanac.remote import HttpTransport
from almanac.server.app import create_app
from almanac.server.settings import ServerSettings

if TYPE_CHECKING:
    from almanac.client.facade import Client

PASSWORD = "长城-secret-2026"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveServer:
    """uvicorn serving the whole app in a thread of this process."""

    def __init__(self, data_dir: Path) -> None:
        settings = ServerSettings(
            data_dir=data_dir,
            db=f"sqlite:///{data_dir / 'almanac.db'}",
            argon2_time_cost=1,
            argon2_memory_kib=8,
            argon2_parallelism=1,
            throttle_max_failures=3,
        )
        self.app = create_app(settings)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            ws="none",
            lifespan="on",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="live-server", daemon=True)

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

    def register(self, username: str | None = None, password: str = PASSWORD) -> Account:
        username = username or f"u{uuid.uuid4().hex[:10]}"
        response = httpx.post(
            f"{self.url}/api/v1/auth/register",
            json={"username": username, "password": password},
            timeout=10,
        )
        assert response.status_code == 201, response.text
        return Account(self, username, password)


@dataclass
class Account:
    server: LiveServer
    username: str
    password: str

    def login(self, home: Path, device: str = "测试电脑") -> Client:
        from almanac.client.facade import Client

        return Client.login(
            self.server.url,
            self.username,
            self.password,
            home=home,
            device=device,
            transport=HttpTransport,
        )

    def open(self, home: Path) -> Client:
        from almanac.client.facade import Client

        return Client.open(self.password, home=home, transport=HttpTransport)

    def api_token(self) -> str:
        response = httpx.post(
            f"{self.server.url}/api/v1/auth/token",
            json={"username": self.username, "password": self.password, "device": "浏览器"},
            timeout=10,
        )
        assert response.status_code == 201, response.text
        token: str = response.json()["token"]
        return token

    def change_password(self, new: str) -> None:
        """As the person does on the website (R1): the server's password changes."""
        token = self.api_token()
        response = httpx.post(
            f"{self.server.url}/api/v1/auth/password",
            json={"old_password": self.password, "new_password": new},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert response.status_code == 204, response.text
        self.password = new


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("live-server"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def account(live_server: LiveServer) -> Account:
    return live_server.register()


@pytest.fixture
def devices(account: Account, tmp_path: Path) -> Iterator[tuple[Client, Client]]:
    """Two devices of one person, each with its own profile: the office and the home PC."""
    office = account.login(tmp_path / "office", device="办公室电脑")
    home = account.login(tmp_path / "home", device="家里电脑")
    yield office, home
    office.close()
    home.close()
