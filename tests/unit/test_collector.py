"""``almanac.collector.paused``: the cyclic collector off around bulk work (a sync, an agenda
view), back on after — nested, concurrent, on error; left off if it was off."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from almanac.collector import paused


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    was_on = gc.isenabled()
    yield
    if was_on:
        gc.enable()
    else:
        gc.disable()


def test_off_inside_back_on_after_also_on_error() -> None:
    gc.enable()
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_nested_uses_share_one_pause() -> None:
    gc.enable()
    with paused():
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still runs
    assert gc.isenabled()


def test_left_off_when_it_was_off() -> None:
    gc.disable()
    with paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_overlapping_threads_turn_it_back_on_only_when_the_last_ends() -> None:
    """The first to end is the first to begin (the case a per-use flag gets wrong)."""
    gc.enable()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def second() -> None:
        first_in.wait(5)
        with paused():
            second_in.set()
            first_out.wait(5)
            seen.append(gc.isenabled())  # the first has ended; this one still runs

    worker = threading.Thread(target=second)
    worker.start()
    with paused():
        first_in.set()
        second_in.wait(5)
    first_out.set()
    worker.join(5)
    assert seen == [False]
    assert gc.isenabled()
