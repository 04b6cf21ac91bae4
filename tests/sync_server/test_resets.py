"""A reset (``null`` in a pushed mutation's changes: a field back at its default) on the real
server, on each test database (R8, R14; docs/sync.md "Resets"): applied by removing the key,
the same content as a REST PATCH with ``null``, a reset of a key already gone changes
nothing, a reset against a concurrent change of the same field is a stored conflict whose
default side is ``null``, and a batch of resets takes the buffered push path."""

from __future__ import annotations

import uuid
from typing import Any

from api.support import Person

from .support import mutation, pull_all, push

REMINDER = {"days_before": 1, "at": "09:00"}
OTHER = [{"days_before": 7, "at": "10:00"}]
HOLIDAY = {
    "name": "结婚纪念日",
    "date": {"calendar": "solar", "month": 5, "day": 20},
    "reminders": [REMINDER],
}


def new_holiday(person: Person) -> str:
    rid = str(uuid.uuid4())
    [result] = push(person, mutation("create", rid, "holiday", changes=HOLIDAY))
    assert result["status"] == "applied", result
    assert result["record"]["content"]["reminders"] == [REMINDER]
    return rid


def reset(rid: str, base: int) -> dict[str, Any]:
    return mutation("update", rid, "holiday", base_version=base, changes={"reminders": None})


def content_of(person: Person, rid: str) -> dict[str, Any]:
    [change] = [c for c in pull_all(person) if c["id"] == rid]
    content: dict[str, Any] = change["content"]
    return content


def test_a_reset_removes_the_key_like_a_rest_patch_with_null(person: Person) -> None:
    pushed, patched = new_holiday(person), new_holiday(person)
    [result] = push(person, reset(pushed, 1))
    assert result["status"] == "applied", result
    assert "reminders" not in result["record"]["content"]
    assert result["record"]["version"] == 2
    response = person.patch(f"/holidays/{patched}", {"reminders": None}, headers={"If-Match": "1"})
    assert response.status_code == 200, response.text
    assert person.get(f"/holidays/{pushed}").json().get("reminders", []) == []
    assert content_of(person, pushed) == content_of(person, patched)
    assert "reminders" not in content_of(person, pushed)


def test_a_reset_of_a_key_already_gone_changes_nothing(person: Person) -> None:
    rid = new_holiday(person)
    push(person, reset(rid, 1))
    [again] = push(person, reset(rid, 2))
    assert again["status"] == "applied" and "identical" in again["notices"]
    assert again["record"]["version"] == 2
    [late] = push(person, reset(rid, 1))  # a second device made the same reset
    assert late["status"] in ("applied", "merged") and not late["conflicts"]
    assert late["record"]["version"] == 2


def test_a_reset_after_a_concurrent_change_wins_and_stores_the_other_value(
    person: Person,
) -> None:
    rid = new_holiday(person)
    change = {"reminders": OTHER}
    [one] = push(person, mutation("update", rid, "holiday", base_version=1, changes=change))
    assert one["status"] == "applied"
    [two] = push(person, reset(rid, 1))
    assert two["status"] == "conflict"
    [conflict] = two["conflicts"]
    assert (conflict["field"], conflict["kept_value"], conflict["other_value"]) == (
        "reminders",
        None,
        OTHER,
    )
    assert conflict["base_value"] == [REMINDER]
    assert "reminders" not in two["record"]["content"]
    [stored] = person.get("/conflicts", params={"resolved": "false"}).json()
    assert (stored["kept_value"], stored["other_value"]) == (None, OTHER)


def test_a_change_after_a_concurrent_reset_wins_and_stores_null(person: Person) -> None:
    rid = new_holiday(person)
    push(person, reset(rid, 1))
    change = {"reminders": OTHER}
    [two] = push(person, mutation("update", rid, "holiday", base_version=1, changes=change))
    assert two["status"] == "conflict"
    [conflict] = two["conflicts"]
    assert (conflict["kept_value"], conflict["other_value"]) == (OTHER, None)
    assert content_of(person, rid)["reminders"] == OTHER


def test_a_batch_of_resets_in_one_push(person: Person) -> None:
    ids = [new_holiday(person) for _ in range(5)]
    results = push(person, *(reset(rid, 1) for rid in ids))
    assert [r["status"] for r in results] == ["applied"] * 5
    changes = {c["id"]: c for c in pull_all(person)}
    for rid in ids:
        assert changes[rid]["version"] == 2
        assert "reminders" not in changes[rid]["content"]
