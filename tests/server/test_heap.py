"""A serving process settles its garbage collector at start-up (``settle_heap``; issue 5's
p99 under 50 connections, bench/README.md "web.py"): the start-up heap is frozen and the young
generation's threshold raised. Run in a child process: freezing is process-wide, and the test
process makes many apps."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CHILD = """
import gc, json, sys, time
from fastapi.testclient import TestClient
from almanac.collector import paused
from almanac.server.app import GC_THRESHOLD, create_app
from almanac.server.settings import ServerSettings

serving = sys.argv[2] == "serving"
default = gc.get_threshold()
app = create_app(ServerSettings(data_dir=sys.argv[1]), serving=serving)
with TestClient(app) as client:
    assert client.get("/healthz").status_code == 200
    deadline = time.monotonic() + 30
    while serving and gc.get_freeze_count() == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    with paused():
        paused_here = not gc.isenabled()
    print(json.dumps({"frozen": gc.get_freeze_count(), "threshold": gc.get_threshold(),
                      "wanted": GC_THRESHOLD, "default": default, "paused": paused_here}))
"""


def _child(tmp_path: Path, mode: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / mode), mode],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_serving_app_freezes_its_start_up_heap(tmp_path: Path) -> None:
    found = _child(tmp_path, "serving")
    # The modules, pinyin dictionaries and routes: hundreds of thousands of objects.
    assert isinstance(found["frozen"], int) and found["frozen"] > 100_000
    assert found["threshold"] == found["wanted"]
    assert found["paused"] is False  # the agenda views' pauses leave it on here


def test_an_app_made_by_tests_leaves_the_collector_alone(tmp_path: Path) -> None:
    found = _child(tmp_path, "plain")
    assert found["frozen"] == 0
    assert found["threshold"] == found["default"]
    assert found["paused"] is True
