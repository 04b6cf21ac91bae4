"""The pull page is built from the stored rows as JSON text (``almanac.server.sync.pull``;
docs/sync.md "Server side"; R8, R14): it must say exactly what a ``PullResponse`` made from
the same records through the record store's decoding says — every page, every cursor, on
every database — and parse as the protocol's ``PullResponse``."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from almanac.server.db.tables import records, users
from almanac.server.records.stored import from_row
from almanac.server.sync import conflicts as stored_conflicts
from almanac.server.sync.pull import pull, pull_json
from almanac.server.sync.push import push
from almanac.sync.protocol import PullResponse, PushRequest, RecordChange

from .test_push_modes import batch


def reference(engine: sa.Engine, owner: int, cursor: int, limit: int) -> dict[str, Any]:
    """The page as the protocol's model gives it, from rows decoded by the record store."""
    with engine.connect() as conn:
        last, purged = conn.execute(
            sa.select(users.c.last_change_no, users.c.purged_change_no).where(users.c.id == owner)
        ).one()
        if cursor > last or 0 < cursor < purged:
            page = PullResponse(changes=[], next_cursor=0, more=False, resync_required=True)
            return page.model_dump(mode="json")
        rows = conn.execute(
            sa.select(records)
            .where(records.c.owner_id == owner, records.c.change_no > cursor)
            .order_by(records.c.change_no)
            .limit(limit + 1)
        ).all()
        found = [from_row(row) for row in rows]
        more = len(found) > limit
        next_cursor = found[limit - 1].change_no if more else int(last)
        conflicts = stored_conflicts.between(conn, owner, cursor, next_cursor)
    changes = [
        RecordChange(
            id=r.id,
            kind=r.kind,
            version=r.version,
            change_no=r.change_no,
            deleted=r.deleted,
            content=r.data,
            updated_at=r.updated_at,
        )
        for r in found[:limit]
    ]
    page = PullResponse(changes=changes, conflicts=conflicts, next_cursor=next_cursor, more=more)
    return page.model_dump(mode="json")


def owner_with_history(engine: sa.Engine, new_owner: Callable[[], int]) -> int:
    """Creates, updates, a stored conflict, a delete that unlinks, awkward text, and one
    record whose time has a fraction of a second."""
    owner = new_owner()
    push(engine, owner, PushRequest.model_validate({"mutations": batch()}))
    odd = str(uuid.uuid4())
    text = {"name": '引号"\\反斜杠 😀', "notes": "第一行\n第二行\t<&>\u2028", "title": ""}
    created = {"mutation_id": str(uuid.uuid4()), "record_id": odd, "kind": "contact"}
    push(
        engine,
        owner,
        PushRequest.model_validate({"mutations": [{**created, "op": "create", "changes": text}]}),
    )
    with engine.begin() as conn:
        conn.execute(
            records.update()
            .where(records.c.id == odd)
            .values(updated_at=datetime(2026, 11, 27, 9, 30, 15, 123456, tzinfo=UTC))
        )
    return owner


def test_every_page_says_what_the_model_says(
    engine: sa.Engine, new_owner: Callable[[], int]
) -> None:
    owner = owner_with_history(engine, new_owner)
    last = reference(engine, owner, 0, 1000)["next_cursor"]
    for limit in (1, 2, 3, 1000):
        for cursor in range(last + 2):
            raw = pull_json(engine, owner, cursor, limit)
            assert json.loads(raw) == reference(engine, owner, cursor, limit), (cursor, limit)
            assert PullResponse.model_validate_json(raw) == pull(engine, owner, cursor, limit)
    everything = json.loads(pull_json(engine, owner, 0, 1000))
    assert any(c["deleted"] for c in everything["changes"])
    assert everything["conflicts"], "the batch makes a stored conflict"
    assert any("." in c["updated_at"] for c in everything["changes"]) or engine.name == "mysql"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40),
    notes=st.text(max_size=80).map(lambda s: s.replace("\x00", "")),
)
def test_any_stored_text_comes_out_as_stored(
    engine: sa.Engine, new_owner: Callable[[], int], name: str, notes: str
) -> None:
    owner = new_owner()
    content = {"name": name.strip() or "名", "notes": notes}
    mutation = {
        "mutation_id": str(uuid.uuid4()),
        "record_id": str(uuid.uuid4()),
        "kind": "contact",
        "op": "create",
        "changes": content,
    }
    [result] = push(engine, owner, PushRequest.model_validate({"mutations": [mutation]})).results
    if result.status == "rejected":
        return  # content the model refuses is never stored
    raw = pull_json(engine, owner, 0, 10)
    assert json.loads(raw) == reference(engine, owner, 0, 10)
    [change] = PullResponse.model_validate_json(raw).changes
    assert change.content == result.record.content  # type: ignore[union-attr]
