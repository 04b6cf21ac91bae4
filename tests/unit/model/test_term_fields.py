"""Which content fields feed a record's terms and sort key (``TERM_FIELDS``,
``KindSpec.term_fields``): an update touching none of them leaves the terms and the sort key
as they were, which a push relies on to leave a record out of the term backlog — issue 3
"Numbers", R4–R7 (search and list order stay exact)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from test_model_records import KIND_DATA, text

from almanac.errors import InvalidInput
from almanac.model import (
    KINDS,
    dump_content,
    index_terms,
    references,
    sort_key,
    unique_terms,
    validate_content,
)
from almanac.model.terms import (
    SORT_FIELDS,
    TERM_FIELDS,
    sort_fields_changed,
    term_fields_changed,
)

# Values for the fields KIND_DATA leaves out, so every field of every kind can change.
EXTRA: dict[str, Any] = {
    "contact": st.fixed_dictionaries(
        {"address": st.sampled_from(["", "北京市海淀区", "1 Main St"]), "title": text}
    ),
    "memo": st.fixed_dictionaries(
        {"reminders": st.sampled_from([[], [{"days_before": 1, "at": "08:00"}]])}
    ),
    "birthday": st.fixed_dictionaries({"notes": text}),
    "holiday": st.fixed_dictionaries({"notes": text}),
    "event": st.fixed_dictionaries({"location": text, "notes": text}),
    "group": st.just({}),
}


def _content(kind: str, data: dict[str, Any]) -> BaseModel:
    try:
        return validate_content(kind, data)
    except InvalidInput:
        assume(False)
        raise


def _derived(kind: str, content: BaseModel) -> tuple[Any, ...]:
    return (
        index_terms(kind, content),
        sort_key(kind, content),
        unique_terms(kind, content),
        references(kind, content),
    )


def test_each_kind_names_its_term_fields() -> None:
    for kind, spec in KINDS.items():
        assert spec.term_fields == TERM_FIELDS[spec.content], kind
        assert spec.term_fields <= set(spec.content.model_fields), kind
    assert "body" not in KINDS["memo"].term_fields
    assert "notes" not in KINDS["contact"].term_fields


@pytest.mark.parametrize("kind", list(KINDS))
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_other_fields_never_change_terms_or_sort_key(kind: str, data: st.DataObject) -> None:
    first = {**data.draw(KIND_DATA[kind]), **data.draw(EXTRA[kind])}
    second = {**data.draw(KIND_DATA[kind]), **data.draw(EXTRA[kind])}
    fields = KINDS[kind].term_fields
    mixed = {**second, **{k: v for k, v in first.items() if k in fields}}
    mixed.update({k: None for k in fields if k not in first and k in mixed})
    old, new = _content(kind, first), _content(kind, mixed)
    assume(all(getattr(old, f) == getattr(new, f) for f in fields))
    assert term_fields_changed(new, dump_content(new), dump_content(old)) == []
    assert _derived(kind, new) == _derived(kind, old)


@pytest.mark.parametrize("kind", list(KINDS))
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_other_fields_never_change_the_sort_key(kind: str, data: st.DataObject) -> None:
    """A push keeps the stored sort key when no field of ``SORT_FIELDS`` changed."""
    spec = KINDS[kind]
    assert SORT_FIELDS[spec.content] <= spec.term_fields
    first = {**data.draw(KIND_DATA[kind]), **data.draw(EXTRA[kind])}
    second = {**data.draw(KIND_DATA[kind]), **data.draw(EXTRA[kind])}
    fields = SORT_FIELDS[spec.content]
    mixed = {**second, **{k: v for k, v in first.items() if k in fields}}
    mixed.update({k: None for k in fields if k not in first and k in mixed})
    old, new = _content(kind, first), _content(kind, mixed)
    assume(all(getattr(old, f) == getattr(new, f) for f in fields))
    changed = term_fields_changed(new, dump_content(new), dump_content(old))
    assert not sort_fields_changed(new, changed)
    assert sort_key(kind, new) == sort_key(kind, old)
