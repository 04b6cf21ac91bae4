"""Helpers for the record-model tests (R4–R7): build content, collect problems, match queries."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from almanac.errors import InvalidInput
from almanac.model import index_terms, query_terms, validate_content


def problems_of(kind: str, data: Mapping[str, Any]) -> dict[str, str]:
    """field -> code of every problem ``validate_content`` reports (fails if it accepts)."""
    with pytest.raises(InvalidInput) as caught:
        validate_content(kind, data)
    return {p.field: p.code for p in caught.value.problems}


def matches(terms: set[str], q: str) -> bool:
    """The server's rule: every query prefix is a prefix of some term (binary compare)."""
    wanted = query_terms(q)
    return bool(wanted) and all(
        any(term >= p and term < p + "\U0010ffff" for term in terms) for p in wanted
    )


def contact_terms(**data: Any) -> set[str]:
    return index_terms("contact", validate_content("contact", data))


@pytest.fixture
def problems() -> Callable[[str, Mapping[str, Any]], dict[str, str]]:
    return problems_of


@pytest.fixture
def match() -> Callable[[set[str], str], bool]:
    return matches


@pytest.fixture
def terms_of_contact() -> Callable[..., set[str]]:
    return contact_terms
