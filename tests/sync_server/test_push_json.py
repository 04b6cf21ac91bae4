"""The push answer is built from each result's JSON (``almanac.server.sync.push.push_json``;
docs/sync.md "How a push is applied"; R8, R14): byte for byte what the protocol's
``PushResponse`` says — fresh results of every path (bulk, savepoint, conflicts, rejections,
deletes), replays, arbitrary text — on every database."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from almanac.server.sync.push import push_json
from almanac.sync.protocol import PushRequest, PushResponse

from .test_push_modes import batch


def _same_as_the_model(raw: bytes) -> PushResponse:
    answer = PushResponse.model_validate_json(raw)
    assert raw == answer.model_dump_json().encode()
    return answer


def test_every_path_and_its_replay_say_what_the_model_says(
    engine: sa.Engine, new_owner: Callable[[], int]
) -> None:
    owner = new_owner()
    request = PushRequest.model_validate({"mutations": batch()})
    first = _same_as_the_model(push_json(engine, owner, request))
    statuses = {r.status for r in first.results}
    assert {"applied", "rejected"} <= statuses
    assert any(r.conflicts for r in first.results)
    again = _same_as_the_model(push_json(engine, owner, request))
    assert [r.status for r in again.results] == [
        "rejected" if r.status == "rejected" else "duplicate" for r in first.results
    ]
    assert [r.record for r in again.results] == [r.record for r in first.results]


text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=text, notes=text)
def test_any_text_is_answered_as_the_model_dumps_it(
    engine: sa.Engine, new_owner: Callable[[], int], name: str, notes: str
) -> None:
    owner = new_owner()
    rid = str(uuid.uuid4())
    mutations = [
        {
            "mutation_id": str(uuid.uuid4()),
            "record_id": rid,
            "kind": "contact",
            "op": "create",
            "changes": {"name": name, "notes": notes},
        },
        {
            "mutation_id": str(uuid.uuid4()),
            "record_id": rid,
            "kind": "contact",
            "op": "update",
            "base_version": 1,
            "changes": {"notes": notes + '\n"</script>\\'},
        },
    ]
    request = PushRequest.model_validate({"mutations": mutations})
    _same_as_the_model(push_json(engine, owner, request))
