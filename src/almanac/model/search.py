"""Search terms and sort keys, Chinese first: pinyin (surname-aware), initials, suffixes.

The server keeps one row per (record, term) and finds records by *prefix*: a query word ``w``
matches a record when some term of the record starts with ``t:`` + ``w``. Every query word must
match (AND). So the index holds, for each piece of text:

- **Han runs** (汉字): the run and its character suffixes (``张三``, ``三``), the full pinyin and
  its syllable-boundary suffixes (``zhangsan``, ``san``), the initials and their suffixes
  (``zs``, ``s``); ü is ``v`` (吕 ``lv``), the whole run also with ``u``. In a person's name
  the first run starts with the surname, read as a surname (曾 zeng, 单 shan, 尉迟 yuchi, see
  ``surnames``); the other common readings of a heteronym
  surname are indexed too (``cengxiaoming``, ``cxm``). Suffixes start at most at the first
  ``starts`` characters of a run, which bounds the count for long titles.
- **Other words** (split on white space): the word, its pieces between punctuation
  (``o'brien`` → ``o'brien``, ``o``, ``brien``), accent-free forms (``josé`` → ``jose``); a word
  made of digits and phone punctuation also gives its digits. A person's name written in
  words (``Zhang San``) is also indexed joined (``zhangsan``) and by initials (``zs``).
- **Phones**: the digits, and their suffixes down to 4 digits (the last 4 digits find a
  contact; ``13800138000`` also comes out of ``+86 138 0013 8000``).
- **Emails**: the address, its local part and its domain, lower-case.

All text is NFKC-normalised and case-folded on both sides (``fold``). Each term is at most
``MAX_TERM`` (128) characters; longer ones are cut, and ``query_terms`` cuts query words the
same way, so a cut term still matches. ``TermBag`` caps the number of text terms per record.

Cost: pypinyin (and its dictionaries, ~0.6 s) loads on the first Han run, not at import; the
syllables of each pypinyin segment, of each run and the terms of each text are kept in bounded
caches (a text's terms: ~0.9 KB, 4,096 texts). The common words take a short way: an ASCII
word needs no Unicode tables, a word all Han is its own one run, a phone of digits alone is
not folded and its suffixes are prefixed as they are made; a bag lists terms until the cap
could bite. ``tests/unit/model/test_model_golden.py`` holds the outputs to the letter,
``tests/unit/model/test_term_fast_paths.py`` the short ways against the plain code (same terms,
same order); ``bench/terms.py`` and ``bench/push_terms.py`` measure.
"""

from __future__ import annotations

import importlib
import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from almanac.model.surnames import COMPOUND, SINGLE

TEXT = "t:"
MAX_TERM = 128
MAX_TEXT_TERMS = 200
MAX_SORT_KEY = 191
MAX_QUERY_WORDS = 16
_MAX_WORD = MAX_TERM - len(TEXT)

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_HAN_RUN = re.compile(f"[{_HAN}]+")
_PIECE = re.compile(rf"[^\W{_HAN}]+")
_SPLIT = re.compile(rf"[{_HAN}]+|[^\s{_HAN}]+")
_PHONE_LIKE = re.compile(r"\+?[0-9().\-]*[0-9][0-9().\-]*")


def fold(text: str) -> str:
    """NFKC, then case-folded: the one normal form of indexed and queried text."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def _strip_accents(word: str) -> str:
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _trim(word: str) -> str:
    """Drop punctuation and symbols at both ends (``(北京)`` → ``北京``)."""
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start])[0] in "PS":
        start += 1
    while end > start and unicodedata.category(word[end - 1])[0] in "PS":
        end -= 1
    return word[start:end]


class TermBag:
    """An ordered, de-duplicated set of text terms with a cap; extra terms are dropped.

    While the terms added, repeats counted, cannot reach past the cap they are only listed
    (most records: some 40 terms of at most 200); the first addition that could pass it
    de-duplicates them in order, and from then on each new term counts."""

    def __init__(self, limit: int = MAX_TEXT_TERMS) -> None:
        self.limit = limit
        self._listed: list[str] | None = []
        self._terms: dict[str, None] = {}

    def add(self, word: str) -> None:
        self.extend((word,))

    def extend(self, words: Iterable[str]) -> None:
        if isinstance(words, tuple):
            self._extend_prefixed([TEXT + word[:_MAX_WORD] for word in words if word])
            return
        terms, limit = self._counted(), self.limit
        if len(terms) >= limit:
            return
        for word in words:
            if word:
                terms[TEXT + word[:_MAX_WORD]] = None
                if len(terms) >= limit:
                    return

    def _counted(self) -> dict[str, None]:
        """The terms de-duplicated in order; from now on each term added counts."""
        if self._listed is not None:
            self._terms = dict.fromkeys(self._listed)
            self._listed = None
        return self._terms

    def _extend_prefixed(self, prefixed: Sequence[str]) -> None:
        """Add ``t:`` terms already cut to ``MAX_TERM``, in order, up to the cap."""
        listed = self._listed
        if listed is not None and len(listed) + len(prefixed) <= self.limit:
            listed += prefixed
            return
        terms, limit = self._counted(), self.limit
        if len(terms) + len(prefixed) <= limit:
            terms.update(dict.fromkeys(prefixed))
            return
        for term in prefixed:
            if len(terms) >= limit:
                return
            terms[term] = None

    def extend_text(self, text: str, *, person: bool = False, starts: int = 24) -> None:
        """``extend(text_terms(text, ...))``, the prefixed terms kept per text."""
        if text:
            self._extend_prefixed(_prefixed_text_terms(text, person, starts))

    def extend_phone(self, value: str) -> None:
        """``extend(phone_terms(value))``: the suffixes are prefixed as they are made."""
        self._extend_prefixed(_prefixed_phone_terms(value))

    @property
    def full(self) -> bool:
        return len(self._counted()) >= self.limit

    def terms(self) -> set[str]:
        return set(self._terms if self._listed is None else self._listed)


def _keep_as_is(chars: str) -> list[str]:
    return list(chars)


# pypinyin accepts a list result from ``errors`` (one item per character); its stub says str.
_KEEP: Any = _keep_as_is


class _Pypinyin(NamedTuple):
    lazy_pinyin: Callable[..., list[str]]
    seg: Callable[[str], list[str]]  # pypinyin's segmenter (Han / other, then its phrases)
    cut: Callable[[str], Iterable[str]]  # its phrase segmenter alone, for an all-Han text
    hans: re.Pattern[str]  # a text of characters that all have a pinyin
    phrases: dict[str, Any]


@lru_cache(maxsize=1)
def _pypinyin() -> _Pypinyin:
    """pypinyin's ``lazy_pinyin`` and its word segmenter, imported on first use.

    Importing pypinyin loads its character and phrase dictionaries (over a second), which
    ``import almanac.model`` must not pay: a CLI command that indexes nothing never loads them."""
    core = importlib.import_module("pypinyin")
    constants = importlib.import_module("pypinyin.constants")
    mmseg = importlib.import_module("pypinyin.seg.mmseg")
    simpleseg = importlib.import_module("pypinyin.seg.simpleseg")
    return _Pypinyin(
        core.lazy_pinyin, simpleseg.seg, mmseg.seg.cut, constants.RE_HANS, constants.PHRASES_DICT
    )


@lru_cache(maxsize=32768)
def _segment_syllables(segment: str) -> tuple[str, ...]:
    """``lazy_pinyin`` of one segment (a phrase of the dictionary, or a single character)."""
    return tuple(_pypinyin().lazy_pinyin(segment, errors=_KEEP))


def warm_pinyin() -> None:
    """Load pypinyin and its dictionaries now (a server does it at start-up, in a thread)."""
    syllables("汉字")


@lru_cache(maxsize=16384)
def syllables(run: str) -> tuple[str, ...]:
    """Pinyin syllables (no tones, ü as v) of a run of Han characters, one per character.

    The same as ``lazy_pinyin(run)``, which converts each segment of pypinyin's own segmenter
    on its own (a phrase of its dictionary, else one character): so each segment's syllables
    are computed once and kept (a name's characters recur across thousands of names)."""
    lib = _pypinyin()
    # pypinyin's ``seg`` first splits a text into Han / other stretches, then cuts each Han
    # stretch into phrases; a run that is all Han is one stretch, so cut it at once
    segments = lib.cut(run) if lib.phrases and lib.hans.match(run) else lib.seg(run)
    result: list[str] = []
    for segment in segments:
        result.extend(_segment_syllables(segment))
    if len(result) != len(run):
        return tuple(_segment_syllables(ch)[0] for ch in run)
    return tuple(result)


def name_syllables(run: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Syllables of a Han run that starts a person's name, the surname read as a surname.

    Returns the syllables and the other readings of a heteronym single surname."""
    if run[:2] in COMPOUND:
        rest = syllables(run[2:]) if len(run) > 2 else ()
        return COMPOUND[run[:2]] + rest, ()
    if run[:1] in SINGLE:
        reading, others = SINGLE[run[0]]
        return (reading, *syllables(run[1:])), others
    return syllables(run), ()


def _han_terms(run: str, sylls: tuple[str, ...], starts: int, out: list[str]) -> None:
    """Append a Han run's terms: ``lu`` for ``lv``; from each of its first ``starts``
    characters on, the characters, their pinyin and their initials. ``sylls`` has one
    syllable a character (``syllables`` and ``name_syllables`` make it so), so the pinyin
    from character i on is a slice of the joined pinyin."""
    initials = "".join([s[:1] for s in sylls])
    full = "".join(sylls)
    if "v" in full and full.isascii():  # ü is typed as v or u: 吕 lv, lu
        out.append(full.replace("v", "u"))
    offset = 0  # where the pinyin of character i starts in ``full``
    for i, syllable in enumerate(sylls[: min(len(run), starts)]):
        out += (run[i:], full[offset:], initials[i:])
        offset += len(syllable)


def text_terms(text: str, *, person: bool = False, starts: int = 24) -> tuple[str, ...]:
    """The terms (without ``t:``) of a piece of text; ``person`` reads the surname.

    ``TermBag.extend_text`` adds them, kept per text."""
    return tuple(_text_terms(text, person, starts))


@lru_cache(maxsize=4096)
def _prefixed_text_terms(text: str, person: bool, starts: int) -> tuple[str, ...]:
    """The distinct ``t:`` terms of ``text_terms`` in order (a bag adds them the same way).

    Kept per text: companies, titles, group names and holiday names recur across records
    (4,096 texts, a few MB at most)."""
    words = _text_terms(text, person, starts)
    return tuple(dict.fromkeys([TEXT + word[:_MAX_WORD] for word in words if word]))


def _text_terms(text: str, person: bool, starts: int) -> list[str]:
    """``text_terms`` as a list (repeats kept, in order): each word's terms, then its Han
    runs'. The common words take a short way: an ASCII word has no Han run and needs no
    Unicode tables; a word all Han is its own one run, with no other piece or accent."""
    folded = fold(text)
    words = folded.split()
    out: list[str] = []
    if person and 1 < len(words) <= 8 and not _HAN_RUN.search(folded):
        out.extend(_joined_name(words))
    first_run = True
    for word in words:
        if word.isascii():
            _ascii_word_terms(word, out)
            continue
        runs: list[str]
        if _HAN_RUN.fullmatch(word):
            out.append(word)
            runs = [word]
        else:
            out.extend(_word_terms(word))
            runs = _HAN_RUN.findall(word)
        for run in runs:
            if person and first_run:
                sylls, others = name_syllables(run)
                for other in others:
                    out.append(other + "".join(sylls[1:]))
                    out.append(other[:1] + "".join([s[:1] for s in sylls[1:]]))
            else:
                sylls = syllables(run)
            first_run = False
            _han_terms(run, sylls, starts, out)
    return out


def _joined_name(words: list[str]) -> Iterator[str]:
    """A name written in words (``Zhang San``) also as one word and its initials."""
    trimmed = [t for t in (_trim(w) for w in words) if t]
    if len(trimmed) > 1:
        yield "".join(trimmed)
        yield "".join(t[0] for t in trimmed)


# The ASCII characters of the Unicode categories P and S (what ``_trim`` drops), and the
# characters of a phone-like word that are not digits (such a word is ASCII).
_ASCII_PUNCTUATION = string.punctuation
_PHONE_PUNCTUATION = str.maketrans("", "", "+().-")


def _ascii_word_terms(word: str, out: list[str]) -> None:
    """Append ``_word_terms`` of an ASCII word (no accent to strip)."""
    if _PHONE_LIKE.fullmatch(word):
        out.append(word.translate(_PHONE_PUNCTUATION))
    trimmed = word.strip(_ASCII_PUNCTUATION)
    if not trimmed:
        return
    out.append(trimmed)
    if not trimmed.isalnum():  # letters and digits alone are one piece, the word itself
        pieces = _PIECE.findall(trimmed)
        if len(pieces) > 1 or (pieces and pieces[0] != trimmed):
            out += pieces[:16]


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


def phone_terms(value: str) -> tuple[str, ...]:
    """The digits of a phone number and their suffixes down to 4 digits."""
    digits = _phone_digits(value)
    return tuple([digits[i:] for i in range(max(1, len(digits) - 3))])


def _phone_digits(value: str) -> str:
    if value.isdigit() and value.isascii():  # the common case: already its digits
        return value
    return "".join(filter(str.isdigit, fold(value)))


def _prefixed_phone_terms(value: str) -> Sequence[str]:
    """The distinct ``t:`` terms of ``phone_terms`` in order (what a bag adds of them)."""
    digits = _phone_digits(value)
    if not digits:
        return ()
    if len(digits) > _MAX_WORD:  # cut suffixes of a very long number can repeat
        return tuple(dict.fromkeys([TEXT + term[:_MAX_WORD] for term in phone_terms(value)]))
    # suffixes of distinct lengths: distinct
    return [TEXT + digits[i:] for i in range(max(1, len(digits) - 3))]


def email_terms(value: str) -> tuple[str, ...]:
    """An email address, its local part, its domain, and the words of the local part."""
    address = fold(value)
    local, _, domain = address.rpartition("@")
    return (address, local, domain, *_PIECE.findall(local)[:8])


def query_terms(q: str) -> list[str]:
    """The prefixes a query asks for, one per word; a record matches when every one matches.

    Words are split on white space and folded; a word of digits and phone punctuation becomes
    its digits (a leading ``+86``/``0086`` country code is dropped); other words lose the
    punctuation at their ends, and a word of punctuation alone is ignored unless the query has
    nothing else. At most ``MAX_QUERY_WORDS`` words count (more only narrow further). An empty
    query gives ``[]``."""
    words: dict[str, None] = {}
    bare: dict[str, None] = {}
    for word in fold(q).split():
        if _PHONE_LIKE.fullmatch(word):
            digits = "".join(ch for ch in word if ch.isdigit())
            if word.startswith("+86") or word.startswith("0086"):
                digits = digits[4:] if word.startswith("0086") else digits[2:]
            if digits:
                words.setdefault(TEXT + digits[:_MAX_WORD], None)
        elif trimmed := _trim(word):
            words.setdefault(TEXT + trimmed[:_MAX_WORD], None)
        else:
            bare.setdefault(TEXT + word[:_MAX_WORD], None)
    return list(words or bare)[:MAX_QUERY_WORDS]


def sort_text(text: str, *, person: bool = False) -> str:
    """A list-order key: pinyin syllables joined by ``-``, a space, then the folded text.

    ``-`` sorts before letters and digits and the space before ``-``, so 李 < 李安 < 连."""
    folded = fold(text)
    if _HAN_RUN.fullmatch(folded):  # one Han run, as most names: its syllables alone
        sylls = name_syllables(folded)[0] if person else syllables(folded)
        return f"{'-'.join(sylls)} {folded}"[:MAX_SORT_KEY].rstrip()
    return _sort_text_of_chunks(folded, person)


def _sort_text_of_chunks(folded: str, person: bool) -> str:
    """``sort_text`` of folded text, chunk by chunk: what the short way of one Han run gives
    too (``tests/unit/model/test_term_fast_paths.py``)."""
    parts: list[str] = []
    first_run = True
    for chunk in _SPLIT.findall(folded):
        if _HAN_RUN.fullmatch(chunk):
            if person and first_run:
                parts.extend(name_syllables(chunk)[0])
            else:
                parts.extend(syllables(chunk))
            first_run = False
        else:
            parts.append(chunk)
    return f"{'-'.join(parts)} {folded}"[:MAX_SORT_KEY].rstrip()
