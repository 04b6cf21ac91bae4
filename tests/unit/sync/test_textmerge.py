"""The bounded three-way line merge of long text (R5 memo bodies, R8 sync; issue 3 §3)."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from almanac.sync.textmerge import MAX_DIFF_LINES, diff_hunks, merge3

BASE = "一\n二\n三\n四\n五"


def test_edits_on_different_lines_merge_cleanly() -> None:
    result = merge3(BASE, "一\n贰\n三\n四\n五", "一\n二\n三\n四\n伍")
    assert result is not None and result.clean
    assert result.text == "一\n贰\n三\n四\n伍"


def test_edits_on_neighbouring_lines_merge_cleanly() -> None:
    result = merge3(BASE, "一\n贰\n三\n四\n五", "一\n二\n叁\n四\n五")
    assert result is not None and result.clean
    assert result.text == "一\n贰\n叁\n四\n五"


def test_insertion_before_a_changed_line_goes_before_it() -> None:
    result = merge3(BASE, "一\n新\n二\n三\n四\n五", "一\n贰\n三\n四\n五")
    assert result is not None and result.clean
    assert result.text == "一\n新\n贰\n三\n四\n五"


def test_overlapping_edits_conflict_and_the_preferred_side_wins_the_hunk() -> None:
    a = "一\n甲\n三\n四\n伍"  # line 2 and line 5
    b = "一\n乙\n三\n四\n五"  # line 2 only
    result = merge3(BASE, a, b, prefer="b")
    assert result is not None and result.conflicts == 1
    assert result.text == "一\n乙\n三\n四\n伍"  # b wins line 2; a's line 5 still merged in
    other = merge3(BASE, a, b, prefer="a")
    assert other is not None and other.text == a


def test_both_inserting_at_the_same_place_is_a_conflict_unless_identical() -> None:
    assert merge3("x", "x\na", "x\nb") == merge3("x", "x\na", "x\nb", prefer="b")
    result = merge3("x", "x\na", "x\nb")
    assert result is not None and result.conflicts == 1 and result.text == "x\nb"
    same = merge3("x", "x\na", "x\na")
    assert same is not None and same.clean and same.text == "x\na"


def test_identical_edits_are_not_a_conflict() -> None:
    edited = "一\n二\n叁\n四\n五\n六"
    result = merge3(BASE, edited, edited)
    assert result is not None and result.clean and result.text == edited


def test_final_newline_and_empty_texts_round_trip() -> None:
    result = merge3("a\n", "a\nb\n", "a\n")
    assert result is not None and result.text == "a\nb\n"
    result = merge3("", "hello", "")
    assert result is not None and result.text == "hello"
    result = merge3("top\n\nbottom", "TOP\n\nbottom", "top\n\nBOTTOM\n")
    assert result is not None and result.clean and result.text == "TOP\n\nBOTTOM\n"


def test_too_large_a_change_is_refused_not_slow() -> None:
    base = "\n".join(f"line {i}" for i in range(MAX_DIFF_LINES + 10))
    changed = "\n".join(f"LINE {i}" for i in range(MAX_DIFF_LINES + 10))
    assert merge3(base, changed, base + "\nend") is None
    # ...but a huge text with small edits at both ends merges (prefix/suffix trimming).
    big = [f"行 {i}" for i in range(100_000)]
    a = ["开头", *big[1:]]
    b = [*big[:-1], "结尾"]
    start = time.perf_counter()
    result = merge3("\n".join(big), "\n".join(a), "\n".join(b))
    elapsed = time.perf_counter() - start
    assert result is not None and result.clean
    assert result.text.split("\n")[0] == "开头" and result.text.split("\n")[-1] == "结尾"
    assert elapsed < 1.0


def test_bound_holds_on_adversarial_input() -> None:
    """Scattered edits among blank lines: difflib's worst case, at the bound."""
    n = MAX_DIFF_LINES
    base = [x for i in range(n // 2) for x in (f"p{i}", "")]
    a = list(base)
    b = list(base)
    for i in range(0, n, 10):
        a[i] = f"a{i}"
        b[i + 5] = f"b{i}"
    start = time.perf_counter()
    result = merge3("\n".join(base), "\n".join(a), "\n".join(b))
    elapsed = time.perf_counter() - start
    print(f"merge3 at the bound ({n} lines, scattered edits): {elapsed * 1000:.0f} ms")
    assert result is not None
    assert elapsed < 3.0  # measured ≈ 0.3 s on the project's 2-core machine


# -- properties --------------------------------------------------------------------------

lines_of = st.lists(st.sampled_from(["", "a", "b", "c", "一", "二"]), max_size=12)


@given(base=lines_of, x=lines_of)
def test_merging_with_an_unchanged_side_gives_the_changed_side(
    base: list[str], x: list[str]
) -> None:
    b, t = "\n".join(base), "\n".join(x)
    assert merge3(b, t, b) == merge3(b, b, t)
    result = merge3(b, t, b)
    assert result is not None and result.text == t and result.clean


@given(base=lines_of, x=lines_of)
def test_identical_sides_merge_to_themselves(base: list[str], x: list[str]) -> None:
    t = "\n".join(x)
    result = merge3("\n".join(base), t, t)
    assert result is not None and result.clean and result.text == t


@given(base=lines_of, a=lines_of, b=lines_of)
@settings(max_examples=300)
def test_merge_is_deterministic_and_keeps_unconflicted_edits(
    base: list[str], a: list[str], b: list[str]
) -> None:
    texts = ["\n".join(lines) for lines in (base, a, b)]
    first = merge3(*texts)
    again = merge3(*texts)
    assert first == again
    assert first is not None
    if first.clean:
        # Every line either side added survives a clean merge.
        merged = first.text.split("\n")
        for side in texts[1:]:
            for line in set(side.split("\n")) - set(texts[0].split("\n")):
                assert line in merged


@st.composite
def disjoint_edits(draw: st.DrawFn) -> tuple[list[str], list[str], list[str], list[str]]:
    """A base of distinct lines and two sides editing different, separated stretches; with
    the expected result of applying both."""
    n = draw(st.integers(min_value=1, max_value=30))
    base = [f"base {i}" for i in range(n)]
    a, b, expected = [], [], []
    fresh = iter(range(10_000))
    i = 0
    while i < n:
        who = draw(st.sampled_from(["none", "none", "a", "b"]))
        if who == "none" or i == 0:
            a.append(base[i])
            b.append(base[i])
            expected.append(base[i])
            i += 1
            continue
        how = draw(st.sampled_from(["replace", "delete", "insert"]))
        new = [f"{who} {next(fresh)}" for _ in range(draw(st.integers(1, 3)))]
        edited = {"replace": new, "delete": [], "insert": [*new, base[i]]}[how]
        a.extend(edited if who == "a" else [base[i]])
        b.extend(edited if who == "b" else [base[i]])
        expected.extend(edited)
        i += 1
        if i < n:  # one untouched line between edits
            a.append(base[i])
            b.append(base[i])
            expected.append(base[i])
            i += 1
    return base, a, b, expected


@given(disjoint_edits())
@settings(max_examples=300)
def test_non_overlapping_line_edits_equal_applying_both(
    case: tuple[list[str], list[str], list[str], list[str]],
) -> None:
    base, a, b, expected = case
    result = merge3("\n".join(base), "\n".join(a), "\n".join(b))
    assert result is not None and result.clean
    assert result.text == "\n".join(expected)


def test_diff_hunks_are_in_base_coordinates() -> None:
    hunks = diff_hunks(["a", "b", "c"], ["a", "B", "c", "d"])
    assert hunks is not None
    assert [(h.start, h.end, h.lines) for h in hunks] == [(1, 2, ("B",)), (3, 3, ("d",))]
