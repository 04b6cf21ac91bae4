"""Benchmark of the desktop app (issue 6 §5). Prints figures, never fails on them:

1. **start**: a fresh process (interpreter, imports, ``QApplication``) until the login dialog
   is on screen — target ≤ 1.5 s (median of 3 runs);
2. **login**: from clicking 登录 to a usable main window (the address book's first page
   shown) on a store of N contacts (default 100,000) — target ≤ 2 s. The store is built once
   with ``bench/store.py``'s generator; the server is unreachable, so this is the offline
   path (Argon2id unlock + store open + one refused connection): an online login adds the
   server's own login round-trip;
3. **smooth**: with N contacts, scrolling to the end of the loaded rows (each ``fetchMore`` of
   100), and filtering as you type (the search, in a worker, until its result shows);
4. **memory**: the process's RSS after the window is up, after scrolling and after
   filtering — target ≤ 300 MB.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/app.py                 # 100,000 contacts
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/app.py --contacts 20000
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/app.py --home /tmp/app-bench  # keep, reuse
"""

from __future__ import annotations

import sys

# bench/ holds scripts whose names shadow the standard library (calendar.py): drop the folder.
if sys.path and sys.path[0] == __import__("os").path.dirname(
    __import__("os").path.abspath(__file__)
):
    sys.path.pop(0)

import argparse
import importlib.util
import os
import platform
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

DEAD_SERVER = "http://127.0.0.1:9"  # nothing listens: the login goes offline at once


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _bench_store() -> Any:
    path = Path(__file__).with_name("store.py")
    spec = importlib.util.spec_from_file_location("bench_store", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_store"] = module
    spec.loader.exec_module(module)
    return module


def build(home: Path, count: int) -> None:
    """A profile with ``count`` contacts, made current, its server unreachable."""
    from almanac.store.keys import load_profile, save_profile
    from almanac.store.paths import set_current_profile

    store_bench = _bench_store()
    paths = store_bench.big_store(store_bench._generator(), home, count)
    profile = load_profile(paths)
    save_profile(paths, profile.model_copy(update={"server_url": DEAD_SERVER}))
    set_current_profile(home, paths.folder.name)


def child_start(spawned: float) -> None:
    """Runs in a fresh process: up to the login dialog on screen (seconds since the parent
    spawned it, printed), then quit."""
    from PySide6.QtCore import QTimer

    from almanac.desktop.login import LoginDialog
    from almanac.desktop.main import application
    from almanac.desktop.prefs import Prefs

    app = application([])
    dialog = LoginDialog(Path(tempfile.gettempdir()), Prefs())
    dialog.show()
    QTimer.singleShot(0, app.quit)
    app.exec()
    print(f"shown {time.time() - spawned:.3f}", flush=True)


def start_figure(runs: int = 3) -> list[float]:
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--child-start", repr(time.time())],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
        )
        assert "shown" in out.stdout, out.stderr
        times.append(float(out.stdout.split("shown")[1].split()[0]))
    return times


def child_login(home: Path, password: str) -> None:
    """Runs in a fresh process: log in on the big store, then time scrolling and filtering."""
    from PySide6.QtWidgets import QApplication

    from almanac.desktop.login import LoginDialog
    from almanac.desktop.main import application
    from almanac.desktop.prefs import Prefs
    from almanac.desktop.record_model import PAGE
    from almanac.desktop.window import MainWindow

    app = application([])
    before = rss_mib()
    dialog = LoginDialog(home, Prefs(server=DEAD_SERVER, user="bench"))
    dialog.show()
    app.processEvents()
    dialog.password.setText(password)
    began = time.perf_counter()
    dialog.ok.click()
    while dialog.client is None:
        app.processEvents()
        if dialog.client is None and dialog.ok.isEnabled():
            raise SystemExit(f"login failed: {dialog.message.text()}")
        time.sleep(0.001)
    window = MainWindow(dialog.client, home, dialog.prefs, offline=dialog.offline)
    window.show()
    app.processEvents()
    login_s = time.perf_counter() - began
    contacts = window.contacts
    total = contacts.client.store.count("contact")
    print(f"login → usable window: {login_s:.2f} s ({total:,} contacts; target ≤ 2 s)")
    print(f"memory: RSS {before:.0f} MiB before login, {rss_mib():.0f} MiB with the window up")

    model, view = contacts.model, contacts.view
    fetches = []
    for _ in range(50):
        began = time.perf_counter()
        view.scrollToBottom()  # the view asks the model for more (canFetchMore/fetchMore)
        app.processEvents()
        fetches.append(time.perf_counter() - began)
    print(
        f"scroll: 50 scrolls to the bottom, {model.rowCount():,} rows loaded; per scroll "
        f"(one fetchMore of {PAGE} + repaint) p50 {statistics.median(fetches) * 1000:.1f} ms, "
        f"max {max(fetches) * 1000:.1f} ms; RSS {rss_mib():.0f} MiB"
    )
    filters = []
    for query in ("张", "zh", "zhang", "zw", "王芳", "138", "5678", "li", ""):
        began = time.perf_counter()
        contacts.search.setText(query)
        contacts.apply_search()
        blocked = time.perf_counter() - began
        while contacts.searching:
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()
        filters.append((query, time.perf_counter() - began, blocked))
    shown = ", ".join(f"{q or '∅'} {s * 1000:.0f} ms" for q, s, _ in filters)
    print(f"filter as you type, until the result shows (the search in a worker): {shown}")
    most = max(b for _, _, b in filters) * 1000
    print(f"  the window waited at most {most:.0f} ms per search (the rest ran in the worker)")
    print(f"memory after scrolling and filtering: RSS {rss_mib():.0f} MiB (target ≤ 300 MB)")
    window.close()
    QApplication.processEvents()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--child-start", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child-login", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.child_start is not None:
        child_start(args.child_start)
        return
    password = _bench_store().PASSWORD
    if args.child_login:
        child_login(args.child_login, password)
        return
    print(f"{platform.platform()} | {os.cpu_count()} cores | Python {platform.python_version()}")
    one, five, _ = os.getloadavg()
    print(f"load average {one:.2f} {five:.2f}")
    starts = start_figure()
    print(
        f"start → login dialog: median {statistics.median(starts):.2f} s "
        f"(runs: {', '.join(f'{s:.2f}' for s in starts)}; target ≤ 1.5 s)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        home = args.home or Path(tmp) / "home"
        if not (home / "current").exists():
            build(home, args.contacts)
        subprocess.run(
            [sys.executable, __file__, "--child-login", str(home)],
            check=True,
            env={**os.environ},
        )


if __name__ == "__main__":
    main()
