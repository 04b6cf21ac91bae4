"""Stored conflicts (issue 3 §3 "flagged as a conflict that the person sees and can settle by
choosing a version"; R8, R14; docs/sync.md "Stored conflicts"): a push's conflict is stored
with an id, listed by ``GET /conflicts``, delivered by pull to the person's other devices,
and settled by a mutation's ``resolves`` — also when the content does not change."""

from __future__ import annotations

from typing import Any

from api.support import Person

from .support import last_cursor, mutation, new_contact, pull_page, push, second_device


def make_conflict(person: Person) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two devices change one contact's company from the same base: (conflict, result)."""
    record = new_contact(person)
    rid, base = record["id"], record["version"]
    push(person, mutation("update", rid, base_version=base, changes={"company": "腾讯"}))
    [result] = push(person, mutation("update", rid, base_version=base, changes={"company": "百度"}))
    assert result["status"] == "conflict"
    [conflict] = result["conflicts"]
    return conflict, result


def conflicts(person: Person, resolved: bool = False) -> list[dict[str, Any]]:
    response = person.get("/conflicts", params={"resolved": str(resolved).lower()})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def test_a_conflict_is_stored_with_its_id_and_versions(person: Person) -> None:
    """The push result names the stored conflict; GET /conflicts lists the same one."""
    conflict, result = make_conflict(person)
    assert conflict["id"] is not None
    assert conflict["kept_version"] == result["record"]["version"]
    assert conflict["other_version"] == result["record"]["version"] - 1
    [listed] = conflicts(person)
    assert listed["id"] == conflict["id"]
    assert listed["record_id"] == result["record"]["id"]
    assert (listed["kind"], listed["field"]) == ("contact", "company")
    assert (listed["kept_value"], listed["other_value"], listed["base_value"]) == (
        "百度",
        "腾讯",
        "阿里巴巴",
    )
    assert listed["change_no"] == result["record"]["change_no"]
    assert listed["resolved"] is False
    assert conflicts(person, resolved=True) == []


def test_another_device_pulls_the_conflict_and_settles_it(person: Person) -> None:
    """Issue 3 "Done means": edit on two devices, see a conflict you can settle — on any
    device; the settlement reaches the first device though no record changed."""
    laptop = second_device(person)
    seen = last_cursor(laptop)
    conflict, result = make_conflict(person)
    mine = last_cursor(person)
    page = pull_page(laptop, seen)
    assert [c["id"] for c in page["conflicts"]] == [conflict["id"]]
    assert page["next_cursor"] == mine
    # The laptop keeps the current value: an update with no changes that resolves it.
    rid = result["record"]["id"]
    settle = mutation(
        "update", rid, base_version=result["record"]["version"], resolves=[conflict["id"]]
    )
    [settled] = push(laptop, settle)
    assert settled["status"] == "applied"
    assert settled["record"]["version"] == result["record"]["version"]
    assert conflicts(person) == []
    [done] = conflicts(person, resolved=True)
    assert done["resolved"] is True and done["change_no"] > mine
    # The first device pulls the settlement alone: no record change, the cursor moves on.
    page = pull_page(person, mine)
    assert page["changes"] == []
    assert [(c["id"], c["resolved"]) for c in page["conflicts"]] == [(conflict["id"], True)]
    assert page["next_cursor"] == done["change_no"]
    assert pull_page(person, page["next_cursor"]) == {**page, "conflicts": []}
    # A replay of the settling push changes nothing more.
    [again] = push(laptop, settle)
    assert again["status"] == "duplicate"
    assert last_cursor(person) == done["change_no"]


def test_choosing_the_other_value_settles_with_the_new_version(person: Person) -> None:
    conflict, result = make_conflict(person)
    rid, version = result["record"]["id"], result["record"]["version"]
    choose = mutation(
        "update",
        rid,
        base_version=version,
        changes={"company": conflict["other_value"]},
        resolves=[conflict["id"]],
    )
    [chosen] = push(person, choose)
    assert chosen["status"] == "applied"
    assert chosen["record"]["content"]["company"] == "腾讯"
    [done] = conflicts(person, resolved=True)
    assert done["change_no"] == chosen["record"]["change_no"]
    assert person.get(f"/contacts/{rid}").json()["company"] == "腾讯"


def test_resolves_touch_only_this_persons_conflicts_of_this_record(
    person: Person, make_person: Any
) -> None:
    """R1: B cannot settle (or learn about) A's conflicts; an id of another record of A's,
    or an unknown id, is ignored."""
    conflict, _result = make_conflict(person)
    other = new_contact(person)
    [wrong_record] = push(
        person,
        mutation("update", other["id"], base_version=1, resolves=[conflict["id"]]),
    )
    assert wrong_record["status"] == "applied"
    b = make_person()
    mine = new_contact(b)
    [b_try] = push(b, mutation("update", mine["id"], base_version=1, resolves=[conflict["id"]]))
    assert b_try["status"] == "applied"
    assert conflicts(b) == [] and conflicts(b, resolved=True) == []
    assert [c["id"] for c in conflicts(person)] == [conflict["id"]]
    assert conflict["id"] not in pull_page(b, 0)["conflicts"]


def test_a_rejected_mutation_settles_nothing(person: Person) -> None:
    conflict, result = make_conflict(person)
    rid, version = result["record"]["id"], result["record"]["version"]
    bad = mutation(
        "update", rid, base_version=version, changes={"name": ""}, resolves=[conflict["id"]]
    )
    [rejected] = push(person, bad)
    assert rejected["status"] == "rejected"
    assert [c["id"] for c in conflicts(person)] == [conflict["id"]]


def test_conflicts_need_a_token(person: Person) -> None:
    response = person.client.get("/api/v1/conflicts")
    assert response.status_code == 401
    assert person.get("/conflicts", params={"resolved": "maybe"}).status_code == 422
