"""The CLI client tests run the real ``almanac`` command against a real server: the
``live_server`` of tests/client (uvicorn in a thread, SQLite), and real encrypted stores in
temporary ``--home`` folders. ``Terminal`` is one profile folder, as one terminal uses it."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner, Result

from almanac.cli.main import app
from client.conftest import Account, LiveServer, account, live_server

__all__ = ["Account", "LiveServer", "Restartable", "Terminal", "account", "live_server"]


class Restartable(LiveServer):
    """A live server that can be stopped (the devices go offline) and started again on the
    same port and database (they come back online)."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        super().__init__(data_dir)
        self.data_dir = data_dir
        if port is not None:
            self.port = port
            self.url = f"http://127.0.0.1:{port}"
            config = uvicorn.Config(
                self.app, host="127.0.0.1", port=port, log_level="warning", ws="none",
                lifespan="on",
            )  # fmt: skip
            self.server = uvicorn.Server(config)
            self.thread = threading.Thread(target=self.server.run, daemon=True)

    def again(self) -> Restartable:
        """The same server, started again (after ``stop``)."""
        again = Restartable(self.data_dir, self.port)
        again.start()
        return again


@dataclass
class Terminal:
    """``almanac … --home HOME`` with the person's password in ALMANAC_PASSWORD."""

    home: Path
    password: str
    env: dict[str, str] = field(default_factory=dict)

    def run(self, *args: str, stdin: str | None = None, password: bool = True) -> Result:
        env = {"COLUMNS": "200", "ALMANAC_LANG": "zh_CN", **self.env}
        env["ALMANAC_PASSWORD"] = self.password if password else ""
        return CliRunner().invoke(app, [*args, "--home", str(self.home)], env=env, input=stdin)

    def ok(self, *args: str, stdin: str | None = None) -> Result:
        result = self.run(*args, stdin=stdin)
        assert result.exit_code == 0, (args, result.output, result.exception)
        return result

    def json(self, *args: str, stdin: str | None = None) -> Any:
        return json.loads(self.ok(*args, "--json", stdin=stdin).stdout)

    def login(self, server: LiveServer, user: str, device: str = "家里的电脑") -> Any:
        return self.json("login", "--server", server.url, "--user", user, "--device", device)


@pytest.fixture
def terminal(tmp_path: Path, account: Account, live_server: LiveServer) -> Terminal:
    """A logged-in profile of a fresh account."""
    term = Terminal(tmp_path / "home-1", account.password)
    term.login(live_server, account.username)
    return term
