"""The CLI's words: zh-CN first, English when ``ALMANAC_LANG`` (or, failing that, ``LANG``)
starts with ``en``."""

from __future__ import annotations

import os


def english() -> bool:
    """True when the person asked for English words."""
    lang = os.environ.get("ALMANAC_LANG") or os.environ.get("LANG") or ""
    return lang.lower().startswith("en")


def t(zh: str, en: str) -> str:
    """``zh`` unless English was asked for."""
    return en if english() else zh
