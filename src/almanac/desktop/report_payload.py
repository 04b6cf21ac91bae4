"""What an error report holds (R10; issue 6 §4) — and what it never holds.

``make_report(exc, is_known)`` builds the JSON body of ``POST /api/v1/reports``:

- ``what``: where it failed, as code (``desktop.contacts.save``: the innermost
  frame of Almanac's own code), never the data being worked on;
- ``error_type``: the exception's class (``builtins.ValueError``);
- ``traceback``: only the frames' file, line and function — no source lines, no local
  values; a file is named from its package (``almanac/desktop/contacts.py``,
  ``site-packages/…``), never by its full path (which would name the person's home folder);
- ``message``: the exception's message after ``safe_message``: quoted text, anything not
  ASCII (Chinese names), numbers of three or more digits (phones), e-mail and web addresses and
  paths become ``…``, and then every remaining word the person's own data knows
  (``is_known``: the store's search, the user name, the server) too. If that check cannot
  run, the whole message is left out;
- ``app_version``, ``os`` (``platform.platform(terse=True)``), ``source`` ``desktop`` and a
  fresh ``report_id``.

The dialog shows this exact dictionary before anything is sent.
"""

from __future__ import annotations

import platform
import re
import traceback
import uuid
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from almanac import __version__

FRAMES_MAX = 60
MESSAGE_MAX = 1000
HIDDEN = "…"
WITHHELD = "(withheld)"

_PATTERNS = [
    re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|‘[^’]*’"),  # quoted text
    re.compile(r"\S+@\S+"),  # e-mail addresses
    re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.I),  # web addresses
    re.compile(r"(?:[A-Za-z]:)?[\\/][^\s:,;)]+"),  # paths
    re.compile(r"[^\x00-\x7f]+(?:\s*[^\x00-\x7f]+)*"),  # anything not ASCII
    re.compile(r"\d[\d\s()+-]{1,}\d"),  # numbers of three or more digits (phones)
    re.compile(r"\b[0-9a-f]{8,}(?:-[0-9a-f]{4,})*\b", re.I),  # ids, hashes
]
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")

IsKnown = Callable[[str], bool]
"""True when a word occurs in the person's data (a contact's name, a memo…)."""


def make_report(exc: BaseException, is_known: IsKnown | None = None) -> dict[str, Any]:
    """The report for ``exc`` (see the module docstring)."""
    frames = traceback.extract_tb(exc.__traceback__)[-FRAMES_MAX:]
    return {
        "report_id": str(uuid.uuid4()),
        "source": "desktop",
        "app_version": __version__,
        "os": platform.platform(terse=True)[:200],
        "what": where(frames)[:500],
        "error_type": type_name(exc)[:200],
        "message": safe_message(str(exc), is_known),
        "traceback": frame_lines(frames),
    }


def type_name(exc: BaseException) -> str:
    kind = type(exc)
    return f"{kind.__module__}.{kind.__qualname__}"


def short_file(filename: str) -> str:
    """A frame's file named from its package: ``almanac/…`` or ``site-packages/…``; else
    only the file's own name (a full path would name the person's home folder)."""
    parts = PurePath(filename).parts
    for anchor in ("almanac", "site-packages", "dist-packages"):
        if anchor in parts:
            index = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[index:])
    if len(parts) >= 2 and parts[-2].startswith("python3"):
        return "/".join(parts[-2:])  # the standard library
    return parts[-1] if parts else "?"


def _module(filename: str) -> str:
    name = short_file(filename)
    return name.removeprefix("almanac/").removesuffix(".py").replace("/", ".")


def where(frames: list[traceback.FrameSummary]) -> str:
    """The innermost frame of Almanac's own code, as ``module.function``."""
    for frame in reversed(frames):
        if short_file(frame.filename).startswith("almanac/"):
            return f"{_module(frame.filename)}.{frame.name}"
    if frames:
        return f"{_module(frames[-1].filename)}.{frames[-1].name}"
    return "unknown"


def frame_lines(frames: list[traceback.FrameSummary]) -> str:
    """``File "almanac/desktop/x.py", line 10, in save`` per frame, outermost first."""
    lines = ["Traceback (most recent call last):"]
    lines += [f'  File "{short_file(f.filename)}", line {f.lineno}, in {f.name}' for f in frames]
    return "\n".join(lines)


def safe_message(message: str, is_known: IsKnown | None) -> str:
    """``message`` with everything that could be the person's data replaced by ``…``; the
    literal ``(withheld)`` when the person's data could not be checked."""
    text = message[:MESSAGE_MAX]
    for pattern in _PATTERNS:
        text = pattern.sub(HIDDEN, text)
    if is_known is None:
        return WITHHELD if _WORD.search(text) else text
    try:
        return _WORD.sub(lambda m: HIDDEN if is_known(m.group(0)) else m.group(0), text)
    except Exception:
        return WITHHELD
