"""`almanac serve --workers N` (issue 5 "Numbers"): N uvicorn worker processes share the port,
each with the same settings (data folder, database, secret key), so a login made through one
worker is good on every other, a form's CSRF token is accepted by whichever worker gets the
POST, and SIGTERM stops them all. On Linux each worker has its own listening socket
(SO_REUSEPORT, `cli/workers.py`): the connections spread over both, a killed worker is started
again, Ctrl-C stops them all and so does the death of the serving process."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
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


def _port_sockets(port: int) -> dict[int, str]:
    """Inode → TCP state (hex, "0A" listening, "01" established) of the sockets whose local
    port is ``port`` (from /proc/net/tcp)."""
    found = {}
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                found[int(fields[9])] = fields[3]
    return found


def _socket_inodes(pid: int) -> set[int]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    return inodes


def _workers(pid: int, port: int) -> set[int]:
    """The children of ``pid`` that listen on ``port`` (not multiprocessing's helper)."""
    listening = {inode for inode, state in _port_sockets(port).items() if state == "0A"}
    return {child for child in _children(pid) if _socket_inodes(child) & listening}


def _wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _gone(pids: set[int]) -> bool:
    return not any(Path(f"/proc/{p}/stat").exists() for p in pids)


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


def test_each_worker_takes_its_share_of_the_connections(
    two_workers: tuple[str, subprocess.Popen[str]],
) -> None:
    base, proc = two_workers
    port = int(base.rsplit(":", 1)[1])
    _wait_for(lambda: len(_workers(proc.pid, port)) == 2)
    workers = _workers(proc.pid, port)
    conns = [socket.create_connection(("127.0.0.1", port), timeout=60) for _ in range(40)]
    try:
        for conn in conns:  # one request each, kept alive: every connection is accepted
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        for conn in conns:
            assert conn.recv(4096).startswith(b"HTTP/1.1 200")
        established = {i for i, state in _port_sockets(port).items() if state == "01"}
        shares = sorted(len(_socket_inodes(w) & established) for w in workers)
    finally:
        for conn in conns:
            conn.close()
    assert sum(shares) == 40
    # the kernel's hash spreads them ~binomially (20 ± 3); one socket shared: 40/0 was common
    assert shares[0] >= 8, shares


def test_a_killed_worker_is_replaced_and_ctrl_c_stops_all(
    two_workers: tuple[str, subprocess.Popen[str]],
) -> None:
    base, proc = two_workers
    port = int(base.rsplit(":", 1)[1])
    _wait_for(lambda: len(_workers(proc.pid, port)) == 2)
    first = _workers(proc.pid, port)
    victim = min(first)
    os.kill(victim, signal.SIGKILL)
    _wait_for(lambda: len(_workers(proc.pid, port) - {victim}) == 2)
    now = _workers(proc.pid, port)
    assert victim not in now and len(now - first) == 1
    for _ in range(20):  # fresh connections: both sockets, both workers answer
        assert httpx.get(f"{base}/healthz").status_code == 200
    everyone = _children(proc.pid)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=40) == 0
    _wait_for(lambda: _gone(everyone), 10)
    assert proc.stdout is not None
    assert f"worker {victim} ended (signal SIGKILL); starting another" in proc.stdout.read()


def test_workers_end_when_the_serving_process_is_killed(
    two_workers: tuple[str, subprocess.Popen[str]],
) -> None:
    base, proc = two_workers
    port = int(base.rsplit(":", 1)[1])
    _wait_for(lambda: len(_workers(proc.pid, port)) == 2)
    everyone = _children(proc.pid)
    proc.kill()
    proc.wait(timeout=10)
    _wait_for(lambda: _gone(everyone), 30)
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{base}/healthz")


def test_a_port_in_use_is_refused_not_shared(tmp_path: Path) -> None:
    """SO_REUSEPORT would let a second server of the same user share the port; it must not."""
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, **CHEAP, "ALMANAC_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
        env.pop("ALMANAC_DB", None)
        exe = str(Path(sys.executable).with_name("almanac"))
        done = subprocess.run(
            [exe, "serve", "--workers", "2", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stdout
