"""The server's own share of pushing 10,000 offline edits (issue 3 "Numbers"; docs/sync.md
"How a push is applied"): ``almanac.server.sync.push_json`` (what the route answers) called
directly — no HTTP, no client —
with 20 batches of 500 updates (5,000 contact titles, 5,000 memo bodies, as ``bench/sync.py``
changes them) on a fresh SQLite file (or ``--db URL``), then one replayed batch. Prints wall
and CPU time; ``--profile FILE`` writes cProfile stats. Not a test (pytest does not collect
it):

    .venv/bin/python tests/sync_server/push_apply_speed.py [--records 5000] [--db URL]
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

from almanac.model import search
from almanac.server.accounts import Accounts
from almanac.server.db import migrate
from almanac.server.db.engine import make_engine
from almanac.server.records import RecordStore
from almanac.server.settings import ServerSettings
from almanac.server.sync import push
from almanac.server.sync.push import push_json
from almanac.sync.protocol import Mutation, PushRequest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "server.py"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=5000, help="contacts, and as many memos")
    parser.add_argument("--db", default=None)
    parser.add_argument("--profile", default=None)
    args = parser.parse_args()
    spec = importlib.util.spec_from_file_location("bench_server", BENCH)
    assert spec is not None and spec.loader is not None
    names_module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = names_module
    spec.loader.exec_module(names_module)

    settings = ServerSettings(
        data_dir=Path(tempfile.mkdtemp(prefix="almanac-pushapply-")),
        db=args.db,
        argon2_time_cost=1,
        argon2_memory_kib=8,
        argon2_parallelism=1,
    )
    engine = make_engine(settings.database_url())
    migrate.upgrade(engine)
    owner = Accounts(engine, settings).register(f"p{uuid.uuid4().hex[:8]}", "推送 speed 2026").id
    store = RecordStore(engine)
    made = store.create_many(owner, "group", [{"name": g} for g in names_module.GROUPS])
    groups = [str(g.id) for g in made]
    names = names_module.Names(seed=1)
    people = [names.contact(groups) for _ in range(args.records)]
    notes = [{"title": f"会议纪要 {i}", "body": "记得带上身份证。"} for i in range(args.records)]
    contacts = store.create_many(owner, "contact", people)
    memos = store.create_many(owner, "memo", notes)

    def update(record: object, kind: str, changes: dict[str, object]) -> Mutation:
        return Mutation(
            mutation_id=uuid.uuid4(),
            record_id=record.id,  # type: ignore[attr-defined]
            kind=kind,  # type: ignore[arg-type]
            op="update",
            base_version=record.version,  # type: ignore[attr-defined]
            changes=changes,  # type: ignore[arg-type]
        )

    mutations = [update(c, "contact", {"title": f"主管 {n}"}) for n, c in enumerate(contacts)]
    mutations += [update(m, "memo", {"body": f"已改 {n}\n记得"}) for n, m in enumerate(memos)]
    batches = [mutations[i : i + 500] for i in range(0, len(mutations), 500)]
    for cached in (search._prefixed_text_terms, search.syllables, search._segment_syllables):
        cached.cache_clear()  # as in a server that did not write these records itself
    profile = cProfile.Profile() if args.profile else None
    began, cpu = time.perf_counter(), time.process_time()
    if profile is not None:
        profile.enable()
    for batch in batches:
        answer = json.loads(push_json(engine, owner, PushRequest(mutations=batch)))
        assert all(r["status"] == "applied" for r in answer["results"])
    if profile is not None:
        profile.disable()
        profile.dump_stats(args.profile)
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    began = time.perf_counter()
    replay = push(engine, owner, PushRequest(mutations=batches[0])).results
    assert all(r.status == "duplicate" for r in replay)
    print(
        f"pushed {len(mutations):,} updates in {len(batches)} pushes: {wall:.2f} s wall, "
        f"{cpu:.2f} s CPU; a replay of 500: {time.perf_counter() - began:.3f} s"
    )
    engine.dispose()


if __name__ == "__main__":
    main()
