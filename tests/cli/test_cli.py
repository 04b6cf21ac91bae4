"""The `almanac` command end to end (R1, R13, R15): operator account creation with the
password never taken from an argument, and `almanac serve --demo` serving a real port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from almanac.cli.main import app

CHEAP = {
    "ALMANAC_ARGON2_TIME_COST": "1",
    "ALMANAC_ARGON2_MEMORY_KIB": "8",
    "ALMANAC_ARGON2_PARALLELISM": "1",
}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**CHEAP, "ALMANAC_DATA_DIR": str(tmp_path / "data")}


def run(args: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, args, env=env, input=stdin)
    return result.exit_code, result.output


def test_user_create_takes_the_password_from_the_environment(env: dict[str, str]) -> None:
    code, out = run(["user", "create", "Zhang.San"], {**env, "ALMANAC_PASSWORD": "长城-long-pw-1"})
    assert code == 0, out
    assert "created account zhang.san" in out
    code, out = run(["user", "create", "zhang.san"], {**env, "ALMANAC_PASSWORD": "another-pw-2"})
    assert code == 1
    assert "username" in out


def test_user_create_reads_stdin_and_names_a_bad_password(env: dict[str, str]) -> None:
    code, out = run(["user", "create", "lisi", "--password-stdin"], env, stdin="secret-pw-9\n")
    assert code == 0, out
    code, out = run(["user", "create", "wangwu", "--password-stdin"], env, stdin="short\n")
    assert code == 2
    assert "password" in out


def test_user_create_refuses_a_password_argument(env: dict[str, str]) -> None:
    code, _ = run(["user", "create", "zhaoliu", "--password", "secret-pw-9"], env)
    assert code == 2  # a usage error: there is no such option
    code, out = run(["user", "create", "zhaoliu"], {**env, "ALMANAC_PASSWORD": "secret-pw-9"})
    assert code == 0, out  # and so nothing was created by the refused call


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def demo_server(env: dict[str, str]) -> Iterator[tuple[str, list[str]]]:
    port = _free_port()
    exe = Path(sys.executable).with_name("almanac")
    proc = subprocess.Popen(
        [str(exe), "serve", "--demo", "--port", str(port)],
        env={**os.environ, **env, "COLUMNS": "200"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert proc.poll() is None, "".join(proc.stdout.readlines() if proc.stdout else [])
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base, lines
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=15)
        lines.extend(out.splitlines())


def test_serve_demo_starts_the_product_with_sample_data(
    demo_server: tuple[str, list[str]],
) -> None:
    base, _ = demo_server
    assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
    login_page = httpx.get(f"{base}/login")
    assert login_page.status_code == 200
    assert "登录" in login_page.text  # zh-CN by default


def test_serve_demo_prints_a_login_that_works(
    demo_server: tuple[str, list[str]], env: dict[str, str]
) -> None:
    base, _ = demo_server
    password = (Path(env["ALMANAC_DATA_DIR"]) / "demo-login").read_text().strip()
    token = httpx.post(
        f"{base}/api/v1/auth/token",
        json={"username": "demo", "password": password, "device": "pytest"},
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    contacts = httpx.get(f"{base}/api/v1/contacts", params={"limit": 500}, headers=headers)
    names = {c["name"] for c in contacts.json()["items"]}
    assert {"张伟", "妈妈", "曾小贤"} <= names
    for kind in ("groups", "memos", "birthdays", "holidays", "events"):
        items = httpx.get(f"{base}/api/v1/{kind}", headers=headers).json()["items"]
        assert items, f"demo data has no {kind}"
    found = httpx.get(f"{base}/api/v1/contacts", params={"q": "zw"}, headers=headers).json()
    assert "张伟" in {c["name"] for c in found["items"]}
