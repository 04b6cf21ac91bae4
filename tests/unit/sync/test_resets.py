"""A field put back at its default is saved and synced (R8, R14 — nothing typed is lost).

The model leaves some defaults out of the content (an empty reminder list; a birthday's
``null`` reminders), so an edit to the default makes the key disappear. Such a *reset*
travels as ``null`` in a mutation's changes: the client sees the key gone from the whole new
content (``local_edit(..., whole=True)``), shows it removed (``view``), compacts it like any
edit; the server's merge treats ``null`` and a missing key as the same value and applies a
reset by removing the key (docs/sync.md, "Resets").
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from almanac.model import apply_patch, dump_content, load_content, validate_content
from almanac.sync.decide import (
    AddPending,
    DropPending,
    Pending,
    ReplacePending,
    ServerState,
    local_edit,
    rebase,
    view,
)
from almanac.sync.merge import merge, same_field, without_resets
from almanac.sync.protocol import Mutation

from .harness import MemoryClient, MemoryServer

R = UUID("00000000-0000-4000-8000-0000000000a1")
REMINDER = {"days_before": 1, "at": "09:00"}
HOLIDAY = {
    "name": "结婚纪念日",
    "date": {"calendar": "solar", "year": 2020, "month": 5, "day": 20},
    "yearly": True,
    "notes": "",
    "reminders": [REMINDER],
}
IDS = iter(UUID(int=n) for n in range(10_000, 100_000))


def shadow(version: int = 2, **content: Any) -> ServerState:
    return ServerState(R, "holiday", version, False, without_resets({**HOLIDAY, **content}))


def edit(op: str, content: dict[str, Any], state: ServerState | None, pending: list[Any]) -> Any:
    return local_edit(
        op,  # type: ignore[arg-type]
        content,
        record_id=R,
        kind="holiday",
        mutation_id=next(IDS),
        shadow=state,
        pending=pending,
        whole=True,
    )


def whole(**content: Any) -> dict[str, Any]:
    """The holiday's whole new content as the store makes it (a default left out)."""
    return without_resets({**HOLIDAY, **content})


def update(changes: dict[str, Any], base_version: int = 1) -> Mutation:
    return Mutation(
        mutation_id=uuid4(),
        record_id=R,
        kind="holiday",
        op="update",
        base_version=base_version,
        changes=changes,
    )


# -- the client: decide ----------------------------------------------------------------------


def test_removing_the_last_reminder_queues_a_reset() -> None:
    """The repro of the bug: reminders → [] is left out of the content, so the key is gone;
    the update must carry ``reminders: null``, and the person sees no reminder."""
    state = shadow()
    [action] = edit("update", whole(reminders=None), state, [])
    assert isinstance(action, AddPending)
    m = action.pending.mutation
    assert (m.op, m.base_version, m.changes) == ("update", 2, {"reminders": None})
    assert action.pending.previous == {"reminders": [REMINDER]}
    seen = view(state, [action.pending])
    assert seen is not None and "reminders" not in seen.content


def test_a_field_absent_before_and_after_is_no_change() -> None:
    assert edit("update", whole(reminders=None), shadow(reminders=None), []) == []


def test_a_partial_update_without_whole_leaves_other_fields_alone() -> None:
    """Without ``whole`` the changes are a patch: a field not named is unchanged."""
    [action] = local_edit(
        "update",
        {"notes": "x"},
        record_id=R,
        kind="holiday",
        mutation_id=next(IDS),
        shadow=shadow(),
        pending=[],
    )
    assert action.pending.mutation.changes == {"notes": "x"}


def test_a_reset_joining_an_unsent_create_drops_the_key() -> None:
    [created] = edit("create", dict(HOLIDAY), None, [])
    [grown] = edit("update", whole(reminders=None), None, [created.pending])
    assert isinstance(grown, ReplacePending)
    assert grown.pending.mutation.op == "create"
    assert grown.pending.mutation.changes == whole(reminders=None)
    assert None not in grown.pending.mutation.changes.values()


def test_a_reset_then_the_old_value_again_cancels_the_update() -> None:
    state = shadow()
    [first] = edit("update", whole(reminders=None, notes="n"), state, [])
    [back] = edit("update", whole(notes="n"), state, [first.pending])
    assert isinstance(back, ReplacePending)
    assert back.pending.mutation.changes == {"notes": "n"}
    assert back.pending.previous == {"notes": ""}
    [gone] = edit("update", whole(), state, [back.pending])
    assert gone == DropPending(first.pending.mutation_id, "reverted")


def test_a_value_then_a_reset_of_a_field_that_was_absent_cancels() -> None:
    state = shadow(reminders=None)
    [first] = edit("update", whole(reminders=[REMINDER]), state, [])
    assert first.pending.previous == {}
    [gone] = edit("update", whole(reminders=None), state, [first.pending])
    assert gone == DropPending(first.pending.mutation_id, "reverted")


def test_a_reset_after_a_sent_change_is_a_new_reset() -> None:
    state = shadow(reminders=None)
    [first] = edit("update", whole(reminders=[REMINDER]), state, [])
    sent = Pending(first.pending.mutation, first.pending.previous, sent=True)
    [again] = edit("update", whole(reminders=None), state, [sent])
    assert isinstance(again, AddPending)
    assert again.pending.mutation.changes == {"reminders": None}
    assert again.pending.previous == {"reminders": [REMINDER]}


def test_rebase_of_a_reset_onto_a_state_that_already_lacks_the_key() -> None:
    [reset] = edit("update", whole(reminders=None), shadow(), [])
    assert rebase(reset.pending, shadow(3, reminders=None)) == DropPending(
        reset.pending.mutation_id, "identical"
    )
    [moved] = [rebase(reset.pending, shadow(3, notes="elsewhere"))]
    assert isinstance(moved, ReplacePending)
    assert moved.pending.mutation.base_version == 3
    assert moved.pending.mutation.changes == {"reminders": None}


def test_rebase_keeps_the_base_when_someone_else_changed_the_reset_field() -> None:
    [reset] = edit("update", whole(reminders=None), shadow(), [])
    other = [{"days_before": 3, "at": "08:00"}]
    assert rebase(reset.pending, shadow(3, reminders=other)) is None


# -- the server: merge -----------------------------------------------------------------------


def test_a_reset_removes_the_key_and_the_result_validates() -> None:
    out = merge(HOLIDAY, HOLIDAY, False, update({"reminders": None}), validate=validate_content)
    assert (out.status, out.changed, out.conflicts) == ("applied", True, [])
    assert out.content == whole(reminders=None)  # the validator never saw None for a list


def test_a_reset_of_a_key_already_gone_is_identical() -> None:
    current = whole(reminders=None)
    out = merge(HOLIDAY, current, False, update({"reminders": None}), validate=validate_content)
    assert not out.changed and not out.conflicts


def test_a_reset_and_another_field_edited_elsewhere_both_stay() -> None:
    current = {**HOLIDAY, "notes": "买花"}
    out = merge(HOLIDAY, current, False, update({"reminders": None}), validate=validate_content)
    assert out.status == "applied" and not out.conflicts
    assert out.content == whole(reminders=None, notes="买花")


def test_a_reset_arriving_after_a_concurrent_change_wins_and_keeps_the_other() -> None:
    """The later arrival wins: the reset; the other device's value is a conflict."""
    other = [{"days_before": 7, "at": "10:00"}]
    current = {**HOLIDAY, "reminders": other}
    out = merge(HOLIDAY, current, False, update({"reminders": None}), validate=validate_content)
    assert out.status == "conflict" and "reminders" not in out.content
    [c] = out.conflicts
    assert (c.field, c.kept_value, c.other_value, c.base_value) == (
        "reminders",
        None,
        other,
        [REMINDER],
    )


def test_a_change_arriving_after_a_concurrent_reset_wins_and_keeps_the_default() -> None:
    mine = [{"days_before": 7, "at": "10:00"}]
    current = whole(reminders=None)
    out = merge(HOLIDAY, current, False, update({"reminders": mine}), validate=validate_content)
    assert out.status == "conflict" and out.content["reminders"] == mine
    [c] = out.conflicts
    assert (c.kept_value, c.other_value, c.base_value) == (mine, None, [REMINDER])


def test_a_reset_of_a_set_field_merges_element_wise() -> None:
    base = {"name": "王伟", "groups": ["a", "b"]}
    current = {"name": "王伟", "groups": ["a", "b", "c"]}
    mutation = Mutation(
        mutation_id=uuid4(),
        record_id=R,
        kind="contact",
        op="update",
        base_version=1,
        changes={"groups": None},
    )
    out = merge(base, current, False, mutation)
    assert out.content["groups"] == ["c"] and not out.conflicts


# -- end to end on the model: any sequence of edits with resets --------------------------------

reminder_lists = st.lists(
    st.fixed_dictionaries(
        {"days_before": st.integers(0, 3), "at": st.sampled_from(["09:00", "18:30"])}
    ),
    max_size=2,
    unique_by=lambda r: (r["days_before"], r["at"]),
)
patches = st.one_of(
    st.fixed_dictionaries({"reminders": st.one_of(st.just([]), st.none(), reminder_lists)}),
    st.fixed_dictionaries({"notes": st.sampled_from(["", "带蛋糕", None])}),
    st.fixed_dictionaries({"yearly": st.one_of(st.booleans(), st.none())}),
    st.fixed_dictionaries({"name": st.sampled_from(["结婚纪念日", "搬家日"])}),
)
steps = st.lists(st.tuples(patches, st.sampled_from(["none", "push", "lost"])), max_size=12)


def store_edit(client: MemoryClient, record_id: UUID, patch: dict[str, Any]) -> dict[str, Any]:
    """What ``LocalStore.edit`` does: patch the model, dump the whole content, queue it.
    Returns the content the person typed."""
    seen = client.record(record_id)
    assert seen is not None
    model = apply_patch("holiday", load_content("holiday", seen.content), patch)
    typed = dump_content(model)
    client.replace_content(record_id, typed)
    return typed


@settings(max_examples=80, deadline=None)
@given(steps=steps)
def test_any_edits_with_resets_end_as_the_view_on_the_server(
    steps: list[tuple[dict[str, Any], str]],
) -> None:
    """Whatever the person does — resets included, pushes and lost responses in between — the
    content they see is what the server ends with, and a second sync sends nothing."""
    server = MemoryServer(validate=validate_content)
    client = MemoryClient(number=1)
    expected = dump_content(validate_content("holiday", HOLIDAY))
    record_id = client.create("holiday", expected)
    for patch, then in steps:
        expected = store_edit(client, record_id, patch)
        seen = client.record(record_id)
        assert seen is not None
        assert dump_content(load_content("holiday", seen.content)) == expected  # shown at once
        if then != "none":
            client.push(server, "response" if then == "lost" else None)
    seen = client.record(record_id)
    assert seen is not None
    client.sync(server)
    assert not client.outbox and not client.notices
    stored = server.records[record_id].content
    assert without_resets(stored) == without_resets(seen.content)
    assert dump_content(validate_content("holiday", stored)) == expected
    after = client.record(record_id)
    assert after is not None and same_field(dict(after.content), dict(stored))
    versions = len(server.history[record_id])
    client.sync(server)
    assert len(server.history[record_id]) == versions  # no re-send loop
