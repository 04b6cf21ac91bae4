"""The client's side of a push alone, in this process: its CPU per pushed mutation.

``bench/sync.py`` times the push against a live ``almanac serve``; there the client's CPU is
mixed with the HTTP time and the figure is as noisy as the machine. Here the server is a
stand-in: an encrypted store in a temporary folder gets 10,000 contacts + 10,000 memos as a
first sync leaves them (``apply_pulled``, index deferred), 5,000 contacts get a new title and
5,000 memos a new body (``LocalStore.edit``, as ``Client.edit``), and ``engine.push_all``
pushes them through a transport (``push_encoded``) that finds the request's mutation ids in
its JSON, optionally sleeps ``--server-ms`` per wave (the server's time, no CPU), and returns
an answer's JSON made beforehand — each mutation applied, the record at ``base_version + 1``
with the content the device shows. So the CPU measured is the client's only (and that small
search): request JSON, answer parsing, picking and committing the waves, applying the
answers.

    PYTHONPATH=src .venv/bin/python bench/push_client.py                    # 10,000 edits
    PYTHONPATH=src .venv/bin/python bench/push_client.py --server-ms 65     # with waits
    PYTHONPATH=src .venv/bin/python bench/push_client.py --profile /tmp/p.prof
    valgrind --tool=callgrind --toggle-collect=builtin_exec --callgrind-out-file=/tmp/cg.out \\
        /tmp/pv/bin/python bench/push_client.py --keep /tmp/pc --records 2000 --edits 2000

Prints the push's wall time and CPU (``time.process_time``: both threads). The push runs
through ``exec()`` for callgrind's ``--toggle-collect=builtin_exec``; module imports run
through it too (~1.5 G instructions at start-up), so a ``--dry`` run (all but the push) gives
what to subtract. ``--keep``: the prepared store is made once and copied afresh per run.
"""

from __future__ import annotations

import sys

if sys.path and sys.path[0] == __import__("os").path.dirname(
    __import__("os").path.abspath(__file__)
):
    sys.path.pop(0)  # bench/calendar.py would shadow the standard library's calendar

import argparse
import cProfile
import random
import re
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from almanac.client import engine
from almanac.model import dump_content, validate_content
from almanac.store.local import LocalStore
from almanac.sync.protocol import MutationResult, RecordChange

KEY = bytes(range(32))
"""The bench store's key (a kept store opens with it again)."""
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志文玉兰"
COMPANIES = ["", "", "华为技术有限公司", "中国银行", "阿里巴巴", "重庆火锅店", "新华书店"]
TITLES = ["周末去超市采购", "给妈妈打电话", "季度报告提纲", "装修预算", "体检预约", "会议纪要"]
LINES = ["记得带上身份证和医保卡。", "大米两袋、鸡蛋一盒、酱油、青菜。", "预算控制在三万元以内。"]


def contact(rnd: random.Random, groups: list[str]) -> dict[str, Any]:
    name = rnd.choice(SURNAMES) + "".join(rnd.sample(GIVEN, rnd.randint(1, 2)))
    data: dict[str, Any] = {
        "name": name,
        "phones": [{"label": "mobile", "value": f"138{rnd.randrange(10**8):08d}"}],
        "company": rnd.choice(COMPANIES),
        "groups": rnd.sample(groups, rnd.randint(0, 2)),
    }
    if rnd.random() < 0.3:
        data["emails"] = [{"label": "work", "value": f"u{rnd.randrange(10**6)}@example.com"}]
    return data


def memo(rnd: random.Random, n: int) -> dict[str, Any]:
    body = "\n".join(rnd.sample(LINES, rnd.randint(1, 3)))
    return {"title": f"{rnd.choice(TITLES)} {n}", "body": body, "pinned": rnd.random() < 0.05}


def change(kind: str, data: dict[str, Any], number: int, rid: UUID | None = None) -> RecordChange:
    content = dump_content(validate_content(kind, data))
    return RecordChange(
        id=rid or uuid4(), kind=kind, version=1, change_no=number, content=content,
        updated_at=NOW,
    )  # fmt: skip


def first_sync(store: LocalStore, contacts: int, memos: int) -> tuple[list[UUID], list[UUID]]:
    """The store as a first sync leaves it (one transaction, pages of 1,000)."""
    rnd = random.Random(7)
    groups = [change("group", {"name": f"组{n}"}, n + 1) for n in range(10)]
    group_ids = [str(g.id) for g in groups]
    made = [*groups]
    made += [change("contact", contact(rnd, group_ids), 11 + n) for n in range(contacts)]
    made += [change("memo", memo(rnd, n), 11 + contacts + n) for n in range(memos)]
    with store.transaction():
        for start in range(0, len(made), 1000):
            store.apply_pulled(made[start : start + 1000])
        store.cursor = len(made)
    people = [c.id for c in made if c.kind == "contact"]
    notes = [c.id for c in made if c.kind == "memo"]
    return people, notes


class StandIn:
    """A transport whose server answers from ``answers`` (JSON per mutation id)."""

    server_url = "http://stand-in"

    def __init__(self, answers: dict[UUID, str], server_seconds: float) -> None:
        self.answers = answers
        self.server_seconds = server_seconds
        self.calls = 0
        self.late = 0.0

    def push_encoded(self, token: str, body: bytes) -> bytes:
        # The server's part, kept cheap: the request's mutation ids found in its JSON.
        asked = MUTATION_ID.findall(body)
        if self.server_seconds:  # the answer is late by how long this thread waits for the GIL
            began = time.perf_counter()
            time.sleep(self.server_seconds)
            self.late += time.perf_counter() - began - self.server_seconds
        self.calls += 1
        parts = ",".join(self.answers[UUID(m.decode())] for m in asked)
        return f'{{"results":[{parts}]}}'.encode()


MUTATION_ID = re.compile(rb'"mutation_id":"([0-9a-f-]{36})"')


def answers_for(store: LocalStore) -> dict[UUID, str]:
    """What the server answers to each pending mutation: applied, at ``base_version + 1``,
    with the content as the device shows it (in the model's order, as the server writes it)."""
    found: dict[UUID, str] = {}
    for n, entry in enumerate(store.outbox()):
        item = store.get(entry.record_id)
        assert item is not None
        content = dump_content(validate_content(item.kind, dict(item.content)))
        record = RecordChange(
            id=entry.record_id, kind=entry.mutation.kind,
            version=(entry.mutation.base_version or 0) + 1, change_no=100_000 + n,
            content=content, updated_at=NOW,
        )  # fmt: skip
        result = MutationResult(mutation_id=entry.mutation_id, status="applied", record=record)
        found[entry.mutation_id] = result.model_dump_json()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=10_000, help="contacts, and as many memos")
    parser.add_argument("--server-ms", type=float, default=0.0, help="the server's time per wave")
    parser.add_argument("--profile", type=Path, help="cProfile stats of the push go here")
    parser.add_argument(
        "--dry", action="store_true", help="all but the push (callgrind: what to subtract)"
    )
    parser.add_argument(
        "--keep", type=Path, help="keep the prepared store here and start from it next time"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="almanac-pushclient-") as tmp:
        path = Path(tmp) / "store.db"
        kept = args.keep / f"store-{args.records}-{args.edits}.db" if args.keep else None
        if kept is None or not kept.exists():
            began = time.perf_counter()
            with LocalStore.create(path, KEY) as store:
                prepare(store, args.records, args.edits)
            print(f"prepared in {time.perf_counter() - began:.1f} s")
            if kept is not None:
                kept.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, kept)
        else:
            shutil.copyfile(kept, path)
        with LocalStore.open(path, KEY) as store:
            run(store, args)


def prepare(store: LocalStore, records: int, edits: int) -> None:
    """A first sync, then the offline edits (a checkpoint leaves it all in the file)."""
    people, notes = first_sync(store, records, records)
    half = edits // 2
    for n, rid in enumerate(people[:half]):
        store.edit("update", "contact", rid, {"title": f"主管 {n}"})
    for n, rid in enumerate(notes[: edits - half]):
        store.edit("update", "memo", rid, {"body": f"已改 {n}\n记得带上身份证。"})


def run(store: LocalStore, args: argparse.Namespace) -> None:
    transport = StandIn(answers_for(store), args.server_ms / 1000)
    print(f"{store.outbox_size():,} pending")
    profile = cProfile.Profile(time.thread_time) if args.profile else None  # CPU, not fsync
    tally = engine.Tally()
    wall, cpu = time.perf_counter(), time.process_time()
    if profile is not None:
        profile.enable()
    # Through exec(): callgrind's --toggle-collect=builtin_exec counts the push alone.
    push = "engine.push_all(store, transport, 'token', tally, confirm=True, progress=quiet)"
    if args.dry:
        push, args.edits = "None", 0
    exec(push, {"engine": engine, "store": store, "transport": transport, "tally": tally,
                "quiet": engine_quiet})  # fmt: skip
    if profile is not None:
        profile.disable()
        profile.dump_stats(str(args.profile))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert args.dry or store.outbox_size() == 0, store.outbox_size()
    assert tally.pushed == args.edits, tally
    per = cpu / max(tally.pushed, 1) * 1e6
    print(
        f"push of {tally.pushed:,} edits in {transport.calls} waves: {wall:.2f} s wall,"
        f" client CPU {cpu:.2f} s ({per:.0f} µs a mutation); server wait {args.server_ms} ms"
        f" a wave, answers taken up {transport.late / max(transport.calls, 1) * 1000:.1f} ms"
        " late on average"
    )


def engine_quiet(_: Any) -> None:
    return None


if __name__ == "__main__":
    main()
