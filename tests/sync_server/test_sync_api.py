"""The server half of sync over HTTP (``/api/v1/sync``): replays apply once, concurrent
field edits merge, the later arrival wins a same-field conflict and keeps the other value,
an edit beats a concurrent delete, pull pages deliver every change once, and nobody can push
to another person's records."""

from __future__ import annotations

import uuid
from typing import Any

from api.support import Person, sample

from .support import mutation, new_contact, pull_all, push


def test_a_replayed_push_applies_once(person: Person) -> None:
    rid = str(uuid.uuid4())
    batch = [
        mutation("create", rid, changes=sample("contacts")),
        mutation("update", rid, base_version=1, changes={"company": "腾讯"}),
    ]
    first = push(person, *batch)
    assert [r["status"] for r in first] == ["applied", "applied"]
    before = pull_all(person)
    again = push(person, *batch)
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert [r["record"] for r in again] == [r["record"] for r in first]
    assert pull_all(person) == before
    assert person.get(f"/contacts/{rid}").json()["version"] == 2


def test_different_fields_from_one_base_both_survive(person: Person) -> None:
    record = new_contact(person)
    rid, base = record["id"], record["version"]
    [one] = push(person, mutation("update", rid, base_version=base, changes={"company": "腾讯"}))
    [two] = push(person, mutation("update", rid, base_version=base, changes={"title": "经理"}))
    assert one["status"] == "applied"
    assert two["status"] == "applied"
    stored = person.get(f"/contacts/{rid}").json()
    assert (stored["company"], stored["title"]) == ("腾讯", "经理")
    assert stored["version"] == base + 2


def test_same_field_later_push_wins_and_keeps_the_other_value(person: Person) -> None:
    record = new_contact(person)
    rid, base = record["id"], record["version"]
    [one] = push(person, mutation("update", rid, base_version=base, changes={"company": "腾讯"}))
    [two] = push(person, mutation("update", rid, base_version=base, changes={"company": "百度"}))
    assert two["status"] == "conflict"
    [conflict] = two["conflicts"]
    assert conflict["field"] == "company"
    assert (conflict["kept_value"], conflict["other_value"]) == ("百度", "腾讯")
    assert conflict["base_value"] == "阿里巴巴"
    assert conflict["other_version"] == one["record"]["version"]
    assert person.get(f"/contacts/{rid}").json()["company"] == "百度"


def test_an_edit_beats_a_concurrent_delete(person: Person) -> None:
    record = new_contact(person)
    rid, base = record["id"], record["version"]
    [gone] = push(person, mutation("delete", rid, base_version=base))
    assert gone["status"] == "applied"
    assert gone["record"]["deleted"] is True
    [edit] = push(person, mutation("update", rid, base_version=base, changes={"company": "腾讯"}))
    assert edit["status"] == "conflict"
    assert "resurrected" in edit["notices"]
    assert edit["record"]["deleted"] is False
    stored = person.get(f"/contacts/{rid}").json()
    assert stored["company"] == "腾讯"
    assert stored["name"] == "张三"


def test_a_delete_of_an_unseen_edit_is_refused(person: Person) -> None:
    record = new_contact(person)
    rid, base = record["id"], record["version"]
    push(person, mutation("update", rid, base_version=base, changes={"company": "腾讯"}))
    [refused] = push(person, mutation("delete", rid, base_version=base))
    assert refused["status"] == "conflict"
    assert "delete_refused" in refused["notices"]
    assert person.get(f"/contacts/{rid}").status_code == 200


def test_invalid_content_is_rejected_naming_the_field(person: Person) -> None:
    record = new_contact(person)
    rid, base = record["id"], record["version"]
    bad = mutation("update", rid, base_version=base, changes={"name": ""})
    [result] = push(person, bad)
    assert result["status"] == "rejected"
    assert result["error"]["field"] == "name"
    assert result["record"] is None
    assert person.get(f"/contacts/{rid}").json()["version"] == base
    [again] = push(person, bad)
    assert again == result


def test_pull_pages_deliver_every_change_once_in_order(person: Person) -> None:
    ids = [new_contact(person)["id"] for _ in range(5)]
    push(person, mutation("update", ids[0], base_version=1, changes={"company": "腾讯"}))
    push(person, mutation("delete", ids[1], base_version=1))
    changes = pull_all(person, limit=2)
    numbers = [c["change_no"] for c in changes]
    assert numbers == sorted(set(numbers))
    assert sorted(c["id"] for c in changes) == sorted(ids)
    by_id = {c["id"]: c for c in changes}
    assert by_id[ids[1]]["deleted"] is True
    assert by_id[ids[0]]["content"]["company"] == "腾讯"
    last = numbers[-1]
    assert pull_all(person, cursor=last) == []
    response = person.get("/sync/pull", params={"cursor": last + 100})
    assert response.json()["resync_required"] is True


def test_pull_includes_records_written_through_the_record_routes(person: Person) -> None:
    made = person.create("memos", sample("memos"))
    [change] = pull_all(person)
    assert change["id"] == made["id"]
    assert change["content"]["title"] == "买菜"


def test_nobody_pushes_to_another_persons_records(person: Person, make_person: Any) -> None:
    record = new_contact(person)
    rid = record["id"]
    other = make_person()
    results = push(
        other,
        mutation("update", rid, base_version=1, changes={"company": "坏人"}),
        mutation("delete", rid, base_version=1),
        mutation("create", rid, changes=sample("contacts")),
    )
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert [r["error"]["code"] for r in results[:2]] == ["not_found", "not_found"]
    assert "坏人" not in str(results)
    stored = person.get(f"/contacts/{rid}").json()
    assert (stored["company"], stored["version"], stored["deleted"]) == ("阿里巴巴", 1, False)
    assert pull_all(other) == []
    # Exactly what an id that never existed gets: nothing tells A's ids apart.
    ghost = str(uuid.uuid4())
    for op, extra in (("update", {"changes": {"company": "x"}}), ("delete", {})):
        theirs = mutation(op, rid, base_version=1, **extra)
        never = {
            **mutation(op, ghost, base_version=1, **extra),
            "mutation_id": theirs["mutation_id"],
        }
        [a_id] = push(other, theirs)
        [no_id] = push(make_person(), never)
        assert a_id == {
            **no_id,
            "error": {**no_id["error"], "message": no_id["error"]["message"].replace(ghost, rid)},
        }


def test_group_delete_unlinks_contacts_and_the_versions_are_kept(person: Person) -> None:
    gid = str(uuid.uuid4())
    push(person, mutation("create", gid, kind="group", changes={"name": "家人"}))
    cid = str(uuid.uuid4())
    contact = sample("contacts", {"group": gid})
    push(person, mutation("create", cid, changes=contact))
    [gone] = push(person, mutation("delete", gid, kind="group", base_version=1))
    assert gone["status"] == "applied"
    stored = person.get(f"/contacts/{cid}").json()
    assert stored["groups"] == []
    assert stored["version"] == 2


def test_wrong_kind_and_future_base_are_rejected(person: Person) -> None:
    rid = new_contact(person)["id"]
    [wrong, future] = push(
        person,
        mutation("update", rid, kind="memo", base_version=1, changes={"title": "x"}),
        mutation("update", rid, base_version=9, changes={"company": "x"}),
    )
    assert wrong["error"]["code"] == "wrong_kind"
    assert future["status"] == "rejected"
    assert future["error"]["field"] == "base_version"


def test_push_needs_a_token(person: Person) -> None:
    response = person.client.post("/api/v1/sync/push", json={"mutations": []})
    assert response.status_code in (401, 422)
    assert person.client.get("/api/v1/sync/pull").status_code == 401


def test_a_malformed_push_is_a_422_naming_the_field(person: Person) -> None:
    """The route parses the body in one pass (``PushRequest.model_validate_json``); what it
    refuses comes back as every other route's 422 envelope, nothing applied."""
    rid = str(uuid.uuid4())
    good = mutation("create", rid, changes=sample("contacts"))
    cases: list[tuple[Any, str | None]] = [
        ({"mutations": [{**good, "op": "rename"}]}, "mutations.0.op"),
        ({"mutations": [good, {**good, "extra": 1}]}, "mutations.1.extra"),
        ({"mutations": []}, "mutations"),
        ({"mutations": [good, good]}, None),  # a repeated mutation id
        ({}, "mutations"),
    ]
    for body, field in cases:
        response = person.post("/sync/push", body)
        assert response.status_code == 422, (body, response.text)
        error = response.json()["error"]
        assert error["message"] and error["details"], error
        if field is not None:
            assert error["field"] == field, (body, error)
    raw = person.client.post(
        "/api/v1/sync/push",
        content=b'{"mutations": [',
        headers={**person.headers, "Content-Type": "application/json"},
    )
    assert raw.status_code == 422 and raw.json()["error"]["code"] == "json_invalid", raw.text
    assert person.get(f"/contacts/{rid}").status_code == 404


def test_memo_edits_on_different_lines_merge(person: Person) -> None:
    rid = str(uuid.uuid4())
    memo = {**sample("memos"), "body": "鸡蛋\n牛奶\n面包"}
    push(person, mutation("create", rid, kind="memo", changes=memo))
    one = mutation("update", rid, kind="memo", base_version=1, changes={"body": "鸭蛋\n牛奶\n面包"})
    two = mutation("update", rid, kind="memo", base_version=1, changes={"body": "鸡蛋\n牛奶\n馒头"})
    [first, second] = push(person, one, two)
    assert first["status"] == "applied"
    assert second["status"] == "merged"
    assert person.get(f"/memos/{rid}").json()["body"] == "鸭蛋\n牛奶\n馒头"


def test_a_taken_unique_value_is_rejected_and_changes_no_counter(person: Person) -> None:
    push(person, mutation("create", str(uuid.uuid4()), kind="group", changes={"name": "同事"}))
    before = pull_all(person)
    last = before[-1]["change_no"]
    twin = mutation("create", str(uuid.uuid4()), kind="group", changes={"name": "同事"})
    [result] = push(person, twin)
    assert result["status"] == "rejected"
    assert (result["error"]["code"], result["error"]["field"]) == ("duplicate", "name")
    assert pull_all(person) == before
    # Change numbers stay gap-free: the next write takes the very next number.
    made = new_contact(person)
    assert made["change_no"] == last + 1


def test_identical_concurrent_edits_are_not_conflicts(person: Person) -> None:
    record = new_contact(person)
    rid, base = record["id"], record["version"]
    push(person, mutation("update", rid, base_version=base, changes={"company": "腾讯"}))
    [same] = push(person, mutation("update", rid, base_version=base, changes={"company": "腾讯"}))
    assert same["status"] in ("applied", "merged")
    assert same["conflicts"] == []
    assert same["record"]["version"] == base + 1
