"""The push's bulk path keeps every rule of the savepoint path (docs/sync.md "How a push is
applied"; issue 3 §3, R8, R14): reads after writes inside one push (two edits of one record,
a delete then an edit, a reference to a record deleted earlier, a unique name taken earlier),
a bad mutation refused alone, a replay that writes nothing, search terms left to the term
backlog yet exactly a full rewrite's once it is caught up (and exact at once for every record
not in it), and a failed bulk write that runs the push again on the savepoint path. Each case
also runs with ``buffering=False`` (the proven path) and both must store the same thing;
hypothesis draws random batches for the same check."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from almanac.model import load_content, sort_key
from almanac.server.db.tables import (
    record_conflicts,
    record_versions,
    records,
    term_backlog,
)
from almanac.server.records import backlog
from almanac.server.sync import pull
from almanac.server.sync.buffer import WriteBuffer
from almanac.server.sync.push import push
from almanac.sync.protocol import PushRequest

from .support import held_terms, wanted_terms

Template = list[tuple[str, str, str, int | None, dict[str, Any] | None]]
"""(op, record symbol, kind, base_version, changes): a batch with symbolic ids."""


def instantiate(template: Template, ids: dict[str, str]) -> PushRequest:
    """The batch with each symbol (also inside ``changes``) replaced by this owner's UUID."""

    def real(value: Any) -> Any:
        if isinstance(value, str) and value in ids:
            return ids[value]
        if isinstance(value, list):
            return [real(v) for v in value]
        if isinstance(value, dict):
            return {k: real(v) for k, v in value.items()}
        return value

    mutations = []
    for op, sym, kind, base, changes in template:
        ids.setdefault(sym, str(uuid.uuid4()))
        m: dict[str, Any] = {
            "mutation_id": str(uuid.uuid4()),
            "record_id": ids[sym],
            "kind": kind,
            "op": op,
            "base_version": base,
        }
        if changes is not None:
            m["changes"] = real(changes)
        mutations.append(m)
    return PushRequest.model_validate({"mutations": mutations})


def symbolic(value: Any, names: dict[str, str]) -> Any:
    """``value`` with this owner's UUIDs turned back into their symbols."""
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [symbolic(v, names) for v in value]
    if isinstance(value, dict):
        return {k: symbolic(v, names) for k, v in value.items()}
    return value


def outcome(results: list[Any], names: dict[str, str]) -> list[Any]:
    return [
        (
            r.status,
            None
            if r.record is None
            else (r.record.version, r.record.deleted, symbolic(r.record.content, names)),
            [(c.field, symbolic(c.kept_value, names), c.kept_version) for c in r.conflicts],
            list(r.notices),
            None if r.error is None else (r.error.code, r.error.field),
        )
        for r in results
    ]


def stored(engine: sa.Engine, owner: int, names: dict[str, str]) -> list[Any]:
    """What the owner has, id-free, after checking that the derived tables agree with the
    records: a live record's sort key is its content's; terms are exactly ``terms_of`` the
    content (none for a tombstone) and carry the record's sort key — at once for a record
    not in the term backlog, and for every record once the backlog is caught up
    (``records.backlog``); the history holds every version, the last one equal to the
    record."""
    with engine.connect() as conn:
        waiting = set(
            conn.execute(
                sa.select(term_backlog.c.record_id).where(term_backlog.c.owner_id == owner)
            ).scalars()
        )
        rows = conn.execute(sa.select(records).where(records.c.owner_id == owner)).all()
    early = held_terms(engine, owner)
    for row in rows:
        if row.id not in waiting:
            assert early.get(row.id, set()) == wanted_terms(row), row.id
    backlog.catch_up_now(engine, owner)
    with engine.connect() as conn:
        assert not backlog.waiting(conn, owner)
        rows = conn.execute(sa.select(records).where(records.c.owner_id == owner)).all()
        history: dict[str, dict[int, str]] = {}
        for rid, version, data in conn.execute(
            sa.select(
                record_versions.c.record_id, record_versions.c.version, record_versions.c.data
            ).where(record_versions.c.owner_id == owner)
        ):
            history.setdefault(rid, {})[version] = data
        conflicts = conn.execute(
            sa.select(record_conflicts.c.record_id, record_conflicts.c.field).where(
                record_conflicts.c.owner_id == owner
            )
        ).all()
    terms = held_terms(engine, owner)
    for row in rows:
        content = None if row.deleted else load_content(row.kind, json.loads(row.data))
        assert terms.get(row.id, set()) == wanted_terms(row), row.id
        if content is not None:  # an update names sort_key only when it changes: still right
            assert row.sort_key == sort_key(row.kind, content), row.id
        assert sorted(history[row.id]) == list(range(1, row.version + 1))
        assert history[row.id][row.version] == row.data
    numbers = [row.change_no for row in rows]
    assert len(numbers) == len(set(numbers))
    return sorted(
        (names[row.id], row.kind, row.version, row.deleted, symbolic(json.loads(row.data), names))
        for row in rows
    ) + sorted((names[rid], field) for rid, field in conflicts)


def run_both(
    engine: sa.Engine, new_owner: Callable[[], int], pushes: list[Template]
) -> tuple[list[Any], list[Any], int, dict[str, str]]:
    """Run the same pushes for two fresh owners, bulk and careful; both must agree. Returns
    the bulk owner's last push results (as ``outcome``), what it stores, its id and ids."""
    seen: list[Any] = []
    for buffering in (True, False):
        owner, ids = new_owner(), {}
        results: list[Any] = []
        for template in pushes:
            results = push(engine, owner, instantiate(template, ids), buffering=buffering).results
        names = {v: k for k, v in ids.items()}
        seen.append((outcome(results, names), stored(engine, owner, names), owner, ids))
    (bulk, bulk_stored, owner, ids), (careful, careful_stored, _, _) = seen
    assert bulk == careful
    assert bulk_stored == careful_stored
    return bulk, bulk_stored, owner, ids


def statuses(results: list[Any]) -> list[str]:
    return [r[0] for r in results]


ANNA: dict[str, Any] = {"name": "安娜", "phones": [{"value": "13800138000"}], "company": "腾讯"}


def test_two_edits_of_one_record_in_onepush(
    engine: sa.Engine, new_owner: Callable[[], int]
) -> None:
    results, _, _, _ = run_both(
        engine,
        new_owner,
        [
            [("create", "a", "contact", None, ANNA)],
            [
                ("update", "a", "contact", 1, {"title": "经理"}),
                ("update", "a", "contact", 2, {"name": "王安娜"}),  # the sort key changes
                ("update", "a", "contact", 1, {"company": "百度"}),  # base from this push
            ],
        ],
    )
    assert statuses(results) == ["applied", "applied", "applied"]
    content = results[2][1][2]
    assert (content["name"], content["title"], content["company"]) == ("王安娜", "经理", "百度")


def test_delete_and_edit_in_onepush(engine: sa.Engine, new_owner: Callable[[], int]) -> None:
    results, _, _, _ = run_both(
        engine,
        new_owner,
        [
            [("create", "a", "contact", None, ANNA), ("create", "b", "contact", None, ANNA)],
            [
                ("delete", "a", "contact", 1, None),
                ("update", "a", "contact", 1, {"title": "经理"}),  # an edit beats a delete
                ("update", "b", "contact", 1, {"title": "经理"}),
                ("delete", "b", "contact", 1, None),  # deleting what was just edited
            ],
        ],
    )
    assert results[1][1][1] is False and "resurrected" in str(results[1][3])
    assert statuses(results)[0] == "applied"


def test_a_resurrected_record_edited_again_in_onepush_stays_live(
    engine: sa.Engine, new_owner: Callable[[], int]
) -> None:
    # The second edit's row update names only what it changes (not ``deleted``): the first
    # edit's ``deleted = false``, staged for the same flush, must still reach the row.
    results, stored_rows, _, _ = run_both(
        engine,
        new_owner,
        [
            [("create", "a", "contact", None, ANNA)],
            [
                ("delete", "a", "contact", 1, None),
                ("update", "a", "contact", 1, {"title": "经理"}),  # an edit beats a delete
                ("update", "a", "contact", 3, {"company": "百度"}),
            ],
        ],
    )
    assert statuses(results) == ["applied", "conflict", "applied"]  # conflict: resurrected
    [(name, _, version, deleted, content)] = stored_rows
    assert (name, version, deleted) == ("a", 4, False)
    assert (content["title"], content["company"]) == ("经理", "百度")


def test_references_and_unique_names_see_thepush(
    engine: sa.Engine, new_owner: Callable[[], int]
) -> None:
    results, _, _, _ = run_both(
        engine,
        new_owner,
        [
            [
                ("create", "g", "group", None, {"name": "同学"}),
                ("create", "a", "contact", None, {**ANNA, "groups": ["g"]}),
            ],
            [
                ("create", "h", "group", None, {"name": "同事"}),
                ("create", "b", "contact", None, {"name": "李四", "groups": ["h"]}),
                ("delete", "g", "group", 1, None),  # unlinks a
                ("update", "a", "contact", 1, {"title": "经理"}),  # base 1: merged with unlink
                ("update", "b", "contact", 1, {"groups": ["h", "g"]}),  # g is gone now
                ("create", "i", "group", None, {"name": "同事"}),  # taken in this push
                ("update", "h", "group", 1, {"name": "同学"}),  # free again: g is deleted
            ],
        ],
    )
    assert statuses(results) == [
        "applied",
        "applied",
        "applied",
        "applied",
        "rejected",
        "rejected",
        "applied",
    ]
    assert results[3][1][2]["groups"] == [] and results[3][1][2]["title"] == "经理"
    assert results[4][4] == ("unknown_reference", "groups.1")
    assert results[5][4] == ("duplicate", "name")


def test_a_bad_mutation_among_good_ones_is_refused_alone(
    engine: sa.Engine, new_owner: Callable[[], int]
) -> None:
    results, _, owner, _ = run_both(
        engine,
        new_owner,
        [
            [("create", s, "contact", None, {"name": f"张{s}"}) for s in "abcd"],
            [
                ("update", "a", "contact", 1, {"title": "经理"}),
                ("update", "b", "contact", 1, {"name": ""}),  # invalid: refused alone
                ("update", "c", "contact", 1, {"birthday": {"month": 13, "day": 1}}),
                ("update", "d", "contact", 5, {"title": "x"}),  # a base from the future
                ("update", "a", "contact", 2, {"company": "百度"}),
            ],
        ],
    )
    assert statuses(results) == ["applied", "rejected", "rejected", "rejected", "applied"]
    assert results[1][4] == ("empty", "name")
    changes = pull(engine, owner, 0, 100).changes
    # b, c, d kept 2-4; a took 5 and 6: the refused ones took no change number.
    assert [c.change_no for c in changes] == [2, 3, 4, 6]


def test_a_replayed_bulk_push_writes_nothing(
    engine: sa.Engine, new_owner: Callable[[], int]
) -> None:
    owner, ids = new_owner(), {}
    first = instantiate([("create", s, "contact", None, {"name": f"张{s}"}) for s in "abc"], ids)
    push(engine, owner, first, buffering=True)
    edits = instantiate(
        [
            ("update", "a", "contact", 1, {"title": "经理"}),
            ("update", "b", "contact", 1, {"name": ""}),
            ("update", "a", "contact", 1, {"title": "总监"}),
            ("create", "d", "contact", None, {"name": "赵六"}),
        ],
        ids,
    )
    answered = push(engine, owner, edits, buffering=True).results
    names = {v: k for k, v in ids.items()}
    before = stored(engine, owner, names)
    again = push(engine, owner, edits, buffering=True).results
    assert [r.status for r in again] == ["duplicate", "rejected", "duplicate", "duplicate"]
    assert [r.record for r in again] == [r.record for r in answered]
    assert stored(engine, owner, names) == before


def test_a_failed_bulk_write_runs_the_push_on_the_savepoint_path(
    engine: sa.Engine,
    new_owner: Callable[[], int],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A bulk insert that fails at the database (here: a row with one of the new ids put in
    the push's own transaction right before it, as a rival's insert would be) rolls the push
    back and runs it again with a savepoint per mutation: everything applied once."""
    owner, other, ids = new_owner(), new_owner(), {}
    request = instantiate(
        [("create", s, "contact", None, {"name": f"张{s}"}) for s in "abc"]
        + [("update", "a", "contact", 1, {"title": "经理"})],
        ids,
    )
    real_flush = WriteBuffer.flush
    raced: list[str] = []

    def racing_flush(self: WriteBuffer, conn: sa.Connection) -> None:
        if self.inserts and not raced:
            raced.append(self.inserts[1]["id"])
            now = self.inserts[0]["created_at"]
            conn.execute(
                sa.insert(records).values(
                    id=raced[0],
                    owner_id=other,
                    kind="contact",
                    version=1,
                    change_no=1,
                    created_at=now,
                    updated_at=now,
                    deleted=False,
                    sort_key="",
                    data="{}",
                )
            )
        real_flush(self, conn)

    monkeypatch.setattr(WriteBuffer, "flush", racing_flush)
    with caplog.at_level(logging.INFO, logger="almanac.server.sync.push"):
        results = push(engine, owner, request).results
    assert raced and "runs again without buffering" in caplog.text
    assert [r.status for r in results] == ["applied"] * 4
    names = {v: k for k, v in ids.items()}
    assert [row[:3] for row in stored(engine, owner, names)] == [
        ("a", "contact", 2),
        ("b", "contact", 1),
        ("c", "contact", 1),
    ]
    assert [c.change_no for c in pull(engine, owner, 0, 100).changes] == [2, 3, 4]
    with engine.connect() as conn:
        assert conn.execute(sa.select(records).where(records.c.owner_id == other)).all() == []


KINDS = ("contact", "group")


@st.composite
def pushes(draw: st.DrawFn) -> list[Template]:
    """Two pushes over a small pool of records: creates, updates with right, old and future
    bases, deletes, references to groups (some deleted on the way), clashing group names and
    invalid values."""
    names = st.sampled_from(["张三", "李四", "王五", "", "同学", "同事"])
    groups = st.lists(st.sampled_from(["g1", "g2", "zz"]), max_size=2, unique=True)
    out: list[Template] = []
    for _ in range(2):
        template: Template = []
        for _ in range(draw(st.integers(1, 8))):
            kind = draw(st.sampled_from(KINDS))
            sym = draw(st.sampled_from(["g1", "g2"] if kind == "group" else ["a", "b", "c"]))
            op = draw(st.sampled_from(["create", "update", "update", "delete"]))
            base = None if op == "create" else draw(st.integers(1, 4))
            changes: dict[str, Any] | None = None
            if kind == "group" and op != "delete":
                changes = {"name": draw(names)}
            elif op != "delete":
                fields = draw(st.sets(st.sampled_from(["name", "title", "groups"]), min_size=1))
                changes = {f: draw(groups if f == "groups" else names) for f in sorted(fields)}
                if op == "create":
                    changes.setdefault("name", "赵六")
            template.append((op, sym, kind, base, changes))
        out.append(template)
    return out


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batches=pushes())
def test_random_pushes_store_the_same_on_both_paths(
    engine: sa.Engine, new_owner: Callable[[], int], batches: list[Template]
) -> None:
    run_both(engine, new_owner, batches)
