"""The server's start-up warm-up: pypinyin loaded, and in a serving process what is alive then
frozen out of the garbage collector's later passes (``almanac.server.app.warm_up``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.strip()


def test_a_serving_process_freezes_what_lives_after_loading_pinyin() -> None:
    out = _run(
        """
        import gc
        from almanac.model import search
        from almanac.server.app import warm_up
        warm_up(freeze=True)
        print(search._pypinyin.cache_info().currsize, gc.get_freeze_count() > 100_000)
        """
    )
    assert out == "1 True"


def test_without_freeze_the_collector_is_left_alone() -> None:
    out = _run(
        """
        import gc
        from almanac.model import search
        from almanac.server.app import warm_up
        warm_up(freeze=False)
        print(search._pypinyin.cache_info().currsize, gc.get_freeze_count())
        """
    )
    assert out == "1 0"
