"""Search while the deferred index is incomplete, and the index built in chunks (issue 6 §5,
issue 3 "Numbers"; R4, R12; docs/store.md "Deferred index"): a listing is the indexed items
found through ``terms`` plus the waiting items scanned (``fallback``), under the same
conditions and order — so every page equals the brute-force answer whatever part of the
index exists. ``IndexBuilder`` commits a chunk at a time: killed in the middle, the store
holds whole chunks, and a second run finishes it."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from almanac.store import index, search
from almanac.store.builder import IndexBuilder
from almanac.store.local import LocalStore

from .data import GROUPS, QUERIES, contact_data, group_ids
from .support import pull, server_state
from .test_search import brute_force, listed, model_rows

KEY = bytes(range(32))
PULLED = 600

Book = tuple[LocalStore, dict[str, UUID], list[tuple[str, str, set[str]]]]


def bulk_store(path: Path, seed: int, count: int = PULLED) -> tuple[LocalStore, dict[str, UUID]]:
    """Groups, then ``count`` contacts in one pull (deferred: all wait for their index), a
    few created offline (indexed at once) and some deleted (tombstones wait too)."""
    rnd = random.Random(seed)
    store = LocalStore.create(path, KEY)
    groups = group_ids(rnd)
    pull(store, *[server_state("group", {"name": n}, record_id=gid) for n, gid in groups.items()])
    states = [server_state("contact", contact_data(rnd, groups)) for _ in range(count)]
    with store.transaction():
        pull(store, *states)
    for _ in range(30):
        new = UUID(int=rnd.getrandbits(128), version=4)
        store.edit("create", "contact", new, contact_data(rnd, groups))
    for state in states[:25]:
        store.edit("delete", "contact", state.record_id, {})
    return store, groups


def unindex(store: LocalStore, fraction: float, seed: int, *, stale: bool) -> int:
    """Put a random part of the items back in the state a bulk pull leaves them in (no sort
    key, no terms, ``indexed = 0``); ``stale``: their terms kept, as a store written before
    the waiting items lost theirs may hold them."""
    ids = [r[0] for r in store._conn.execute("SELECT id FROM items WHERE kind = 'contact'")]
    chosen = random.Random(seed).sample(ids, int(len(ids) * fraction))
    with store.transaction():
        store._conn.executemany(
            "UPDATE items SET indexed = 0, sort_key = '' WHERE id = ?", [(i,) for i in chosen]
        )
        if not stale:
            store._conn.executemany("DELETE FROM terms WHERE record_id = ?", [(i,) for i in chosen])
    return len(chosen)


def indexed_state(store: LocalStore) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The terms and the items' sort keys, sorted: what the index holds."""
    conn = store._conn
    terms = conn.execute("SELECT kind, term, record_id, sort_key FROM terms ORDER BY 1, 2, 3")
    keys = conn.execute("SELECT id, sort_key, indexed FROM items ORDER BY id")
    return [tuple(r) for r in terms], [tuple(map(str, r)) for r in keys]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    store, groups = bulk_store(tmp_path_factory.mktemp("partial") / "store.db", 20261127, 300)
    rows = model_rows(store, "contact")
    yield store, groups, rows
    store.close()


def test_waiting_items_are_found_and_nothing_is_written(book: Book) -> None:
    """Right after the bulk pull every query equals brute force, and searching builds
    nothing (the window's thread never pays for the index)."""
    store, _, rows = book
    store.reindex()
    unindex(store, 1.0, 1, stale=False)
    before = store.waiting()
    assert before >= 300
    for q in QUERIES:
        assert listed(store, "contact", q, {}, 1000) == brute_force(rows, "contact", q, {})
    assert store.waiting() == before


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    fraction=st.sampled_from([0.0, 0.05, 0.3, 1.0]),
    stale=st.booleans(),
    seed=st.integers(0, 2**32),
    words=st.lists(st.sampled_from([*QUERIES, "zh", "w", "1", "13", "wang", "王"]), max_size=3),
    group=st.sampled_from([None, *GROUPS]),
    birthday=st.sampled_from([None, "true", "false"]),
    limit=st.integers(1, 40),
    drive_cap=st.sampled_from([0, 5, 60, search.DRIVE_CAP]),
)
def test_property_partial_index_equals_brute_force(
    book: Book,
    fraction: float,
    stale: bool,
    seed: int,
    words: list[str],
    group: str | None,
    birthday: str | None,
    limit: int,
    drive_cap: int,
) -> None:
    """Hypothesis: whatever part of the index is missing (stale terms or none), for any
    query words, facet filters, page size and plan, the pages followed to the end equal a
    brute-force filter (``test_search``: the same once the index is complete)."""
    store, groups, rows = book
    store.reindex()
    unindex(store, fraction, seed, stale=stale)
    filters: dict[str, str] = {}
    if group is not None:
        filters["group"] = str(groups[group])
    if birthday is not None:
        filters["has_birthday"] = birthday
    q = " ".join(words)
    expected = brute_force(rows, "contact", q, filters)
    default, search.DRIVE_CAP = search.DRIVE_CAP, drive_cap
    try:
        assert listed(store, "contact", q, filters, limit) == expected
    finally:
        search.DRIVE_CAP = default


def test_chunks_build_what_one_build_builds(tmp_path: Path) -> None:
    """Chunk by chunk (each its own transaction) the index ends exactly as one bulk build
    leaves it; each chunk indexes ``limit`` items and marks them."""
    chunked, _ = bulk_store(tmp_path / "chunked.db", 7)
    waiting = chunked.waiting()
    assert waiting == PULLED - 25  # the deletes were indexed at once
    chunked.close()
    for suffix in ("", "-wal"):  # the same store twice
        source = tmp_path / f"chunked.db{suffix}"
        if source.exists():
            shutil.copyfile(source, tmp_path / f"one.db{suffix}")
    one = LocalStore.open(tmp_path / "one.db", KEY)
    assert one.reindex() == waiting
    with IndexBuilder(tmp_path / "chunked.db", KEY) as builder:
        seen: list[tuple[int, int]] = []
        assert builder.run(128, lambda done, total: seen.append((done, total))) == waiting
    assert [d for d, _ in seen] == [min(128 * (i + 1), waiting) for i in range(len(seen))]
    chunked = LocalStore.open(tmp_path / "chunked.db", KEY)
    assert chunked.waiting() == 0
    assert indexed_state(chunked) == indexed_state(one)
    one.close()
    chunked.close()


CHILD = """
import sys
from pathlib import Path
from almanac.store.builder import IndexBuilder
with IndexBuilder(Path(sys.argv[1]), bytes(range(32))) as builder:
    builder.run(int(sys.argv[2]), lambda done, total: print(done, flush=True))
"""


def test_a_build_killed_mid_chunk_leaves_whole_chunks_and_resumes(tmp_path: Path) -> None:
    """SIGKILL during the build: the store opens, holds only whole chunks (every indexed
    item with its terms, every other one waiting with none), searches right, and a second
    run indexes the rest."""
    path = tmp_path / "store.db"
    store, _ = bulk_store(path, 11, count=1500)
    rows = model_rows(store, "contact")
    total = store.waiting()
    store.close()
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2] / "src"))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), "100"], stdout=subprocess.PIPE, env=env
    )
    assert child.stdout is not None
    first = int(child.stdout.readline())  # one chunk committed; the next one is under way
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    store = LocalStore.open(path, KEY)
    left = store.waiting()
    assert first == 100 and 0 < left <= total - 100 and (total - left) % 100 == 0
    conn = store._conn
    indexed = {r[0] for r in conn.execute("SELECT id FROM items WHERE indexed = 1")}
    with_terms = {r[0] for r in conn.execute("SELECT DISTINCT record_id FROM terms")}
    assert with_terms <= indexed
    for record_id, kind, text in conn.execute(
        "SELECT id, kind, content FROM items WHERE indexed = 1 AND deleted = 0"
    ).fetchall():
        held = {
            r[0] for r in conn.execute("SELECT term FROM terms WHERE record_id = ?", (record_id,))
        }
        assert held == set(index.stored(index.compute(kind, json.loads(text))[1]))
    for q in QUERIES[:12]:
        assert listed(store, "contact", q, {}, 50) == brute_force(rows, "contact", q, {})
    assert store.index_step(10**6) == left and store.waiting() == 0
    for q in QUERIES[:12]:
        assert listed(store, "contact", q, {}, 50) == brute_force(rows, "contact", q, {})
    store.close()


def test_searches_while_a_builder_commits_chunks(tmp_path: Path) -> None:
    """A builder on its own connection (as the desktop's worker runs it) commits chunks
    while the store's own connection searches: every listing is right, none waits for the
    whole index."""
    path = tmp_path / "store.db"
    store, _ = bulk_store(path, 13)
    rows = model_rows(store, "contact")
    stop = threading.Event()
    errors: list[BaseException] = []

    def build() -> None:
        try:
            with IndexBuilder(path, KEY) as builder:
                builder.run(25, stop=stop.is_set)
        except BaseException as exc:  # reported below, on the test's thread
            errors.append(exc)

    thread = threading.Thread(target=build)
    thread.start()
    rounds = 0
    try:
        while thread.is_alive() or rounds < 3:
            for q in ("", "zhang", "13", "oy"):
                assert listed(store, "contact", q, {}, 40) == brute_force(rows, "contact", q, {})
            rounds += 1
    finally:
        stop.set()
        thread.join()
    assert not errors
    assert store.waiting() == 0
    store.close()
