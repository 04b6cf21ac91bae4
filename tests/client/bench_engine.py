"""Rough figures for the client against a live server in this process (issue 3 "Numbers";
not a test, not the benchmark of record — that is ``bench/sync.py``):

    .venv/bin/python -m tests.client.bench_engine 2000
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from almanac.client.facade import Client
from almanac.remote import HttpTransport

from .conftest import LiveServer


def main(n: int) -> None:
    root = Path(tempfile.mkdtemp())
    server = LiveServer(root / "srv")
    server.start()
    account = server.register()
    a = account.login(root / "a")
    began = time.perf_counter()
    for i in range(n):
        a.add("contact", {"name": f"张伟{i}", "phones": [{"value": f"138{i:08d}"}]})
    print(f"{n} local adds: {time.perf_counter() - began:.2f} s")
    began = time.perf_counter()
    a.sync()
    print(f"sync pushing {n} offline creates: {time.perf_counter() - began:.2f} s")
    b = account.login(root / "b")
    began = time.perf_counter()
    b.sync()
    print(f"first full sync of {n} into an empty store: {time.perf_counter() - began:.2f} s")
    began = time.perf_counter()
    b.sync()
    print(f"no-change sync: {(time.perf_counter() - began) * 1000:.1f} ms")
    item = b.list("contact", limit=1).items[0]
    b.edit("contact", item.id, {"company": "新华书店"})
    began = time.perf_counter()
    b.sync()
    print(f"one-change sync: {(time.perf_counter() - began) * 1000:.1f} ms")
    b.close()
    began = time.perf_counter()
    Client.open(account.password, home=root / "b", transport=HttpTransport).close()
    print(f"open (key derivation included): {(time.perf_counter() - began) * 1000:.0f} ms")
    a.close()
    server.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
