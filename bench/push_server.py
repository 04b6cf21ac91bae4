"""The server's side of a push alone, in this process: its time and CPU per pushed mutation.

``bench/sync.py`` times the push against a live ``almanac serve``, where the server's work is
mixed with HTTP, the client's work on the other core and the machine's noise. Here an account
is loaded into a SQLite database once (10,000 contacts + 10,000 memos, as ``bench/sync.py``
loads it: ``load_account``) and kept in ``--keep``; each run copies it afresh, takes the
records' versions, and pushes what the sync bench pushes — ``--each`` contacts get a new title
and ``--each`` memos a new body — in waves of ``MAX_PUSH_MUTATIONS``, each request parsed
(``PushRequest.model_validate_json``) and applied by ``almanac.server.sync.push.push_json``,
as the route does. ``--only contact|memo`` pushes one kind.

    PYTHONPATH=src .venv/bin/python bench/push_server.py                 # 3 runs
    PYTHONPATH=src .venv/bin/python bench/push_server.py --only contact --runs 5
    valgrind --tool=callgrind --toggle-collect=builtin_exec --callgrind-out-file=/tmp/cg.out \\
        /tmp/pv/bin/python bench/push_server.py --runs 1 --each 1000 --exec

Prints each run's wall time and CPU, and how long the term backlog the push left took to
catch up afterwards (``records.backlog.catch_up_now``, what the server's indexer thread runs
once the pushes pause; not part of the push). ``--exec`` runs the pushes through ``exec()`` for
callgrind's ``--toggle-collect=builtin_exec``; module imports run through it too, so a run
with ``--each 0`` (nothing pushed) gives what to subtract. Pinyin is loaded and a push of a
few made (untimed, not through ``exec``) before the runs, as in a serving process.
"""

from __future__ import annotations

import sys

if sys.path and sys.path[0] == __import__("os").path.dirname(
    __import__("os").path.abspath(__file__)
):
    sys.path.pop(0)  # bench/calendar.py would shadow the standard library's calendar

import argparse
import importlib.util
import json
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from almanac.model.search import warm_pinyin
from almanac.server.db import migrate
from almanac.server.db.engine import make_engine
from almanac.server.db.tables import records, users
from almanac.server.records.backlog import catch_up_now
from almanac.server.settings import ServerSettings
from almanac.server.sync.push import push_json
from almanac.sync.protocol import MAX_PUSH_MUTATIONS, PushRequest

USER = "pushbench"
CATCH_UP: list[tuple[int, float]] = []
"""Each run's term backlog after it: records caught up, seconds (not in the push's time)."""


def _sync_bench() -> Any:
    path = Path(__file__).with_name("sync.py")
    spec = importlib.util.spec_from_file_location("bench_sync", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def prepared(keep: Path) -> Path:
    """The loaded account's data folder (made once)."""
    base = keep / "base"
    if not (base / "loaded").exists():
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        _sync_bench().load_account(base, USER, 10_000, 10_000, 7)
        (base / "loaded").write_text("10,000 contacts + 10,000 memos\n")
    return base


def bodies(engine: sa.Engine, each: int, only: str | None) -> tuple[int, list[bytes]]:
    """The owner's id and the requests' JSON: ``each`` contact titles, ``each`` memo bodies."""
    with engine.connect() as conn:
        owner = conn.execute(sa.select(users.c.id).where(users.c.username == USER)).scalar_one()
        rows = conn.execute(
            sa.select(records.c.id, records.c.kind, records.c.version)
            .where(records.c.owner_id == owner, records.c.deleted.is_(False))
            .order_by(records.c.id)
        ).all()
    mutations: list[dict[str, Any]] = []
    for kind, field, text in (
        ("contact", "title", "主管 {}"),
        ("memo", "body", "已改 {}\n记得带上身份证。"),
    ):
        if only not in (None, kind):
            continue
        mine = [row for row in rows if row.kind == kind][:each]
        mutations += [
            {
                "mutation_id": str(uuid.uuid4()),
                "record_id": row.id,
                "kind": kind,
                "op": "update",
                "base_version": row.version,
                "changes": {field: text.format(f"1930-{n}")},
            }
            for n, row in enumerate(mine)
        ]
    step = MAX_PUSH_MUTATIONS
    return owner, [
        json.dumps({"mutations": mutations[i : i + step]}).encode()
        for i in range(0, len(mutations), step)
    ]


def run(base: Path, work: Path, args: argparse.Namespace) -> tuple[float, float, int]:
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(base, work)
    engine = make_engine(ServerSettings(data_dir=work).database_url())
    migrate.upgrade(engine)  # a --keep made before the newest migration
    try:
        owner, requests = bodies(engine, args.each, args.only)
        scope: dict[str, Any] = {
            "requests": requests,
            "parse": PushRequest.model_validate_json,
            "push_json": push_json,
            "engine": engine,
            "owner": owner,
            "answers": [],
        }
        code = "for body in requests:\n    answers.append(push_json(engine, owner, parse(body)))"
        began, cpu = time.perf_counter(), time.process_time()
        if args.exec:
            exec(code, scope)
        else:
            for body in requests:
                scope["answers"].append(
                    push_json(engine, owner, PushRequest.model_validate_json(body))
                )
        wall, cpu = time.perf_counter() - began, time.process_time() - cpu
        applied = sum(answer.count(b'"status":"applied"') for answer in scope["answers"])
        began = time.perf_counter()
        caught = catch_up_now(engine, owner)  # what the indexer does once the pushes pause
        CATCH_UP.append((caught, time.perf_counter() - began))
        return wall, cpu, applied
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--each", type=int, default=5000, help="contacts and memos pushed")
    parser.add_argument("--only", choices=["contact", "memo"])
    parser.add_argument("--keep", type=Path, default=Path("/tmp/almanac-push-server"))
    parser.add_argument("--exec", action="store_true", help="the pushes through exec()")
    args = parser.parse_args()
    base = prepared(args.keep)
    warm_pinyin()
    # An untimed push of a few first, outside ``exec``: what a serving process has loaded
    # by its second push (lazy imports, compiled statements) is not counted.
    run(base, args.keep / "warm", argparse.Namespace(each=5, only=None, exec=False))
    for n in range(args.runs):
        wall, cpu, applied = run(base, args.keep / "work", args)
        per = 1e6 * cpu / applied if applied else 0.0
        caught, seconds = CATCH_UP[-1]
        print(
            f"run {n + 1}: {applied:,} applied in {wall * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms"
            f" ({per:.0f} µs a mutation); then the term backlog of {caught:,} records caught up"
            f" in {seconds * 1000:.0f} ms",
            flush=True,
        )


if __name__ == "__main__":
    main()
