"""The short ways of the search terms give exactly what the straightforward code gives (R4).

``almanac.model.search`` computes a text's terms with fast paths (an ASCII word, a word all
Han, a Han run's pinyin suffixes sliced from the joined pinyin, a phone of digits alone). The
reference below is the code as it was before them, spelled out; for any text the terms must
be the same, in the same order, repeats included (the order decides which terms the cap of
``MAX_TEXT_TERMS`` keeps). A sort key's short way (a name all Han) is checked against
``sort_text``'s own chunk-by-chunk way, ``_sort_text_of_chunks``."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from hypothesis import example, given, settings
from hypothesis import strategies as st

from almanac.model.search import (
    _HAN_RUN,
    _PHONE_LIKE,
    _PIECE,
    MAX_TERM,
    TEXT,
    TermBag,
    _sort_text_of_chunks,
    fold,
    name_syllables,
    phone_terms,
    sort_text,
    syllables,
    text_terms,
)


def _trim(word: str) -> str:
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start])[0] in "PS":
        start += 1
    while end > start and unicodedata.category(word[end - 1])[0] in "PS":
        end -= 1
    return word[start:end]


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _han_terms(run: str, sylls: tuple[str, ...], starts: int) -> Iterator[str]:
    initials = "".join(s[:1] for s in sylls)
    full = "".join(sylls)
    if "v" in full and full.isascii():
        yield full.replace("v", "u")
    for i in range(min(len(run), starts)):
        yield run[i:]
        yield "".join(sylls[i:])
        yield initials[i:]


def _word_terms(word: str) -> Iterator[str]:
    if _PHONE_LIKE.fullmatch(word):
        yield "".join(ch for ch in word if ch.isdigit())
    trimmed = _trim(word)
    if not trimmed:
        return
    yield trimmed
    pieces = _PIECE.findall(trimmed)
    if len(pieces) > 1 or (pieces and pieces[0] != trimmed):
        yield from pieces[:16]
    plain = _strip_accents(trimmed)
    if plain != trimmed:
        yield plain
        yield from _PIECE.findall(plain)[:16]


def _reference_terms(text: str, person: bool, starts: int) -> Iterator[str]:
    folded = fold(text)
    words = folded.split()
    if person and 1 < len(words) <= 8 and not _HAN_RUN.search(folded):
        trimmed = [t for t in (_trim(w) for w in words) if t]
        if len(trimmed) > 1:
            yield "".join(trimmed)
            yield "".join(t[0] for t in trimmed)
    first_run = True
    for word in words:
        yield from _word_terms(word)
        for run in _HAN_RUN.findall(word):
            if person and first_run:
                sylls, others = name_syllables(run)
                for other in others:
                    yield other + "".join(sylls[1:])
                    yield other[:1] + "".join(s[:1] for s in sylls[1:])
            else:
                sylls = syllables(run)
            first_run = False
            yield from _han_terms(run, sylls, starts)


def _reference_phone(value: str) -> tuple[str, ...]:
    digits = "".join(filter(str.isdigit, fold(value)))
    return (digits, *[digits[i:] for i in range(1, len(digits) - 3)])


# What contacts hold: Han (surnames, compound and heteronym ones, ü, phrases), ASCII letters,
# digits and punctuation, accents, full-width forms, compatibility ideographs, white space.
_PIECES = st.sampled_from(
    [
        *"张王李曾单解仇朴吕女绿长行重欧阳尉迟万俟司马主管经理",
        *"aZvV09_-+().'@/:,;!~ \t\n\u3000",
        *["José", "O'Brien", "ＡＢＣ", "１２３", "ß", "İ", "ﬁ", "e\u0301", "½", "①", "٣"],
        *["\uf900", "\ufa0e", "\u3400", "\U00020000", "\U0002f800", "\U00030000", "〇", "。"],
        *["主管 1930-4711", "+86 138 0013 8000", "(北京)", "Zhang San", "13800138000"],
    ]
)
_TEXTS = st.one_of(st.lists(_PIECES, max_size=12).map("".join), st.text(max_size=40))


@settings(max_examples=1500, deadline=None)
@given(text=_TEXTS, person=st.booleans(), starts=st.sampled_from([1, 2, 16, 24, 64]))
@example(text="主管 193047-12", person=False, starts=16)
@example(text="欧阳娜娜 曾小明", person=True, starts=24)
@example(text="吕 Zhang-San o'brien josé", person=True, starts=24)
def test_text_terms_are_the_reference_terms_in_order(text: str, person: bool, starts: int) -> None:
    """Same terms, same order, same repeats as the straightforward code, for any text."""
    assert text_terms(text, person=person, starts=starts) == tuple(
        _reference_terms(text, person, starts)
    )


@settings(max_examples=500, deadline=None)
@given(value=st.one_of(st.lists(_PIECES, max_size=8).map("".join), st.text(max_size=20)))
@example(value="13800138000")
@example(value="123")
@example(value="")
def test_phone_terms_are_the_reference_terms(value: str) -> None:
    """A phone's digits and their suffixes, as the straightforward code gives them."""
    assert phone_terms(value) == _reference_phone(value)


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.text(alphabet="0123456789 +-()", max_size=20), st.text(max_size=12)),
        max_size=5,
    ),
    long=st.booleans(),
    limit=st.integers(1, 40),
)
@example(values=["13800138000", "0" * 140], long=False, limit=200)
def test_a_bag_adds_a_phone_as_it_adds_its_terms(values: list[str], long: bool, limit: int) -> None:
    """``extend_phone`` (suffixes prefixed as they are made) adds what ``extend`` adds."""
    if long:
        values = [value * 20 for value in values]
    direct, plain = TermBag(limit), TermBag(limit)
    for value in values:
        direct.extend_phone(value)
        plain.extend(iter(list(phone_terms(value))))
    assert direct.terms() == plain.terms()
    assert all(term.startswith(TEXT) and len(term) <= MAX_TERM for term in direct.terms())


class _ReferenceBag:
    """The bag as it was: every term counted as it comes, in order, up to the cap."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.terms: dict[str, None] = {}

    def add_all(self, words: list[str]) -> None:
        for word in words:
            if word and len(self.terms) < self.limit:
                self.terms[TEXT + word[: MAX_TERM - len(TEXT)]] = None


_BAG_CALLS = st.lists(
    st.tuples(
        st.sampled_from(["extend", "extend_iter", "extend_text", "extend_phone", "add"]),
        st.one_of(_TEXTS, st.text(alphabet="0123456789 -", max_size=14)),
        st.booleans(),
    ),
    max_size=12,
)


@settings(max_examples=600, deadline=None)
@given(calls=_BAG_CALLS, limit=st.integers(1, 60))
@example(calls=[("extend_text", "欧阳娜娜 曾小明 Zhang-San", True)] * 3, limit=7)
def test_a_bag_keeps_the_reference_bags_terms_at_any_cap(
    calls: list[tuple[str, str, bool]], limit: int
) -> None:
    """Listed first and de-duplicated only when the cap could be reached, the bag still
    keeps exactly the terms the old one kept: the first ``limit`` distinct ones, in order."""
    bag, reference = TermBag(limit), _ReferenceBag(limit)
    for how, text, person in calls:
        if how == "extend_text":
            bag.extend_text(text, person=person)
            reference.add_all(list(_reference_terms(text, person, 24)))
        elif how == "extend_phone":
            bag.extend_phone(text)
            reference.add_all(list(_reference_phone(text)))
        elif how == "add":
            bag.add(text)
            reference.add_all([text])
        else:
            words = text.split()
            bag.extend(tuple(words) if how == "extend" else iter(words))
            reference.add_all(words)
        assert bag.full == (len(reference.terms) >= limit)
    assert bag.terms() == set(reference.terms)


@settings(max_examples=800, deadline=None)
@given(text=_TEXTS, person=st.booleans())
@example(text="欧阳娜娜", person=True)
@example(text="曾" * 200, person=False)
def test_sort_text_is_the_reference_key(text: str, person: bool) -> None:
    """A name all Han (the short way) sorts under the key the straightforward code gives."""
    assert sort_text(text, person=person) == _sort_text_of_chunks(fold(text), person)
