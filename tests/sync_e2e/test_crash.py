"""The crash test (issue 3 §4; R8, R13, R14): the server process is SIGKILLed again and again
in the middle of pushes from several clients, then started again on the same database; every
client retries every push that got no response, with the same mutation ids. Afterwards,
through pull and in the database:

- every acknowledged edit is there exactly once: each created record once, every record at the
  version its own client's acknowledged edits make (a replay applied twice would add a
  version), with the content those edits give;
- the pushes that got no answer and were retried are there too, exactly once;
- the server holds exactly the records the clients created (the count equals the distinct ids);
- change numbers are strictly increasing in pull and gap-free over the history;
- ``applied_mutations`` holds each mutation id once, and every id that was sent.

``ALMANAC_CRASH_KILLS`` (default 3) sets how many times the server is killed;
``ALMANAC_CRASH_SEED`` replays a run (the seed is printed on failure).
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from almanac.model import dump_content, validate_content
from almanac.server.db.engine import make_engine
from almanac.server.db.tables import applied_mutations, record_versions, records, users

from .pusher import Expected, Pusher
from .served import ServerProcess
from .wire import Account, pull_all, register

KILLS = int(os.environ.get("ALMANAC_CRASH_KILLS", "3"))
CLIENTS = 4  # two people, two devices each
BATCH = 8


def normal(kind: str, content: dict[str, Any]) -> dict[str, Any]:
    return dump_content(validate_content(kind, content))


@pytest.mark.db
def test_sigkill_during_pushes_loses_nothing_and_applies_each_edit_once(
    database_url: str, tmp_path: Path
) -> None:
    """Issue 3 §4 crash test: SIGKILL mid-push, restart, retry → every edit exactly once."""
    seed = int(os.environ.get("ALMANAC_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    server = ServerProcess(database_url, tmp_path)
    server.start()
    try:
        people = [register(server.url, device=f"电脑{n}") for n in range(2)]
        stop = threading.Event()
        pushers = [
            Pusher(server.url, people[n % 2], seed * 10 + n, batches=400, size=BATCH, stop=stop)
            for n in range(CLIENTS)
        ]
        threads = [threading.Thread(target=p.run, daemon=True) for p in pushers]
        for thread in threads:
            thread.start()
        for _ in range(KILLS):
            time.sleep(rng.uniform(0.2, 0.8))  # pushes under way
            server.kill()
            time.sleep(rng.uniform(0.0, 0.3))  # clients find nobody there
            server.start()
        time.sleep(0.3)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        context = f"seed={seed}"
        for pusher in pushers:
            assert pusher.error is None, f"{context}: {pusher.error!r}"
        cut = sum(p.cut for p in pushers)
        assert server.kills == KILLS
        assert cut >= 1, f"{context}: no push was cut by the kills"
        engine = make_engine(database_url)
        try:
            for person in people:
                mine = [p for p in pushers if p.account is person]
                check_person(server.url, engine, person, mine)
        finally:
            engine.dispose()
        statuses = sum((p.statuses for p in pushers), Counter[str]())
        print(
            f"\ncrash test ({context}): {KILLS} kills, {cut} pushes cut without an answer, "
            f"{statuses['applied']} applied, {statuses['duplicate']} answered as duplicate"
        )
    finally:
        server.stop()


def check_person(url: str, engine: sa.Engine, person: Account, pushers: Sequence[Pusher]) -> None:
    expected: dict[Any, Expected] = {}
    for pusher in pushers:
        expected.update(pusher.expected)
    assert sum(len(p.expected) for p in pushers) == len(expected)

    # Through pull, in small pages.
    changes = pull_all(url, person, limit=37)
    ids = [c.id for c in changes]
    assert len(ids) == len(set(ids)), "a record delivered twice"
    numbers = [c.change_no for c in changes]
    assert numbers == sorted(set(numbers)), "change numbers not strictly increasing"
    assert set(ids) == set(expected), "records lost or made from nothing"
    for change in changes:
        want = expected[change.id]
        assert change.kind == want.kind
        assert not change.deleted
        assert change.version == want.version, f"{change.id}: an edit applied twice or lost"
        assert change.content is not None
        assert normal(change.kind, change.content) == normal(want.kind, want.content)

    # In the database.
    sent = [str(m) for p in pushers for m in p.sent]
    assert len(sent) == len(set(sent))
    with engine.connect() as conn:
        applied = conn.execute(
            sa.select(applied_mutations.c.mutation_id).where(
                applied_mutations.c.owner_id == person.user_id
            )
        ).scalars()
        counted = Counter(applied)
        assert max(counted.values()) == 1
        assert set(counted) == set(sent), "a sent mutation left no trace, or one came from nowhere"
        count = conn.execute(
            sa.select(sa.func.count()).where(records.c.owner_id == person.user_id)
        ).scalar_one()
        assert count == len(expected)
        last = conn.execute(
            sa.select(users.c.last_change_no).where(users.c.id == person.user_id)
        ).scalar_one()
        history = conn.execute(
            sa.select(
                record_versions.c.record_id, record_versions.c.version, record_versions.c.change_no
            ).where(record_versions.c.owner_id == person.user_id)
        ).all()
    versions: dict[str, list[int]] = {}
    for row in history:
        versions.setdefault(row.record_id, []).append(int(row.version))
    for record_id, want in expected.items():
        got = sorted(versions[str(record_id)])
        assert got == list(range(1, want.version + 1)), f"{record_id}: versions {got}"
    numbers_in_history = sorted(int(row.change_no) for row in history)
    assert numbers_in_history == list(range(1, int(last) + 1)), "change numbers not gap-free"
    assert max(numbers) == last
