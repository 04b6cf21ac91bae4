"""`almanac serve --workers N` (issue 5 "Numbers"): N uvicorn worker processes share the port,
each with the same settings (data folder, database, secret key), so a login made through one
worker is good on every other, a form's CSRF token is accepted by whichever worker gets the
POST, and SIGTERM stops them all."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

CHEAP = {
    "ALMANAC_ARGON2_TIME_COST": "1",
    "ALMANAC_ARGON2_MEMORY_KIB": "8",
    "ALMANAC_ARGON2_PARALLELISM": "1",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> set[int]:
    """The live child processes of ``pid`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == str(pid) and fields[0] != "Z":
                found.add(int(entry.name))
    return found


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = _free_port()
    exe = Path(sys.executable).with_name("almanac")
    env = {**os.environ, **CHEAP, "ALMANAC_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    env.pop("ALMANAC_DB", None)
    env.pop("ALMANAC_SECRET_KEY", None)
    proc = subprocess.Popen(
        [str(exe), "serve", "--demo", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.communicate(timeout=30)


def test_two_workers_share_logins_and_csrf_and_stop_together(
    two_workers: tuple[str, subprocess.Popen[str]], tmp_path: Path
) -> None:
    base, proc = two_workers
    password = (tmp_path / "data" / "demo-login").read_text().strip()
    with httpx.Client(base_url=base) as browser:
        form = browser.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None
        done = browser.post(
            "/login", data={"username": "demo", "password": password, "csrf_token": token[1]}
        )
        assert done.status_code == 303
        # Many requests on fresh connections: both workers answer, all know the session.
        for _ in range(20):
            page = httpx.get(f"{base}/contacts", cookies=dict(browser.cookies.items()))
            assert page.status_code == 200
            assert 'href="/contacts/new"' in page.text
    workers = _children(proc.pid)
    assert len(workers) >= 2  # the two workers (and maybe multiprocessing's helper)
    # each worker's libuv accepts one connection at a time, so the two share the connections
    environs = [Path(f"/proc/{w}/environ").read_bytes().split(b"\0") for w in workers]
    assert sum(b"UV_TCP_SINGLE_ACCEPT=1" in env for env in environs) >= 2
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.1)
    assert not any(Path(f"/proc/{w}/stat").exists() for w in workers)
