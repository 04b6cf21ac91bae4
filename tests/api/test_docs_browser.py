"""/docs in a real headless Chromium against a real server (R2, R13): Swagger UI renders every
operation with the strict Content-Security-Policy and no request leaving this machine — the
OpenAPI browser works on a LAN with no internet."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx2 as httpx
import pytest
from playwright.sync_api import Browser, Route

pytestmark = pytest.mark.browser

HERE = Path(__file__).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("docs-server")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALMANAC_")}
    env.update(ALMANAC_DATA_DIR=str(data_dir), ALMANAC_DB=f"sqlite:///{data_dir}/docs.db")
    port = _free_port()
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "docs_app:make_app", "--app-dir",
        str(HERE), "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, "the server exited"
            try:
                if httpx.get(base_url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not come up in 30 s"
                time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_docs_render_offline_under_the_strict_csp(server: str, browser: Browser) -> None:
    schema = httpx.get(server + "/openapi.json").json()
    operations = sum(len(item) for item in schema["paths"].values())
    outside: list[str] = []
    console: list[str] = []

    def local_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context = browser.new_context()
    try:
        page = context.new_page()
        page.route("**/*", local_only)
        page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
        page.goto(server + "/docs")
        page.wait_for_selector(".opblock", timeout=20_000)
        shown = page.locator(".opblock").count()
    finally:
        context.close()
    assert shown == operations
    assert outside == []
    assert not [line for line in console if "Content Security Policy" in line], console
