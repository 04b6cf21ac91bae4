"""A real server and a real browser for the end-to-end test (issue 2 §6).

``running_server`` starts ``python -m uvicorn --factory`` on a free loopback port with a
throw-away SQLite database; ``Shots`` saves full-page screenshots at a desktop and a phone
size and checks, at the phone size, that nothing scrolls sideways and that every control is
at least 44 px tall.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).parent
ARTIFACTS = HERE.parent.parent / "test-artifacts" / "web"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",
]
# Chromium's own words and the date and time inputs (2026/11/27, 14:05 — not 11/27/2026,
# 02:05 PM) follow its UI language: headless Chromium on Linux takes it from LANGUAGE/LANG,
# and only when Debian's chromium-l10n (scripts/test) has that language's pack.
CHROMIUM_ENV = {
    **{k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")},
    "LANGUAGE": "zh_CN",
    "LANG": "zh_CN.UTF-8",
}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
TOUCH_MIN_PX = 44
# The one account that may read the error reports (ALMANAC_OPERATORS) on the browser tests'
# server: test_page_shots screenshots the operators' pages with it.
OPERATOR = "page-shots"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALMANAC_")}
    env.update(
        ALMANAC_DATA_DIR=str(data_dir),
        ALMANAC_DB=f"sqlite:///{data_dir}/browser.db",
        ALMANAC_ARGON2_TIME_COST="1",
        ALMANAC_ARGON2_MEMORY_KIB="8",
        ALMANAC_ARGON2_PARALLELISM="1",
        ALMANAC_OPERATORS=OPERATOR,
    )
    return env


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text()}")
        try:
            if httpx.get(base_url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not come up in 30 s:\n{log.read_text()}")


@contextmanager
def running_server(data_dir: Path) -> Iterator[str]:
    """Run the Almanac server in its own process; yield its base URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "server_app:make_app",
        "--app-dir", str(HERE), "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "warning",
    ]  # fmt: skip
    log = data_dir / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=_server_env(data_dir)
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base_url, process, log)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


class Shots:
    """Screenshots of each page at 1280×800 and 375×812, with the phone-size checks."""

    def __init__(self, folder: Path = ARTIFACTS) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.saved: list[Path] = []

    def take(self, page: Any, name: str) -> None:
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            path = self.folder / f"{name}-{size['width']}x{size['height']}.png"
            page.screenshot(path=str(path), full_page=True)
            self.saved.append(path)
            if size is PHONE:
                check_phone_layout(page, name)
        page.set_viewport_size(DESKTOP)


_SIDEWAYS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
_SMALL_CONTROLS = f"""() => Array.from(
    document.querySelectorAll('a, button, input:not([type=hidden]), select, textarea'))
  .filter(el => el.offsetParent !== null)
  .filter(el => el.getBoundingClientRect().height < {TOUCH_MIN_PX})
  .map(el => el.tagName + ' ' + (el.textContent || el.name || '').trim()
       + ' ' + Math.round(el.getBoundingClientRect().height) + 'px')"""


def check_phone_layout(page: Any, name: str) -> None:
    scroll_width, inner_width = page.evaluate(_SIDEWAYS)
    assert scroll_width <= inner_width, f"{name}: scrolls sideways at 375 px"
    small = page.evaluate(_SMALL_CONTROLS)
    assert not small, f"{name}: controls under {TOUCH_MIN_PX} px: {small}"
