"""The server's merge rules for one pushed mutation (R8, R14; issue 3 §3, docs/sync.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from almanac.errors import InvalidInput, NotFound
from almanac.model import validate_content
from almanac.sync.merge import (
    ALREADY_DELETED,
    DELETE_REFUSED,
    IDENTICAL,
    INVALID_MERGE,
    RESURRECTED,
    TEXT_MERGED,
    merge,
    same_content,
    same_field,
    same_value,
    without_resets,
)
from almanac.sync.protocol import Mutation
from almanac.sync.textmerge import MAX_DIFF_LINES

RECORD = UUID("00000000-0000-4000-8000-000000000001")
MEMO = {"title": "买菜", "body": "鸡蛋\n牛奶\n面包", "pinned": False, "due": None}


def update(changes: Mapping[str, Any], kind: str = "memo", base_version: int = 1) -> Mutation:
    return Mutation(
        mutation_id=uuid4(),
        record_id=RECORD,
        kind=kind,
        op="update",
        base_version=base_version,
        changes=dict(changes),
    )


def delete(base_version: int = 1) -> Mutation:
    return Mutation(
        mutation_id=uuid4(), record_id=RECORD, kind="memo", op="delete", base_version=base_version
    )


def create(content: Mapping[str, Any], kind: str = "memo") -> Mutation:
    return Mutation(
        mutation_id=uuid4(),
        record_id=RECORD,
        kind=kind,
        op="create",
        changes=dict(content),
    )


# -- the plain cases -----------------------------------------------------------------------


def test_create_of_a_new_record_is_applied() -> None:
    out = merge(None, None, False, create(MEMO))
    assert (out.status, out.changed, out.deleted, out.content) == ("applied", True, False, MEMO)


def test_base_equal_to_current_applies_the_changes() -> None:
    out = merge(MEMO, MEMO, False, update({"title": "买水果", "pinned": True}))
    assert out.status == "applied" and out.changed and not out.conflicts
    assert out.content == {**MEMO, "title": "买水果", "pinned": True}


def test_update_or_delete_of_an_unknown_record_is_not_found() -> None:
    with pytest.raises(NotFound):
        merge(None, None, False, update({"title": "x"}))
    with pytest.raises(NotFound):
        merge(None, None, False, delete())


# -- concurrent field edits ----------------------------------------------------------------


def test_concurrent_changes_to_different_fields_both_survive() -> None:
    current = {**MEMO, "pinned": True}  # someone else pinned it
    out = merge(MEMO, current, False, update({"title": "买水果"}))
    assert out.status == "applied" and not out.conflicts
    assert out.content == {**MEMO, "pinned": True, "title": "买水果"}


def test_same_field_same_value_is_not_a_conflict() -> None:
    current = {**MEMO, "title": "买水果"}
    out = merge(MEMO, current, False, update({"title": "买水果"}))
    assert out.status == "merged" and not out.conflicts and not out.changed
    assert IDENTICAL in out.notices


def test_same_field_different_values_the_later_arrival_wins_and_the_other_is_kept() -> None:
    current = {**MEMO, "title": "买肉"}
    out = merge(MEMO, current, False, update({"title": "买鱼"}))
    assert out.status == "conflict" and out.changed
    assert out.content["title"] == "买鱼"
    [conflict] = out.conflicts
    assert (conflict.field, conflict.kept_value, conflict.other_value, conflict.base_value) == (
        "title",
        "买鱼",
        "买肉",
        "买菜",
    )
    assert conflict.reason == "same_field"


def test_lists_other_than_groups_are_whole_values() -> None:
    base = {"name": "张三", "phones": [{"label": "mobile", "value": "138"}], "groups": []}
    current = {**base, "phones": [{"label": "mobile", "value": "139"}]}
    mine = [{"label": "mobile", "value": "138"}, {"label": "work", "value": "010"}]
    out = merge(base, current, False, update({"phones": mine}, kind="contact"))
    assert out.content["phones"] == mine
    assert [c.field for c in out.conflicts] == ["phones"]
    assert out.conflicts[0].other_value == current["phones"]


def test_groups_merge_element_wise() -> None:
    base = {"name": "张三", "groups": ["g1", "g2"]}
    current = {**base, "groups": ["g1", "g2", "g3"]}  # someone added g3
    out = merge(base, current, False, update({"groups": ["g2", "g4"]}, kind="contact"))
    # this mutation removed g1 and added g4
    assert out.content["groups"] == ["g2", "g3", "g4"]
    assert out.status == "merged" and not out.conflicts


def test_groups_with_repeated_items_fall_back_to_the_whole_value_rule() -> None:
    base = {"name": "张三", "groups": ["g1"]}
    current = {**base, "groups": ["g2", "g2"]}
    out = merge(base, current, False, update({"groups": ["g3"]}, kind="contact"))
    assert out.content["groups"] == ["g3"] and out.conflicts[0].field == "groups"


def test_true_is_not_one() -> None:
    assert not same_value(True, 1)
    assert not same_value(1, 1.0)
    assert same_value({"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1})


# -- long text -----------------------------------------------------------------------------


def test_memo_body_edits_on_different_lines_merge() -> None:
    current = {**MEMO, "body": "鸡蛋\n牛奶\n面包\n苹果"}
    out = merge(MEMO, current, False, update({"body": "鸭蛋\n牛奶\n面包"}))
    assert out.status == "merged" and not out.conflicts
    assert out.content["body"] == "鸭蛋\n牛奶\n面包\n苹果"
    assert TEXT_MERGED in out.notices


def test_memo_body_overlapping_edits_conflict_and_keep_both() -> None:
    current = {**MEMO, "body": "鸡蛋\n豆浆\n面包\n苹果"}
    out = merge(MEMO, current, False, update({"body": "鸡蛋\n酸奶\n面包"}))
    assert out.status == "conflict"
    assert (
        out.content["body"] == "鸡蛋\n酸奶\n面包\n苹果"
    )  # the winner's line, the other's addition
    [conflict] = out.conflicts
    assert conflict.reason == "text_overlap" and conflict.other_value == current["body"]


def test_contact_notes_are_merged_as_text_too() -> None:
    base = {"name": "张三", "notes": "一\n二"}
    current = {**base, "notes": "一\n二\n三"}
    out = merge(base, current, False, update({"notes": "壹\n二"}, kind="contact"))
    assert out.content["notes"] == "壹\n二\n三" and not out.conflicts


def test_huge_text_changes_fall_back_to_the_whole_value_rule() -> None:
    body = "\n".join(f"第{i}行" for i in range(MAX_DIFF_LINES + 1))
    base = {**MEMO, "body": body}
    current = {**base, "body": body.replace("行", "列")}
    mine = body.replace("行", "段")
    out = merge(base, current, False, update({"body": mine}))
    assert out.content["body"] == mine
    assert out.conflicts[0].reason == "text_too_large"


def test_titles_are_not_merged_line_wise() -> None:
    current = {**MEMO, "title": "买菜A"}
    out = merge(MEMO, current, False, update({"title": "买菜B"}))
    assert out.content["title"] == "买菜B" and out.conflicts[0].reason == "same_field"


# -- deletes -------------------------------------------------------------------------------


def test_delete_with_an_up_to_date_base_deletes() -> None:
    out = merge(MEMO, MEMO, False, delete())
    assert (out.status, out.deleted, out.changed) == ("applied", True, True)
    assert out.content == MEMO  # the tombstone keeps its last content


def test_delete_of_a_deleted_record_is_a_no_op() -> None:
    out = merge(MEMO, MEMO, True, delete())
    assert (out.status, out.deleted, out.changed) == ("applied", True, False)
    assert out.notices == [ALREADY_DELETED]


def test_delete_concurrent_with_an_unseen_edit_loses() -> None:
    current = {**MEMO, "body": "鸡蛋\n牛奶\n面包\n重要!"}
    out = merge(MEMO, current, False, delete())
    assert (out.status, out.deleted, out.changed) == ("conflict", False, False)
    assert out.notices == [DELETE_REFUSED] and out.content == current


def test_delete_without_a_known_base_is_refused() -> None:
    out = merge(None, MEMO, False, delete())
    assert out.notices == [DELETE_REFUSED] and not out.deleted


def test_an_edit_beats_a_concurrent_delete() -> None:
    out = merge(MEMO, MEMO, True, update({"title": "别删"}))
    assert out.status == "conflict" and out.changed and not out.deleted
    assert out.content["title"] == "别删" and out.notices[0] == RESURRECTED


def test_create_for_an_existing_id_merges_with_an_empty_base() -> None:
    out = merge(None, MEMO, False, create(MEMO))
    assert not out.changed and not out.conflicts
    other = merge(None, MEMO, False, create({**MEMO, "title": "别的"}))
    assert other.content["title"] == "别的" and [c.field for c in other.conflicts] == ["title"]


# -- validation of the merged result --------------------------------------------------------

HOLIDAY = {
    "name": "婚礼",
    "date": {"calendar": "solar", "month": 5, "day": 1, "year": 2026},
    "yearly": True,
    "notes": "",
}


def test_a_valid_merge_is_kept() -> None:
    out = merge(
        HOLIDAY,
        HOLIDAY,
        False,
        update({"notes": "在杭州"}, kind="holiday"),
        validate=validate_content,
    )
    assert out.content["notes"] == "在杭州" and INVALID_MERGE not in out.notices


def test_an_invalid_combination_falls_back_to_the_mutations_view() -> None:
    # One side makes it one-off (needs a year); the other concurrently dropped the year.
    no_year = {**HOLIDAY, "date": {"calendar": "solar", "month": 5, "day": 1, "year": None}}
    mine = update({"yearly": False}, kind="holiday")
    plain = merge(HOLIDAY, no_year, False, mine)
    with pytest.raises(InvalidInput):
        validate_content("holiday", plain.content)
    out = merge(HOLIDAY, no_year, False, mine, validate=validate_content)
    validate_content("holiday", out.content)
    assert out.content["yearly"] is False and out.content["date"]["year"] == 2026
    assert INVALID_MERGE in out.notices
    assert [c.field for c in out.conflicts] == ["date"]
    assert out.conflicts[0].other_value == no_year["date"]


def test_invalid_content_is_rejected() -> None:
    with pytest.raises(InvalidInput):
        merge(None, None, False, create({"title": ""}), validate=validate_content)


# -- properties ----------------------------------------------------------------------------

FIELDS = ["title", "pinned", "colour", "size"]
values = st.one_of(st.sampled_from(["a", "b", "c"]), st.booleans(), st.integers(0, 2), st.none())
contents = st.fixed_dictionaries({name: values for name in FIELDS})
changes = st.dictionaries(st.sampled_from(FIELDS), values, min_size=1)


@given(base=contents, current=contents, mine=changes, deleted=st.booleans())
def test_merge_is_deterministic(
    base: dict[str, Any], current: dict[str, Any], mine: dict[str, Any], deleted: bool
) -> None:
    m = update(mine)
    assert merge(base, current, deleted, m) == merge(base, current, deleted, m)


@given(base=contents, theirs=changes, mine=changes)
def test_non_overlapping_field_edits_both_survive(
    base: dict[str, Any], theirs: dict[str, Any], mine: dict[str, Any]
) -> None:
    mine = {k: v for k, v in mine.items() if k not in theirs}
    if not mine:
        return
    current = {**base, **theirs}
    out = merge(base, current, False, update(mine))
    # null is a reset to the default: the same as the key left out
    assert without_resets(out.content) == without_resets({**base, **theirs, **mine})
    assert not out.conflicts


@given(base=contents, theirs=changes, mine=changes, deleted=st.booleans())
def test_an_edit_is_never_lost(
    base: dict[str, Any], theirs: dict[str, Any], mine: dict[str, Any], deleted: bool
) -> None:
    theirs = {k: v for k, v in theirs.items() if not same_field(base[k], v)}  # real edits only
    current = {**base, **theirs}
    out = merge(base, current, deleted, update(mine))
    assert not out.deleted
    kept = {(c.field, repr(c.other_value)) for c in out.conflicts}
    for name, value in mine.items():
        assert same_field(out.content.get(name), value)  # the arriving edit is current
    for name, value in theirs.items():
        # the concurrent edit is current, or kept in a conflict (and in the history)
        assert same_field(out.content.get(name), value) or (name, repr(value)) in kept


@given(base=contents, same=changes)
def test_identical_concurrent_edits_are_never_conflicts(
    base: dict[str, Any], same: dict[str, Any]
) -> None:
    out = merge(base, {**base, **same}, False, update(same))
    assert not out.conflicts and out.status in ("applied", "merged")
    assert out.content == {**base, **same}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 2) | st.floats(-2, 2) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner),
    max_leaves=6,
)
json_contents = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), json_values)


@given(a=json_contents, b=json_contents, shared=st.booleans())
def test_same_content_is_same_value_of_the_contents_without_resets(
    a: dict[str, Any], b: dict[str, Any], shared: bool
) -> None:
    # the merge's question "did the record change?", answered field by field: as the canonical
    # comparison of the whole contents (true is not 1, key order does not matter, null = absent)
    if shared:  # as the merge does: a copy of the current content with a few fields replaced
        b = {**a, **b}
    assert same_content(a, b) == same_value(without_resets(a), without_resets(b))
    assert same_content(a, dict(a))
