"""Bad input never escapes as anything but InvalidInput (issue 2 §5: no 500, R10), and what
validates can always be indexed, sorted, dumped and loaded back."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from almanac.errors import InvalidInput
from almanac.model import (
    KINDS,
    apply_patch,
    dump_content,
    index_terms,
    load_content,
    references,
    sort_key,
    unique_terms,
    validate_content,
)
from almanac.model.search import MAX_SORT_KEY, MAX_TERM

SAMPLES = [
    "2026-02-30",
    "2026-05-01T09:00",
    "2026-05-01",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-23:59",
    "lunar",
    "solar",
    "FREQ=DAILY",
    "RRULE:FREQ=MONTHLY;BYMONTHDAY=31",
    "Asia/Shanghai",
    "+86 138 0013 8000",
    "a@b.cn",
    "00000000-0000-0000-0000-000000000001",
    "张三",
]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(SAMPLES),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["calendar", "year", "month", "day", "leap", "value", "label", "x"]),
            inner,
            max_size=5,
        )
    ),
    max_leaves=10,
)


def objects_for(kind: str) -> st.SearchStrategy[dict[str, object]]:
    fields = [*KINDS[kind].content.model_fields, "unknown"]
    return st.dictionaries(st.sampled_from(fields), json_values, max_size=8)


def check_valid(kind: str, content: object) -> None:
    assert all(len(t) <= MAX_TERM for t in index_terms(kind, content))  # type: ignore[arg-type]
    assert len(sort_key(kind, content)) <= MAX_SORT_KEY  # type: ignore[arg-type]
    unique_terms(kind, content)  # type: ignore[arg-type]
    references(kind, content)  # type: ignore[arg-type]
    assert load_content(kind, dump_content(content)) == content  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", list(KINDS))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_json_object_is_valid_or_invalid_input(kind, data) -> None:
    raw = data.draw(objects_for(kind))
    try:
        content = validate_content(kind, raw)
    except InvalidInput as exc:
        assert all(isinstance(p.field, str) and p.message.endswith(".") for p in exc.problems)
        return
    check_valid(kind, content)


BASE = {
    "group": {"name": "家人"},
    "contact": {"name": "张三"},
    "memo": {"title": "备忘"},
    "birthday": {"name": "奶奶", "date": {"calendar": "lunar", "month": 9, "day": 9}},
    "holiday": {"name": "春节", "date": {"calendar": "lunar", "month": 1, "day": 1}},
    "event": {"title": "周会", "start": "2026-05-04T09:00", "rrule": "FREQ=WEEKLY"},
}


@pytest.mark.parametrize("kind", list(KINDS))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_patch_is_applied_or_invalid_input(kind, data) -> None:
    current = validate_content(kind, BASE[kind])
    patch = data.draw(objects_for(kind))
    try:
        content = apply_patch(kind, current, patch)
    except InvalidInput:
        return
    check_valid(kind, content)


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("raw", [None, 1, "x", [], [1, 2]])
def test_non_objects_are_invalid_input(kind, raw) -> None:
    with pytest.raises(InvalidInput):
        validate_content(kind, raw)
    with pytest.raises(InvalidInput):
        apply_patch(kind, validate_content(kind, BASE[kind]), raw)
