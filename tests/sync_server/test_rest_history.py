"""Versions written through the record routes are kept like sync's (R8, R13, R14; issue 3
§3 "concurrent changes to different fields of one record both survive"): a device whose base
is a version made by a web edit merges with later web edits instead of conflicting on
every difference."""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa

from almanac.server.db.tables import record_versions
from api.support import Person, sample

from .support import mutation, push


def versions(engine: sa.Engine, record_id: str) -> dict[int, dict[str, object]]:
    query = sa.select(record_versions).where(record_versions.c.record_id == record_id)
    with engine.connect() as conn:
        return {
            int(r.version): {"deleted": r.deleted, **json.loads(r.data)}
            for r in conn.execute(query)
        }


def test_a_push_based_on_a_web_edit_merges_with_later_web_edits(
    person: Person, engine: sa.Engine
) -> None:
    made = person.create("contacts", sample("contacts"))
    rid = made["id"]
    edited = person.patch(f"/contacts/{rid}", {"company": "腾讯"})
    assert edited.status_code == 200, edited.text
    # The device pulled version 2 (a web edit) and goes offline; the web edits on.
    later = person.patch(f"/contacts/{rid}", {"notes": "网页上改的"})
    assert later.json()["version"] == 3
    [result] = push(person, mutation("update", rid, base_version=2, changes={"title": "经理"}))
    assert result["status"] == "applied"
    assert result["conflicts"] == []
    stored = person.get(f"/contacts/{rid}").json()
    assert (stored["company"], stored["notes"], stored["title"]) == ("腾讯", "网页上改的", "经理")
    history = versions(engine, rid)
    assert sorted(history) == [1, 2, 3, 4]
    assert [history[v].get("company") for v in (1, 2)] == ["阿里巴巴", "腾讯"]


def test_a_same_field_web_edit_is_a_conflict_with_the_right_base(person: Person) -> None:
    made = person.create("contacts", sample("contacts"))
    rid = made["id"]
    person.patch(f"/contacts/{rid}", {"company": "腾讯"})
    [result] = push(person, mutation("update", rid, base_version=1, changes={"company": "百度"}))
    assert result["status"] == "conflict"
    [conflict] = result["conflicts"]
    assert (conflict["base_value"], conflict["other_value"], conflict["kept_value"]) == (
        "阿里巴巴",
        "腾讯",
        "百度",
    )


def test_web_deletes_and_unlinking_are_kept_in_the_history(
    person: Person, engine: sa.Engine
) -> None:
    group = person.create("groups", sample("groups"))
    contact = person.create("contacts", sample("contacts", {"group": group["id"]}))
    gone = person.delete(f"/groups/{group['id']}")
    assert gone.status_code in (200, 204), gone.text
    assert versions(engine, group["id"])[2]["deleted"] is True
    unlinked = versions(engine, contact["id"])
    assert unlinked[1]["groups"] == [group["id"]] and unlinked[2]["groups"] == []
    # A device that saw the contact in the group renames it: merged onto the unlinked one.
    [result] = push(
        person,
        mutation("update", contact["id"], base_version=1, changes={"name": "张三丰"}),
    )
    assert result["status"] == "applied"
    assert result["record"]["content"]["groups"] == []


def test_every_web_create_keeps_its_version_one(person: Person, engine: sa.Engine) -> None:
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for rid in ids:
        person.create("memos", {**sample("memos"), "id": rid})
    assert all(sorted(versions(engine, rid)) == [1] for rid in ids)
