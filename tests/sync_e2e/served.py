"""A real ``almanac serve`` process on a free port: start it, SIGKILL it, start it again on the
same database (issue 3 §4, the crash test)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

# Cheap password hashing: registration and login stay fast; nothing else changes.
CHEAP_ENV = {
    "ALMANAC_ARGON2_TIME_COST": "1",
    "ALMANAC_ARGON2_MEMORY_KIB": "8",
    "ALMANAC_ARGON2_PARALLELISM": "1",
}


def free_port() -> int:
    """A port nobody listens on right now (the kernel's pick)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServerProcess:
    """``almanac serve --db URL --data-dir DIR --port PORT`` as a child process."""

    def __init__(self, database_url: str, data_dir: Path, port: int | None = None) -> None:
        self.database_url = database_url
        self.data_dir = data_dir
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.kills = 0

    def start(self, timeout: float = 90.0) -> float:
        """Start the server and wait until ``/healthz`` answers; returns the seconds taken."""
        assert self.process is None, "already running"
        began = time.monotonic()
        self.starts += 1
        log = (self.data_dir / f"serve-{self.starts}.log").open("wb")
        almanac = Path(sys.executable).with_name("almanac")
        env = {**os.environ, **CHEAP_ENV}
        self.process = subprocess.Popen(
            [
                str(almanac),
                "serve",
                "--db",
                self.database_url,
                "--data-dir",
                str(self.data_dir),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        log.close()
        deadline = began + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"almanac serve exited: {self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return time.monotonic() - began
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"almanac serve did not answer in {timeout} s: {self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, open transactions are cut where they stand."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None
        self.kills += 1

    def stop(self) -> None:
        """A polite stop (SIGTERM), for the end of a test."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def log_tail(self, lines: int = 30) -> str:
        logs = sorted(self.data_dir.glob("serve-*.log"))
        if not logs:
            return ""
        return "\n".join(logs[-1].read_text(errors="replace").splitlines()[-lines:])
