"""The CLI's words: zh-CN first; English when ``ALMANAC_LANG`` starts with ``en``.

(``LANG`` is not consulted: it is ``en_US.UTF-8`` on many machines whose people read
Chinese, and zh-CN is the default.)"""

from __future__ import annotations

import os


def english() -> bool:
    """True when the person asked for English words."""
    return os.environ.get("ALMANAC_LANG", "").lower().startswith("en")


def t(zh: str, en: str) -> str:
    """``zh`` unless English was asked for."""
    return en if english() else zh
