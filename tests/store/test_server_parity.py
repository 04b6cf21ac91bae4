"""The same records in the server's store and in the local store give the same search
results in the same order (issue 3 §6: "same conditions and pinyin matching as the
server"). Runs against every configured server database."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

import pytest
import sqlalchemy as sa

from almanac.server.records import RecordStore
from almanac.store.local import LocalStore

from .data import QUERIES, contact_data, group_ids
from .support import pull, server_state

pytestmark = pytest.mark.db


def _server_ids(records: RecordStore, owner: int, q: str, filters: dict[str, str]) -> list[UUID]:
    found: list[UUID] = []
    cursor = None
    while True:
        page = records.list(owner, "contact", q=q, filters=filters, limit=7, cursor=cursor)
        found += [r.id for r in page.items]
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


def _local_ids(store: LocalStore, q: str, filters: dict[str, str]) -> list[UUID]:
    found: list[UUID] = []
    after = None
    while True:
        page = store.list("contact", q=q, filters=filters, limit=7, after=after)
        found += [i.id for i in page.items]
        if page.next_after is None:
            return found
        after = page.next_after


def test_local_search_equals_the_servers(
    engine: sa.Engine, new_owner: Callable[[], int], tmp_path: Path
) -> None:
    rnd = random.Random(7)
    owner = new_owner()
    records = RecordStore(engine)
    store = LocalStore.create(tmp_path / "store.db", bytes(32))
    groups = group_ids(rnd)
    names = list(groups)
    records.create_many(
        owner, "group", [{"name": n} for n in names], record_ids=[groups[n] for n in names]
    )
    pull(store, *[server_state("group", {"name": n}, record_id=groups[n]) for n in names])
    contacts = [contact_data(rnd, groups) for _ in range(150)]
    ids = [UUID(int=rnd.getrandbits(128), version=4) for _ in contacts]
    records.create_many(owner, "contact", contacts, record_ids=ids)
    half = len(contacts) // 2
    pull(
        store,
        *[
            server_state("contact", c, record_id=i)
            for c, i in zip(contacts[:half], ids[:half], strict=True)
        ],
    )
    for data, record_id in zip(contacts[half:], ids[half:], strict=True):
        store.edit("create", "contact", record_id, data)  # created offline: indexed at once
    filters_cases = [
        {},
        {"group": str(groups["家人"])},
        {"has_birthday": "true"},
        {"has_birthday": "false", "group": str(groups["同事"])},
    ]
    for q in QUERIES:
        for filters in filters_cases:
            assert _local_ids(store, q, filters) == _server_ids(records, owner, q, filters), (
                q,
                filters,
            )
    store.close()
