"""What the Chromium network-trouble tests share (issue 5 §5; R11, R14): a server in its own
process that can be stopped and started again (``Restartable``), the banner's words, logging
in, and reading the kept drafts out of localStorage."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from .browser_support import HERE, _server_env, _wait_until_up, free_port

PASSWORD = "腊梅-2026-offline"
FAILED = "未能发送，已保存在本机；恢复连接后可重新发送"
BACK = "已恢复连接，数据已刷新"
DRAFTS = """() => Object.keys(localStorage)
  .filter(key => key.startsWith('almanac.draft|'))
  .map(key => [key, JSON.parse(localStorage.getItem(key))])"""


class Restartable:
    """The Almanac server in its own process, stopped and started again on the same port with
    the same database and secret key (sessions and CSRF cookies stay valid)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.factory = "server_app:make_app"  # "lossy_app:make_app" loses one answer
        self.env: dict[str, str] = {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.stop()  # a process that died on its own is reaped first
        command = [
            sys.executable, "-m", "uvicorn", "--factory", self.factory,
            "--app-dir", str(HERE), "--host", "127.0.0.1", "--port", str(self.port),
            "--log-level", "warning",
        ]  # fmt: skip
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**_server_env(self.data_dir), **self.env},
            )
        _wait_until_up(self.url, self.process, self.log)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@contextmanager
def serving(data_dir: Path, factory: str = "", **env: str) -> Iterator[Restartable]:
    """A ``Restartable`` server, started, and stopped at the end."""
    server = Restartable(data_dir)
    server.factory = factory or server.factory
    server.env = env
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _register_and_log_in(tab: Page, base: str, username: str) -> None:
    tab.goto(base + "/register")
    tab.fill("#username", username)
    tab.fill("#password", PASSWORD)
    tab.fill("#password2", PASSWORD)
    tab.get_by_role("button", name="注册").click()
    tab.fill("#password", PASSWORD)
    tab.get_by_role("button", name="登录").click()
    expect(tab).to_have_url(base + "/contacts")


def _drafts(tab: Page) -> list[tuple[str, dict[str, Any]]]:
    return [(key, draft) for key, draft in tab.evaluate(DRAFTS)]


def _draft_keys_become(tab: Page, want: list[str], timeout: float = 10.0) -> list[str]:
    """The kept drafts' keys once they equal ``want`` (the page's script moves and clears
    drafts after the page has loaded, so a check right after a navigation must wait), or
    what they are when ``timeout`` runs out."""
    end = time.monotonic() + timeout
    while True:
        keys = [key for key, _ in _drafts(tab)]
        if keys == want or time.monotonic() > end:
            return keys
        tab.wait_for_timeout(100)


def _contact_changed_in_another_tab(tab: Page, server: str, user: str) -> None:
    """Register ``user``, add 赵敏 and open her edit form in ``tab`` (version 1); meanwhile a
    second tab saves another company for her (version 2), so ``tab``'s save will clash."""
    _register_and_log_in(tab, server, user)
    tab.goto(server + "/contacts/new")
    tab.fill('[name="name"]', "赵敏")
    tab.get_by_role("button", name="保存").click()
    tab.get_by_role("link", name="修改").click()
    second = tab.context.new_page()
    second.goto(tab.url)
    second.fill('[name="company"]', "武当山文旅")
    second.get_by_role("button", name="保存").click()
    expect(second.locator("h1")).to_have_text("赵敏")
    second.close()
