"""Fewer term rows, the same searches (issue 6 §5, R4, R12; docs/store.md "Term rows"): the
store leaves out a text term that starts another text term of the record (``index.stored``).
Proved on the golden corpus (3,000 records, their terms as the model gives them): every
term left out is covered by one kept, facet terms all stay, and each golden query finds the
same records with the kept terms as with all of them. The search tests of this folder
(brute force, the server's parity) run on stores written this way."""

from __future__ import annotations

import gzip
import json
from bisect import bisect_left
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from almanac.store.index import stored

GOLDEN = Path(__file__).parents[1] / "unit" / "model" / "data" / "golden_terms.json.gz"


def golden() -> tuple[list[set[str]], list[list[str]]]:
    data = json.loads(gzip.decompress(GOLDEN.read_bytes()))
    terms = [set(output[0]) for output in data["expected"]["outputs"]]
    return terms, data["expected"]["queries"]


def finds(terms: set[str] | list[str], prefixes: list[str]) -> bool:
    """Every prefix starts one of the terms (the search's rule; a bisection of the sorted
    terms: the first term not below a prefix starts with it if any does)."""
    ordered = terms if isinstance(terms, list) else sorted(terms)
    for prefix in prefixes:
        at = bisect_left(ordered, prefix)
        if at == len(ordered) or not ordered[at].startswith(prefix):
            return False
    return True


def test_every_term_left_out_is_covered_and_facets_stay() -> None:
    records, _ = golden()
    left_out = total = 0
    for terms in records:
        kept = stored(terms)
        assert kept == sorted(set(kept)) and set(kept) <= terms
        for term in terms - set(kept):
            assert term.startswith("t:")
            assert any(k != term and k.startswith(term) for k in kept)
        assert {t for t in terms if not t.startswith("t:")} <= set(kept)
        left_out += len(terms) - len(kept)
        total += len(terms)
    assert 0.05 < left_out / total < 0.5  # the saving is real (measured: ~11%)


def test_golden_queries_find_the_same_records() -> None:
    records, queries = golden()
    for terms in records:
        kept, every = stored(terms), sorted(terms)  # both sorted
        assert [finds(kept, p) for p in queries] == [finds(every, p) for p in queries]


@given(
    st.sets(st.text("ab张:t", max_size=5).map(lambda s: "t:" + s) | st.text("fgt:ab", max_size=4))
)
def test_property_any_prefix_of_a_term_still_finds_the_record(terms: set[str]) -> None:
    """Hypothesis: for any term set, every prefix of every term has a kept term starting
    with it, and exact non-text terms are all kept."""
    kept = stored(terms)
    for term in terms:
        for end in range(len(term) + 1):
            assert finds(kept, [term[:end]])
        if not term.startswith("t:"):
            assert term in kept
