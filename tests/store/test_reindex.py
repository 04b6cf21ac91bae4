"""The deferred search index built in bulk (docs/store.md "Deferred index"; issue 3 §1, R12):
from ``index.BULK`` waiting records on, ``ensure_indexed`` drops the terms' index by record,
inserts the terms in key order and builds that index again. The result must be the index a
record-by-record build gives — stale terms of re-pulled records gone, tombstones unindexed,
the index by record back with its schema definition — and searches must find the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from almanac.store import index
from almanac.store.local import LocalStore
from almanac.sync.decide import ServerState

from .support import contact, pull, server_state

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"


def people(n: int, offset: int = 0) -> list[dict[str, Any]]:
    return [
        contact(
            SURNAMES[(i + offset) % len(SURNAMES)] + GIVEN[(i * 7 + offset) % len(GIVEN)],
            f"139{i + offset:08d}",
            company=f"公司{i % 13}",
        )
        for i in range(n)
    ]


def history() -> list[list[ServerState]]:
    """Some contacts pulled in a small pull (indexed at once), then a pull of more than BULK
    records that renames those, deletes one and brings many new ones."""
    early = [server_state("contact", d) for d in people(40)]
    renamed = [
        server_state("contact", d, version=2, record_id=s.record_id)
        for s, d in zip(early[1:], people(40, offset=5)[1:], strict=True)
    ]
    first = early[0]
    gone = ServerState(first.record_id, first.kind, 2, True, first.content)
    more = [server_state("contact", d) for d in people(index.BULK + 100, offset=11)]
    return [early, [*renamed, gone, *more]]


def build(store: LocalStore, pulls: list[list[ServerState]], *, bulk: bool) -> None:
    small, big = pulls
    pull(store, *small)
    assert not index.unindexed(store._conn, "contact")
    with store.transaction():
        pull(store, *big)
    assert index.unindexed(store._conn, "contact")
    if bulk:
        assert store.reindex() == len(big)
        return
    rows = store._conn.execute(
        "SELECT id, kind, content, deleted FROM items WHERE indexed = 0"
    ).fetchall()
    with store.transaction():  # record by record, each round under the bulk threshold
        for start in range(0, len(rows), 500):
            index.index_rows(store._conn, rows[start : start + 500])


def dump(store: LocalStore) -> tuple[Any, ...]:
    conn = store._conn
    return (
        conn.execute("SELECT * FROM terms ORDER BY kind, term, record_id").fetchall(),
        conn.execute("SELECT id, sort_key, indexed FROM items ORDER BY id").fetchall(),
        conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'terms'"
        ).fetchall(),
    )


def test_a_bulk_build_equals_building_record_by_record(tmp_path: Path) -> None:
    pulls = history()
    bulk = LocalStore.create(tmp_path / "bulk.db", bytes(32))
    small = LocalStore.create(tmp_path / "small.db", bytes(32))
    build(bulk, pulls, bulk=True)
    build(small, pulls, bulk=False)
    assert dump(bulk) == dump(small)
    terms, items, sql = dump(bulk)
    assert all(row[2] == 1 for row in items)
    assert "CREATE INDEX ix_terms_record ON terms (record_id, term)" in {s for (s,) in sql}
    gone = str(pulls[0][0].record_id)
    assert not [t for t in terms if t[2] == gone]  # a tombstone has no terms
    # stale terms are gone: a renamed contact is found by its new name only
    renamed = pulls[1][0]
    old_name, new_name = pulls[0][1].content["name"], renamed.content["name"]
    for store in (bulk, small):
        found = {i.id for i in store.list("contact", q=old_name, limit=500).items}
        assert renamed.record_id not in found
        found = {i.id for i in store.list("contact", q=new_name, limit=500).items}
        assert renamed.record_id in found
        assert store.count("contact") == 39 + index.BULK + 100
    bulk.close()
    small.close()
