"""A push is one transaction with a savepoint per mutation (issue 3 §3 "a push replayed
after a lost response applies exactly once"; R8, R14): a rejected mutation rolls back only
itself and its rejection is remembered; a replay of the batch applies nothing new."""

from __future__ import annotations

import uuid

from api.support import Person, sample

from .support import last_cursor, mutation, new_contact, pull_all, push


def test_one_bad_mutation_of_three_rolls_back_only_itself(person: Person) -> None:
    group = {"name": "同事"}
    first_group = str(uuid.uuid4())
    [made] = push(person, mutation("create", first_group, kind="group", changes=group))
    assert made["status"] == "applied"
    before = last_cursor(person)
    ok_one, ok_two = str(uuid.uuid4()), str(uuid.uuid4())
    batch = [
        mutation("create", ok_one, changes=sample("contacts")),
        # A second group with a taken name: refused after the first one was written.
        mutation("create", str(uuid.uuid4()), kind="group", changes=group),
        mutation("create", ok_two, changes={**sample("contacts"), "name": "王五"}),
    ]
    results = push(person, *batch)
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert results[1]["error"]["code"] == "duplicate"
    assert results[1]["error"]["field"] == "name"
    # The refused one took no change number; the others got consecutive ones.
    numbers = [results[0]["record"]["change_no"], results[2]["record"]["change_no"]]
    assert numbers == [before + 1, before + 2]
    assert last_cursor(person) == before + 2
    everything = pull_all(person)
    assert {c["id"] for c in everything} == {first_group, ok_one, ok_two}
    # The replay answers as the first time (the rejection remembered) and writes nothing.
    again = push(person, *batch)
    assert [r["status"] for r in again] == ["duplicate", "rejected", "duplicate"]
    assert again[1] == results[1]
    assert [r["record"] for r in again[::2]] == [r["record"] for r in results[::2]]
    assert pull_all(person) == everything
    assert last_cursor(person) == before + 2


def test_later_mutations_of_a_push_see_the_earlier_ones(person: Person) -> None:
    """In one transaction, a create then two updates of the same record chain their bases."""
    rid = str(uuid.uuid4())
    results = push(
        person,
        mutation("create", rid, changes=sample("contacts")),
        mutation("update", rid, base_version=1, changes={"company": "腾讯"}),
        mutation("update", rid, base_version=2, changes={"title": "经理"}),
        mutation("update", rid, base_version=1, changes={"company": "百度"}),
    )
    assert [r["status"] for r in results] == ["applied", "applied", "applied", "conflict"]
    stored = person.get(f"/contacts/{rid}").json()
    assert (stored["company"], stored["title"], stored["version"]) == ("百度", "经理", 4)
    [conflict] = results[3]["conflicts"]
    assert (conflict["other_value"], conflict["other_version"]) == ("腾讯", 3)


def test_a_mixed_replay_applies_only_the_new_mutations(person: Person) -> None:
    """A client that lost the answer resends the batch with one more edit: only that one
    is applied."""
    record = new_contact(person)
    rid = record["id"]
    first = mutation("update", rid, base_version=1, changes={"company": "腾讯"})
    [done] = push(person, first)
    second = mutation("update", rid, base_version=2, changes={"title": "经理"})
    results = push(person, first, second)
    assert [r["status"] for r in results] == ["duplicate", "applied"]
    assert results[0]["record"] == done["record"]
    assert person.get(f"/contacts/{rid}").json()["version"] == 3
