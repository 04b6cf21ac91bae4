"""The messages of /api/v1/sync and their limits (R8, R13, R14; issue 3 §3)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from almanac.model import KINDS
from almanac.sync.protocol import (
    KIND_NAMES,
    MAX_PULL_LIMIT,
    MAX_PUSH_MUTATIONS,
    ErrorInfo,
    Mutation,
    MutationResult,
    PullRequest,
    PullResponse,
    PushRequest,
    RecordChange,
)

NOW = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def mutation(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "mutation_id": str(uuid4()),
        "record_id": str(uuid4()),
        "kind": "memo",
        "op": "update",
        "base_version": 3,
        "changes": {"title": "开会"},
    }
    data.update(overrides)
    return data


def change(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(uuid4()),
        "kind": "contact",
        "version": 1,
        "change_no": 1,
        "deleted": False,
        "content": {"name": "张三"},
        "updated_at": NOW.isoformat(),
    }
    data.update(overrides)
    return data


def test_the_kinds_are_the_models_kinds() -> None:
    assert set(KIND_NAMES) == set(KINDS)


def test_a_mutation_round_trips_as_json() -> None:
    m = Mutation.model_validate(mutation())
    assert Mutation.model_validate_json(m.model_dump_json()) == m


@pytest.mark.parametrize(
    "overrides",
    [
        {"op": "create"},  # a create has no base_version
        {"op": "create", "base_version": None, "changes": {}},  # and carries every field
        {"base_version": None},  # an update needs a base
        {"changes": {}},  # and changes something
        {"op": "delete"},  # a delete changes nothing
        {"op": "delete", "base_version": None, "changes": {}},
        {"base_version": 0},
        {"kind": "stock"},
        {"op": "upsert"},
        {"changes": {"Title": "x"}},  # not a field name
        {"changes": {f"f{i}": i for i in range(65)}},  # too many fields
        {"extra": 1},
        {"mutation_id": "not-a-uuid"},
    ],
)
def test_malformed_mutations_are_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Mutation.model_validate(mutation(**overrides))


def test_well_formed_create_and_delete() -> None:
    Mutation.model_validate(mutation(op="create", base_version=None, changes={"title": "x"}))
    Mutation.model_validate(mutation(op="delete", changes={}))


def test_push_batch_limits_and_unique_ids() -> None:
    PushRequest.model_validate({"mutations": [mutation() for _ in range(MAX_PUSH_MUTATIONS)]})
    with pytest.raises(ValidationError):
        PushRequest.model_validate(
            {"mutations": [mutation() for _ in range(MAX_PUSH_MUTATIONS + 1)]}
        )
    with pytest.raises(ValidationError):
        PushRequest.model_validate({"mutations": []})
    twice = mutation()
    with pytest.raises(ValidationError, match="repeated"):
        PushRequest.model_validate({"mutations": [twice, {**twice, "record_id": str(uuid4())}]})


def test_pull_request_limits() -> None:
    assert PullRequest().cursor == 0
    PullRequest(cursor=10, limit=MAX_PULL_LIMIT)
    for bad in ({"cursor": -1}, {"limit": 0}, {"limit": MAX_PULL_LIMIT + 1}):
        with pytest.raises(ValidationError):
            PullRequest.model_validate(bad)


def test_record_change_needs_content_unless_deleted_and_an_aware_time() -> None:
    RecordChange.model_validate(change(deleted=True, content=None))
    with pytest.raises(ValidationError):
        RecordChange.model_validate(change(content=None))
    with pytest.raises(ValidationError):
        RecordChange.model_validate(change(updated_at="2026-05-01T08:00:00"))


def test_pull_response_is_ordered_and_resync_is_empty() -> None:
    PullResponse.model_validate(
        {"changes": [change(change_no=1), change(change_no=4)], "next_cursor": 4, "more": True}
    )
    with pytest.raises(ValidationError):
        PullResponse.model_validate(
            {"changes": [change(change_no=4), change(change_no=4)], "next_cursor": 4}
        )
    with pytest.raises(ValidationError):
        PullResponse.model_validate({"changes": [change(change_no=4)], "next_cursor": 3})
    with pytest.raises(ValidationError):
        PullResponse.model_validate(
            {"changes": [change()], "next_cursor": 1, "resync_required": True}
        )
    assert PullResponse(next_cursor=0, resync_required=True).changes == []


def test_mutation_result_shapes() -> None:
    record = RecordChange.model_validate(change())
    MutationResult(mutation_id=uuid4(), status="applied", record=record)
    MutationResult(
        mutation_id=uuid4(), status="rejected", error=ErrorInfo(code="invalid", message="x")
    )
    with pytest.raises(ValidationError):
        MutationResult(mutation_id=uuid4(), status="applied")
    with pytest.raises(ValidationError):
        MutationResult(mutation_id=uuid4(), status="rejected", record=record)


def test_json_schema_is_available_for_openapi() -> None:
    schema = PushRequest.model_json_schema()
    assert schema["properties"]["mutations"]["maxItems"] == MAX_PUSH_MUTATIONS
