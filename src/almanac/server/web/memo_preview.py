"""A memo's preview in the list (R5): its first lines, at most a few dozen words, cut where a
character ends — never inside a letter with its accents, an emoji sequence or a line — and
marked “…” when something was left out. The full text is on the memo's form."""

from __future__ import annotations

import unicodedata

MAX_LINES = 3
MAX_CHARS = 120
ZWJ = "\u200d"


def _joins(previous: str, char: str) -> bool:
    """Whether ``char`` belongs to the character before it (so a cut may not fall between)."""
    point = ord(char)
    return bool(
        unicodedata.combining(char)
        or previous == ZWJ
        or char == ZWJ
        or 0xFE00 <= point <= 0xFE0F  # variation selectors
        or 0x1F3FB <= point <= 0x1F3FF  # skin tones
        or 0xE0020 <= point <= 0xE007F  # tag characters (flags)
        or unicodedata.category(char) in ("Mn", "Me", "Mc")
    )


def cut(text: str, at: int) -> int:
    """The first place at or after ``at`` where a character ends."""
    while 0 < at < len(text) and _joins(text[at - 1], text[at]):
        at += 1
    return at


def preview(body: str, max_lines: int = MAX_LINES, max_chars: int = MAX_CHARS) -> str:
    """The start of ``body`` for the list: ``max_lines`` lines and ``max_chars`` characters at
    most (a character being a letter with its marks), “…” added when it is shorter."""
    text = body.strip()
    lines = text.splitlines()
    shown = "\n".join(lines[:max_lines])
    if len(shown) > max_chars:
        shown = shown[: cut(shown, max_chars)]
    if shown == text:
        return text
    return shown.rstrip() + "…"
