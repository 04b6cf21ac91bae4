"""The CLI's one error handler: every ``AlmanacError`` becomes a short message on stderr and
an exit code; anything else is a bug and keeps its traceback."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

from rich.console import Console

from almanac.errors import AlmanacError, InvalidInput, Throttled

T = TypeVar("T")

EXIT_INVALID = 2
EXIT_FAILED = 1

_stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def describe(exc: AlmanacError) -> str:
    """The words for one error, as a terminal shows them."""
    if isinstance(exc, InvalidInput):
        return "; ".join(f"{p.field}: {p.message}" for p in exc.problems)
    if isinstance(exc, Throttled):
        return f"{exc.message} (retry after {exc.retry_after} s)"
    if exc.field:
        return f"{exc.field}: {exc.message}"
    return exc.message


def run_guarded(fn: Callable[[], T]) -> T:
    """Run ``fn``; turn an AlmanacError into ``error: …`` on stderr and a non-zero exit."""
    try:
        return fn()
    except AlmanacError as exc:
        _stderr.print(f"[bold red]error[/]: {describe(exc)}", markup=True)
        code = EXIT_INVALID if isinstance(exc, InvalidInput) else EXIT_FAILED
        sys.exit(code)
