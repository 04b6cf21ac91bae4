"""The cyclic garbage collector around bulk work: ``paused()`` (core; no face).

A sync or an agenda view makes tens of thousands of small objects that reference counting
frees. With the collector on, each young collection promotes the ones still in use, and these
set off full collections that walk the whole heap: about a third of a year view, and ~0.3 s
of the client's CPU in a push of 10,000 edits (bench/README.md, "sync.py"). The work in
between forms no lasting cycles, so the collector is paused for it and switched back on
after."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_on = False
_left_on = False


def leave_on() -> None:
    """From now on ``paused`` pauses nothing: a serving process tunes its collector once
    (``server.app.settle_heap``), and its many overlapping requests would otherwise keep it
    off for long stretches."""
    global _left_on
    _left_on = True


@contextmanager
def paused() -> Iterator[None]:
    """The collector off while the block runs. Nested and concurrent uses (the desktop's
    sync worker while the window builds a view) share one pause: the collector comes back on
    when the last of them ends, if it was on when the first began."""
    global _depth, _was_on
    if _left_on:
        yield
        return
    with _lock:
        if _depth == 0:
            _was_on = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_on:
                gc.enable()
