"""Golden corpus: the search terms, sort keys and query prefixes do not change (R4 search, R10).

The corpus (``data/golden_terms.json.gz``, written by ``golden_corpus.py`` with the code as it
was before the pinyin speed-up) holds ~3,000 records of the six kinds and ~190 queries; every
output must come out exactly the same, term for term."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from golden_corpus import PATH
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import lazy_pinyin

from almanac.model import index_terms, query_terms, sort_key, validate_content
from almanac.model.search import MAX_TERM, TEXT, TermBag, syllables, text_terms


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(gzip.decompress(PATH.read_bytes()))
    return loaded


def test_the_corpus_is_large_and_varied(golden: dict[str, Any]) -> None:
    """The corpus covers every kind, heteronym and compound surnames, phones and emails."""
    records = golden["corpus"]["records"]
    assert len(records) >= 3000
    assert {kind for kind, _ in records} == {
        "contact",
        "memo",
        "birthday",
        "holiday",
        "group",
        "event",
    }
    names = " ".join(data.get("name", "") for _, data in records)
    for surname in ("欧阳", "司马", "曾", "单", "解", "仇", "朴", "吕"):
        assert surname in names
    assert any("+86" in p["value"] for _, d in records for p in d.get("phones", []))


def test_index_terms_and_sort_keys_are_unchanged(golden: dict[str, Any]) -> None:
    """Every record's index terms and sort key equal the stored ones (R4: search by pinyin)."""
    records = golden["corpus"]["records"]
    wrong = []
    for (kind, data), (terms, key) in zip(records, golden["expected"]["outputs"], strict=True):
        content = validate_content(kind, data)
        got_terms, got_key = sorted(index_terms(kind, content)), sort_key(kind, content)
        if got_terms != terms or got_key != key:
            wrong.append((kind, data, set(got_terms) ^ set(terms), got_key, key))
    assert wrong == []


def test_query_terms_are_unchanged(golden: dict[str, Any]) -> None:
    """Every query gives the stored prefixes (the server matches them against the terms)."""
    queries, expected = golden["corpus"]["queries"], golden["expected"]["queries"]
    assert [query_terms(q) for q in queries] == expected


def _reference_bag(chunks: list[list[str]], limit: int) -> set[str]:
    """The cap rule spelled out: add each non-empty word in order until ``limit`` terms."""
    terms: dict[str, None] = {}
    for chunk in chunks:
        for word in chunk:
            if len(terms) >= limit:
                break
            if word:
                terms[TEXT + word[: MAX_TERM - len(TEXT)]] = None
    return set(terms)


_WORDS = st.lists(st.sampled_from(["", "张", "zhang", "zs", "x" * 200, "13800138000", "曾"]))


@settings(max_examples=300, deadline=None)
@given(chunks=st.lists(_WORDS, max_size=6), limit=st.integers(1, 12), as_tuple=st.booleans())
def test_the_bag_keeps_the_cap_whatever_the_chunking(
    chunks: list[list[str]], limit: int, as_tuple: bool
) -> None:
    """TermBag's fast path (a tuple that fits) keeps the cap rule of 200 text terms (R4)."""
    bag = TermBag(limit)
    for chunk in chunks:
        bag.extend(tuple(chunk) if as_tuple else iter(chunk))
    assert bag.terms() == _reference_bag(chunks, limit)


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.sampled_from(["欧阳 娜娜", "Zhang San", "曾小明 (北京)", "", "会议" * 40])),
    limit=st.integers(1, 120),
    person=st.booleans(),
)
def test_extend_text_is_extend_of_text_terms(texts: list[str], limit: int, person: bool) -> None:
    """``extend_text`` (terms kept per text) adds what ``extend(text_terms(...))`` adds."""
    cached, plain = TermBag(limit), TermBag(limit)
    for text in texts:
        cached.extend_text(text, person=person, starts=16)
        plain.extend(iter(list(text_terms(text, person=person, starts=16))))
    assert cached.terms() == plain.terms()
    assert cached.terms() == _reference_bag(
        [list(text_terms(t, person=person, starts=16)) for t in texts], limit
    )


def _old_syllables(run: str) -> tuple[str, ...]:
    """What ``syllables`` gave before it was kept per segment: ``lazy_pinyin`` of the run."""
    result = lazy_pinyin(run, errors=list)
    if len(result) != len(run):
        result = [lazy_pinyin(ch, errors=list)[0] for ch in run]
    return tuple(result)


# phrases of pypinyin's dictionary (长城, 重庆, 银行, 朝阳), heteronyms, rare and
# compatibility characters, and Han-range characters pypinyin has no reading for
_HAN_PIECES = st.sampled_from(
    [
        *["长城", "重庆", "银行", "行长", "朝阳", "曾经", "单于", "音乐", "解放", "中国人", "一"],
        *"曾单解仇朴吕女绿长乐行重朝和了的地得不",
        *["\u3400", "\u4dbf", "\uf900", "\ufa18", "\U00020000", "\U0002a6e0", "\U0002a701"],
        "〇",
    ]
)


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(_HAN_PIECES, min_size=1, max_size=8))
def test_syllables_are_lazy_pinyin_of_the_run(pieces: list[str]) -> None:
    """Syllables kept per pypinyin segment equal ``lazy_pinyin`` of the whole run (R4)."""
    run = "".join(pieces)
    assert syllables(run) == _old_syllables(run)
