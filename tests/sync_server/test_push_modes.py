"""The push's bulk path and its careful path agree (docs/sync.md "Push: one transaction, a
savepoint per mutation"; R8, R14): plain new records are buffered and inserted in bulk, and
when a bulk insert fails the push runs again with every write under its own savepoint. Both
ways must give the same results and the same stored records, on every database."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from almanac.server.sync import pull
from almanac.server.sync.push import push
from almanac.sync.protocol import PushRequest


def batch() -> list[dict[str, Any]]:
    """Every path of a push in one batch: buffered creates, creates that check references
    and unique names, updates of records created earlier in the batch (reads after
    buffered inserts), a conflict, a rejection, a delete that unlinks."""
    group, a, b, c = (str(uuid.uuid4()) for _ in range(4))

    def m(op: str, rid: str, kind: str = "contact", **extra: Any) -> dict[str, Any]:
        ids = {"mutation_id": str(uuid.uuid4()), "record_id": rid}
        return {**ids, "kind": kind, "op": op, **extra}

    return [
        m("create", a, changes={"name": "张三", "phones": [{"value": "13800138000"}]}),
        m("create", b, changes={"name": "李四"}),
        m("create", group, "group", changes={"name": "同学"}),
        m("create", c, changes={"name": "王五", "groups": [group]}),
        m("update", a, base_version=1, changes={"company": "腾讯"}),
        m("update", a, base_version=1, changes={"company": "百度"}),
        m("create", str(uuid.uuid4()), "group", changes={"name": "同学"}),
        m("create", str(uuid.uuid4()), changes={"name": ""}),
        m("delete", group, "group", base_version=1),
        m("update", c, base_version=1, changes={"title": "经理"}),
    ]


def shape(results: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (
            r.status,
            None if r.record is None else (r.record.version, r.record.deleted),
            [(c.field, c.kept_value, c.other_value, c.kept_version) for c in r.conflicts],
            None if r.error is None else (r.error.code, r.error.field),
        )
        for r in results
    ]


def test_bulk_and_careful_pushes_agree(engine: sa.Engine, new_owner: Callable[[], int]) -> None:
    one, two = new_owner(), new_owner()
    bulk = push(engine, one, PushRequest.model_validate({"mutations": batch()}), buffering=True)
    careful = push(engine, two, PushRequest.model_validate({"mutations": batch()}), buffering=False)
    assert shape(bulk.results) == shape(careful.results)
    assert [r.status for r in bulk.results] == [
        "applied",
        "applied",
        "applied",
        "applied",
        "applied",
        "conflict",
        "rejected",
        "rejected",
        "applied",
        "applied",
    ]
    changes = [pull(engine, owner, 0, 100).changes for owner in (one, two)]
    summary = [[(c.kind, c.version, c.change_no, c.deleted) for c in cs] for cs in changes]
    assert summary[0] == summary[1]
    final = {c.content["name"]: c.content for c in changes[0] if c.kind == "contact"}
    assert final["张三"]["company"] == "百度"
    assert final["王五"]["groups"] == [] and final["王五"]["title"] == "经理"
    numbers = [c.change_no for c in changes[0]]
    assert numbers == sorted(set(numbers))
