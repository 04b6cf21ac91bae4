"""Three-way line merge of long text (a memo's body, notes), bounded in time (R8, R14).

``merge3(base, a, b)`` merges two texts that both started from ``base``: ``a`` is the text the
server has now, ``b`` the text a client pushes. Lines are what ``text.split("\\n")`` gives, so
the result joins back byte for byte (a missing final newline is just a last line).

How: ``difflib.SequenceMatcher`` gives each side's hunks against ``base`` (a hunk replaces base
lines ``[start, end)`` — possibly none: an insertion — by new lines). Hunks of the two sides
that *overlap* form a cluster; everything else is taken from whichever side changed it:

- two hunks overlap when they share a base line, or when both insert at the same place, or
  when one inserts strictly inside the lines the other replaces. Edits to different lines —
  even neighbouring ones — merge cleanly; an insertion next to a changed line goes before it
  when it is at the start of that line, after it when at its end.
- a cluster in which both sides produce the same lines is not a conflict (identical edits);
- otherwise the cluster is a conflict: the side named by ``prefer`` wins that cluster (the
  server's rule: the incoming ``b``), and ``conflicts`` counts it. Non-overlapping edits of
  the losing side are still merged in.

Bound: each side's diff is computed only on what lies between the common prefix and suffix
of that side and ``base``; if that middle is longer than ``MAX_DIFF_LINES`` on either side,
``merge3`` returns ``None`` and the caller falls back to its whole-value rule. Lines that
recur more than ``max(8, n // 100)`` times in a middle (blank lines, ``---``) do not start a
match (as difflib's own "autojunk" does for long inputs) but still extend one; this keeps
difflib away from its quadratic cases. Measured on the 2-core machine of this project
(``tests/unit/sync/test_textmerge.py::test_bound_holds_on_adversarial_input`` prints it):
worst case at the bound (2,000 changed lines, scattered edits among blank lines) ≈ 0.3 s for
both sides; a 100,000-line memo with a few edits on each side ≈ 30 ms; typical memos < 1 ms.

Part of the core: standard library only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

__all__ = ["MAX_DIFF_LINES", "Hunk", "TextMerge", "diff_hunks", "merge3"]

MAX_DIFF_LINES = 2000
"""Longest changed middle (in lines, per side) that is diffed; longer → ``merge3`` is None."""

_POPULAR_MIN = 8


@dataclass(frozen=True)
class Hunk:
    """Base lines ``[start, end)`` replaced by ``lines`` (``start == end``: an insertion)."""

    start: int
    end: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class TextMerge:
    """The merged ``text`` and how many overlapping clusters were settled by ``prefer``."""

    text: str
    conflicts: int = 0

    @property
    def clean(self) -> bool:
        return self.conflicts == 0


def diff_hunks(base: Sequence[str], other: Sequence[str]) -> list[Hunk] | None:
    """The hunks turning ``base`` lines into ``other`` lines, in order; ``None`` when the
    changed middle is longer than ``MAX_DIFF_LINES``."""
    n, m = len(base), len(other)
    prefix = 0
    while prefix < n and prefix < m and base[prefix] == other[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < n - prefix
        and suffix < m - prefix
        and base[n - 1 - suffix] == other[m - 1 - suffix]
    ):
        suffix += 1
    mid_base = list(base[prefix : n - suffix])
    mid_other = list(other[prefix : m - suffix])
    if max(len(mid_base), len(mid_other)) > MAX_DIFF_LINES:
        return None
    if not mid_base and not mid_other:
        return []
    if not mid_base or not mid_other:
        return [Hunk(prefix, n - suffix, tuple(mid_other))]
    matcher = SequenceMatcher(None, mid_base, mid_other, autojunk=False)
    # Popular lines may not start a match (they still extend one): difflib's autojunk, but
    # for every length, with a floor. ``b2j`` is the matcher's index of the second sequence.
    # (``b2j`` has been difflib's index of ``b`` since Python 2.x; typeshed leaves it out.)
    index: dict[str, list[int]] = matcher.b2j  # type: ignore[attr-defined]
    limit = max(_POPULAR_MIN, len(mid_other) // 100)
    for line in [line for line, places in index.items() if len(places) > limit]:
        del index[line]
    return [
        Hunk(prefix + i1, prefix + i2, tuple(mid_other[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def merge3(base: str, a: str, b: str, *, prefer: Literal["a", "b"] = "b") -> TextMerge | None:
    """Merge ``a`` and ``b``, both edited from ``base``, line by line (see the module doc).
    ``None`` when a side's changes are too large to diff within the bound."""
    if a == b or b == base:
        return TextMerge(a)
    if a == base:
        return TextMerge(b)
    base_lines = base.split("\n")
    sides = (diff_hunks(base_lines, a.split("\n")), diff_hunks(base_lines, b.split("\n")))
    if sides[0] is None or sides[1] is None:
        return None
    return _assemble(base_lines, (sides[0], sides[1]), 0 if prefer == "a" else 1)


def _clusters(sides: tuple[list[Hunk], list[Hunk]]) -> list[list[tuple[int, Hunk]]]:
    tagged = sorted(
        ((side, hunk) for side in (0, 1) for hunk in sides[side]),
        key=lambda item: (item[1].start, item[1].end, item[0]),
    )
    clusters: list[list[tuple[int, Hunk]]] = []
    reach = [-1, -1]  # per side: furthest end of a non-empty hunk in the open cluster
    inserts: tuple[set[int], set[int]] = (set(), set())  # per side: insertion points in it
    for side, hunk in tagged:
        other = 1 - side
        if hunk.start < hunk.end:
            overlaps = hunk.start < reach[other]
        else:
            overlaps = hunk.start < reach[other] or hunk.start in inserts[other]
        if not (clusters and overlaps):
            clusters.append([])
            reach = [-1, -1]
            inserts = (set(), set())
        clusters[-1].append((side, hunk))
        if hunk.start < hunk.end:
            reach[side] = max(reach[side], hunk.end)
        else:
            inserts[side].add(hunk.start)
    return clusters


def _assemble(base: list[str], sides: tuple[list[Hunk], list[Hunk]], prefer: int) -> TextMerge:
    out: list[str] = []
    position = 0
    conflicts = 0
    for cluster in _clusters(sides):
        low = min(hunk.start for _, hunk in cluster)
        high = max(hunk.end for _, hunk in cluster)
        out.extend(base[position:low])
        versions = [
            _apply(base, low, high, [h for s, h in cluster if s == side]) for side in (0, 1)
        ]
        touched = {side for side, _ in cluster}
        if len(touched) == 1:
            out.extend(versions[touched.pop()])
        elif versions[0] == versions[1]:
            out.extend(versions[0])
        else:
            conflicts += 1
            out.extend(versions[prefer])
        position = high
    out.extend(base[position:])
    return TextMerge("\n".join(out), conflicts)


def _apply(base: list[str], low: int, high: int, hunks: list[Hunk]) -> list[str]:
    result: list[str] = []
    position = low
    for hunk in hunks:
        result.extend(base[position : hunk.start])
        result.extend(hunk.lines)
        position = hunk.end
    result.extend(base[position:high])
    return result
