"""How long pushing 10,000 offline edits takes (issue 3 "Numbers": ≤ 2 s), end to end: a
live uvicorn on loopback over a fresh SQLite file, 20 pushes of 500 contact creates, each
push a real HTTP request with JSON both ways. It prints the wall time and the CPU time of the
process (server and client run in it; on a loaded machine the CPU time is the steadier
figure). Not a test (pytest does not collect it):

    .venv/bin/python tests/sync_server/push_speed.py [--edits 10000] [--batch 500] [--db URL]
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx2 as httpx
import uvicorn

from almanac.server.app import create_app
from almanac.server.settings import ServerSettings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def contact(i: int) -> dict[str, object]:
    return {
        "name": f"张{i:05d}",
        "phones": [{"label": "mobile", "value": f"+86 138 {i:04d} {i % 10000:04d}"}],
        "company": "阿里巴巴",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="almanac-push-"))
    settings = ServerSettings(
        data_dir=data_dir,
        db=args.db,
        argon2_time_cost=1,
        argon2_memory_kib=8,
        argon2_parallelism=1,
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}/api/v1"
    with httpx.Client(base_url=base, timeout=60) as client:
        user = f"bench{uuid.uuid4().hex[:8]}"
        client.post("/auth/register", json={"username": user, "password": "bench 口令 2026"})
        token = client.post(
            "/auth/token", json={"username": user, "password": "bench 口令 2026", "device": "b"}
        ).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        batches = [
            [
                {
                    "mutation_id": str(uuid.uuid4()),
                    "record_id": str(uuid.uuid4()),
                    "kind": "contact",
                    "op": "create",
                    "changes": contact(i),
                }
                for i in range(start, min(start + args.batch, args.edits))
            ]
            for start in range(0, args.edits, args.batch)
        ]
        started, cpu = time.perf_counter(), time.process_time()
        for batch in batches:
            response = client.post("/sync/push", json={"mutations": batch}, headers=headers)
            response.raise_for_status()
            assert all(r["status"] == "applied" for r in response.json()["results"])
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    server.should_exit = True
    thread.join()
    rate = args.edits / seconds
    print(
        f"pushed {args.edits} edits in {len(batches)} pushes: {seconds:.2f} s ({rate:.0f}/s); "
        f"CPU of this process (server and client) {cpu:.2f} s"
    )


if __name__ == "__main__":
    main()
