"""The client's sync decisions (R8, R12, R14; issue 3 §2–§3): outbox compaction, rebase on a
pulled change or a push result, what is pushed next, the safety stop — and, end to end through
the in-memory harness, the stories issue 3 names."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from almanac.errors import NotFound
from almanac.sync.decide import (
    AddPending,
    DropPending,
    Notify,
    Pending,
    ReplacePending,
    ServerState,
    SetShadow,
    local_edit,
    needs_confirmation,
    on_pull,
    on_result,
    push_batch,
    view,
)
from almanac.sync.merge import DELETE_REFUSED, RESURRECTED
from almanac.sync.protocol import ErrorInfo, Mutation, MutationResult, RecordChange

from .harness import MemoryClient, MemoryServer, sync_everyone

R = UUID(int=1)
MEMO = {"title": "买菜", "body": "鸡蛋", "pinned": False}


def ids() -> Any:
    n = 100
    while True:
        n += 1
        yield UUID(int=n)


IDS = ids()


def shadow(version: int = 3, deleted: bool = False, **content: Any) -> ServerState:
    return ServerState(R, "memo", version, deleted, {**MEMO, **content})


def change(version: int, deleted: bool = False, **content: Any) -> RecordChange:
    return RecordChange(
        id=R,
        kind="memo",
        version=version,
        change_no=version,
        deleted=deleted,
        content={**MEMO, **content},
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def edit(
    op: str, changes: dict[str, Any], state: ServerState | None, pending: list[Pending]
) -> Any:
    return local_edit(
        op,  # type: ignore[arg-type]
        changes,
        record_id=R,
        kind="memo",
        mutation_id=next(IDS),
        shadow=state,
        pending=pending,
    )


def pending_update(base: int = 3, sent: bool = False, **changes: Any) -> Pending:
    m = Mutation(
        mutation_id=next(IDS),
        record_id=R,
        kind="memo",
        op="update",
        base_version=base,
        changes=changes,
    )
    return Pending(m, {k: MEMO[k] for k in changes}, sent)


# -- local edits and compaction --------------------------------------------------------------


def test_an_edit_queues_an_update_with_only_the_changed_fields() -> None:
    [action] = edit("update", {"title": "买肉", "pinned": False}, shadow(), [])
    assert isinstance(action, AddPending)
    m = action.pending.mutation
    assert (m.op, m.base_version, m.changes) == ("update", 3, {"title": "买肉"})
    assert action.pending.previous == {"title": "买菜"}


def test_an_edit_that_changes_nothing_queues_nothing() -> None:
    assert edit("update", {"title": "买菜"}, shadow(), []) == []


def test_edits_join_the_unsent_update_and_a_revert_cancels_it() -> None:
    first = pending_update(title="买肉")
    [joined] = edit("update", {"pinned": True}, shadow(), [first])
    assert isinstance(joined, ReplacePending)
    assert joined.pending.mutation.changes == {"title": "买肉", "pinned": True}
    assert joined.pending.mutation.mutation_id == first.mutation_id
    [back] = edit("update", {"title": "买菜"}, shadow(), [first])
    assert back == DropPending(first.mutation_id, "reverted")


def test_a_sent_mutation_is_frozen_and_a_new_edit_makes_a_new_one() -> None:
    sent = pending_update(sent=True, title="买肉")
    [action] = edit("update", {"title": "买鱼"}, shadow(), [sent])
    assert isinstance(action, AddPending)
    assert action.pending.previous == {"title": "买肉"}  # what the person saw


def test_edits_join_an_unsent_create_and_deleting_it_cancels_it() -> None:
    [created] = edit("create", MEMO, None, [])
    assert isinstance(created, AddPending)
    [grown] = edit("update", {"title": "买肉"}, None, [created.pending])
    assert isinstance(grown, ReplacePending)
    assert grown.pending.mutation.op == "create"
    assert grown.pending.mutation.changes["title"] == "买肉"
    [gone] = edit("delete", {}, None, [grown.pending])
    assert gone == DropPending(created.pending.mutation_id, "cancelled")


def test_a_delete_replaces_an_unsent_update_and_remembers_the_server_view() -> None:
    first = pending_update(title="买肉")
    [action] = edit("delete", {}, shadow(), [first])
    assert isinstance(action, ReplacePending)
    m = action.pending.mutation
    assert (m.op, m.base_version) == ("delete", 3)
    assert action.pending.previous == MEMO


def test_edits_of_a_missing_or_deleted_record_are_refused() -> None:
    with pytest.raises(NotFound):
        edit("update", {"title": "x"}, None, [])
    with pytest.raises(NotFound):
        edit("update", {"title": "x"}, shadow(deleted=True), [])


def test_the_view_shows_pending_edits_on_the_shadow() -> None:
    record = view(shadow(), [pending_update(title="买肉")])
    assert record is not None and record.content["title"] == "买肉"
    # an edit pending on a record deleted elsewhere shows it again, as the server will
    record = view(shadow(deleted=True), [pending_update(title="买肉")])
    assert record is not None and not record.deleted


# -- pulled changes --------------------------------------------------------------------------


def test_a_pulled_change_rebases_a_pending_edit_of_other_fields() -> None:
    p = pending_update(title="买肉")
    actions = list(on_pull(change(4, pinned=True), shadow(), [p]))
    assert isinstance(actions[0], SetShadow) and actions[0].state.version == 4
    assert isinstance(actions[1], ReplacePending)
    assert actions[1].pending.mutation.base_version == 4


def test_a_pulled_identical_change_drops_the_pending_edit() -> None:
    p = pending_update(title="买肉")
    actions = list(on_pull(change(4, title="买肉"), shadow(), [p]))
    assert actions[1] == DropPending(p.mutation_id, "identical")


def test_a_pulled_concurrent_change_keeps_the_base_so_the_server_flags_it() -> None:
    p = pending_update(title="买肉")
    actions = list(on_pull(change(4, title="买鱼"), shadow(), [p]))
    assert len(actions) == 1 and isinstance(actions[0], SetShadow)


def test_older_pulled_versions_are_ignored() -> None:
    assert list(on_pull(change(3), shadow(), [])) == []


def test_a_pulled_tombstone_drops_a_pending_delete_and_keeps_a_pending_edit() -> None:
    p = pending_update(title="买肉")
    actions = list(on_pull(change(4, deleted=True), shadow(), [p]))
    assert len(actions) == 1  # the edit stays: the server will bring the record back
    [delete] = edit("delete", {}, shadow(), [])
    assert isinstance(delete, AddPending)
    actions = list(on_pull(change(4, deleted=True), shadow(), [delete.pending]))
    assert actions[1] == DropPending(delete.pending.mutation_id, "already_deleted")


def test_a_pending_delete_moves_only_when_nothing_changed_unseen() -> None:
    [delete] = edit("delete", {}, shadow(), [])
    assert isinstance(delete, AddPending)
    same = list(on_pull(change(4), shadow(), [delete.pending]))
    assert isinstance(same[1], ReplacePending) and same[1].pending.mutation.base_version == 4
    changed = list(on_pull(change(4, body="鸡蛋\n别删"), shadow(), [delete.pending]))
    assert len(changed) == 1


# -- push results ----------------------------------------------------------------------------


def test_a_result_drops_the_mutation_stores_the_state_and_rebases_the_next() -> None:
    first = pending_update(sent=True, title="买肉")
    second = pending_update(base=3, pinned=True)
    result = MutationResult(
        mutation_id=first.mutation_id, status="applied", record=change(4, title="买肉")
    )
    actions = list(on_result(result, shadow(), [first, second]))
    assert actions[0] == DropPending(first.mutation_id, "applied")
    assert isinstance(actions[1], SetShadow) and actions[1].state.version == 4
    assert isinstance(actions[2], ReplacePending)
    assert actions[2].pending.mutation.base_version == 4


def test_a_conflict_result_tells_the_person() -> None:
    p = pending_update(sent=True, title="买肉")
    result = MutationResult(
        mutation_id=p.mutation_id, status="conflict", record=change(5), notices=[DELETE_REFUSED]
    )
    actions = list(on_result(result, shadow(), [p]))
    assert isinstance(actions[-1], Notify) and actions[-1].notices == (DELETE_REFUSED,)


def test_a_rejected_result_is_dropped_and_reported() -> None:
    p = pending_update(sent=True, title="买肉")
    result = MutationResult(
        mutation_id=p.mutation_id,
        status="rejected",
        error=ErrorInfo(code="invalid", message="bad", field="title"),
    )
    actions = list(on_result(result, shadow(), [p]))
    assert actions[0] == DropPending(p.mutation_id, "rejected")
    assert isinstance(actions[1], Notify) and actions[1].what == "rejected"


def test_push_batch_sends_the_first_pending_mutation_of_each_record() -> None:
    a, b = pending_update(sent=True, title="x"), pending_update(pinned=True)
    other = Pending(
        Mutation(
            mutation_id=next(IDS), record_id=UUID(int=2), kind="memo", op="create", changes=MEMO
        )
    )
    assert push_batch([a, b, other], 10) == [a, other]
    assert push_batch([a, b, other], 1) == [a]


def test_the_safety_stop() -> None:
    assert needs_confirmation(100, 60)
    assert not needs_confirmation(100, 40)
    assert not needs_confirmation(12, 9)  # too few to matter
    assert needs_confirmation(12, 10)


# -- end to end through the harness ----------------------------------------------------------


def two_devices() -> tuple[MemoryServer, MemoryClient, MemoryClient, UUID]:
    server, a, b = MemoryServer(), MemoryClient(1), MemoryClient(2)
    record = a.create("memo", {"title": "购物", "body": "鸡蛋\n牛奶\n面包", "pinned": False})
    sync_everyone(server, [a, b])
    return server, a, b, record


def test_offline_edits_of_different_fields_and_lines_both_survive() -> None:
    server, a, b, record = two_devices()
    a.update(record, {"title": "周末购物", "body": "鸭蛋\n牛奶\n面包"})
    b.update(record, {"pinned": True, "body": "鸡蛋\n牛奶\n面包\n苹果"})
    sync_everyone(server, [a, b])
    content = server.records[record].content
    assert content == {"title": "周末购物", "body": "鸭蛋\n牛奶\n面包\n苹果", "pinned": True}
    assert a.live()[record].content == content == b.live()[record].content
    assert not server.conflicts


def test_same_field_conflict_keeps_both_values_and_tells_the_person() -> None:
    server, a, b, record = two_devices()
    a.update(record, {"title": "甲"})
    b.update(record, {"title": "乙"})
    a.sync(server)
    b.sync(server)  # arrives later: wins
    a.sync(server)
    assert server.records[record].content["title"] == "乙" == a.live()[record].content["title"]
    [(_, conflict)] = server.conflicts
    assert (conflict.kept_value, conflict.other_value, conflict.other_version) == ("乙", "甲", 2)
    assert [n.what for n in b.notices] == ["conflict"]


def test_a_replayed_push_applies_once() -> None:
    server, a, _, record = two_devices()
    a.update(record, {"title": "一次"})
    a.push(server, drop="response")  # stored, but the answer is lost
    assert server.records[record].version == 2
    a.update(record, {"pinned": True})
    a.sync(server)
    assert server.records[record].version == 3  # the replay made no version
    assert [v.version for v in server.history[record]] == [1, 2, 3]
    assert not server.conflicts  # nor a conflict with its own earlier edit


def test_a_create_replayed_after_a_lost_response_is_not_duplicated() -> None:
    server, a = MemoryServer(), MemoryClient(1)
    record = a.create("contact", {"name": "张三", "groups": [], "notes": ""})
    a.push(server, drop="response")
    a.push(server, drop="response")
    a.sync(server)
    assert list(server.records) == [record] and server.records[record].version == 1


def test_an_edit_beats_a_concurrent_delete_and_the_person_is_told() -> None:
    server, a, b, record = two_devices()
    a.delete(record)
    b.update(record, {"body": "鸡蛋\n牛奶\n面包\n别忘了"})
    a.sync(server)
    assert server.records[record].deleted
    b.sync(server)
    a.sync(server)
    assert not server.records[record].deleted
    assert a.live()[record].content["body"].endswith("别忘了")
    assert any(RESURRECTED in n.notices for n in b.notices)


def test_a_delete_loses_to_an_edit_it_did_not_see() -> None:
    server, a, b, record = two_devices()
    b.update(record, {"title": "重要"})
    b.sync(server)
    a.delete(record)
    a.push(server)
    assert not server.records[record].deleted
    assert record in a.live()  # it came back on the device that deleted it
    assert any(DELETE_REFUSED in n.notices for n in a.notices)


def test_resync_required_rebootstraps_without_losing_pending_edits() -> None:
    server, a, b, record = two_devices()
    a.update(record, {"title": "离线改的"})
    b.create("memo", {"title": "新的", "body": "", "pinned": False})
    b.sync(server)
    server.forget_cursors()
    a.pull(server)  # resync required: back to cursor 0
    assert a.cursor == 0 and a.outbox
    sync_everyone(server, [a, b])
    assert server.records[record].content["title"] == "离线改的"
    assert len(a.live()) == len(b.live()) == 2


# -- settling stored conflicts (resolves) ----------------------------------------------------

C1, C2 = UUID(int=901), UUID(int=902)


def settle(
    changes: dict[str, Any], state: ServerState | None, pending: list[Pending], *conflicts: UUID
) -> Any:
    return local_edit(
        "update",
        changes,
        record_id=R,
        kind="memo",
        mutation_id=next(IDS),
        shadow=state,
        pending=pending,
        resolves=conflicts,
    )


def test_keeping_the_current_value_still_queues_an_update_that_resolves() -> None:
    """Issue 3 §3: settling a conflict by keeping the current value changes no field, yet the
    server must learn it is settled — an update with empty changes and ``resolves``."""
    [action] = settle({"title": "买菜"}, shadow(), [], C1)
    assert isinstance(action, AddPending)
    m = action.pending.mutation
    assert (m.op, m.base_version, m.changes, m.resolves) == ("update", 3, {}, [C1])


def test_resolves_are_unioned_when_edits_compact() -> None:
    """Compaction keeps every conflict an edit settled (R8: nothing the person did is lost)."""
    first = pending_update(title="买肉")
    [joined] = settle({"pinned": True}, shadow(), [first], C1)
    assert isinstance(joined, ReplacePending)
    [again] = settle({"title": "买菜"}, shadow(), [joined.pending], C2, C1)
    assert isinstance(again, ReplacePending)  # the revert leaves the settlements queued
    m = again.pending.mutation
    assert m.changes == {"pinned": True} and m.resolves == [C1, C2]
    [back] = edit("update", {"pinned": False}, shadow(), [again.pending])
    assert isinstance(back, ReplacePending)  # no fields left, still resolves: kept
    assert back.pending.mutation.changes == {} and back.pending.mutation.resolves == [C1, C2]


def test_a_delete_replacing_an_update_keeps_its_resolves() -> None:
    [queued] = settle({"title": "买肉"}, shadow(), [], C1)
    [delete] = edit("delete", {}, shadow(), [queued.pending])
    assert isinstance(delete, ReplacePending)
    assert delete.pending.mutation.op == "delete" and delete.pending.mutation.resolves == [C1]


def test_rebase_keeps_a_mutation_that_still_resolves_something() -> None:
    """A pulled change that already holds the value must not drop the settlement as
    ``identical``: it stays with empty changes on the new base."""
    [queued] = settle({"title": "买肉"}, shadow(), [], C1)
    actions = list(on_pull(change(4, title="买肉"), shadow(), [queued.pending]))
    assert isinstance(actions[1], ReplacePending)
    m = actions[1].pending.mutation
    assert (m.base_version, m.changes, m.resolves) == (4, {}, [C1])


@settings(max_examples=200, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["买菜", "买肉", "买鱼"]),
            st.sampled_from([False, True]),
            st.lists(st.sampled_from([C1, C2, UUID(int=903)]), max_size=2),
            st.booleans(),
        ),
        max_size=12,
    )
)
def test_no_settlement_is_lost_by_compaction_or_rebase(
    steps: list[tuple[str, bool, list[UUID], bool]],
) -> None:
    """Property (issue 3 §3, R8): whatever edits, settlements, sends and pulls of identical
    values happen, every conflict id the person settled is still named by a queued mutation
    until the server answered it."""
    outbox: list[Pending] = []
    settled: set[UUID] = set()
    state = shadow()
    for title, pinned, conflicts, send in steps:
        actions = settle({"title": title, "pinned": pinned}, state, outbox, *conflicts)
        settled.update(conflicts)
        outbox = _applied(outbox, actions)
        if send and outbox:
            outbox = [replace(p, sent=True) for p in outbox]
        # a pull that already holds the latest values: rebase may drop fields, not resolves
        last = view(state, outbox)
        assert last is not None
        pulled = change(state.version + 1, **dict(last.content))
        outbox = _applied(outbox, list(on_pull(pulled, state, outbox)))
        state = ServerState.from_change(pulled, state)
        queued = {c for p in outbox for c in p.mutation.resolves}
        assert settled <= queued


def _applied(outbox: list[Pending], actions: list[Any]) -> list[Pending]:
    result = list(outbox)
    for action in actions:
        if isinstance(action, AddPending):
            result.append(action.pending)
        elif isinstance(action, ReplacePending):
            result = [action.pending if p.mutation_id == action.mutation_id else p for p in result]
        elif isinstance(action, DropPending):
            result = [p for p in result if p.mutation_id != action.mutation_id]
    return result
