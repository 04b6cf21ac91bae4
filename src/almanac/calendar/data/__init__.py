"""The calendar's packaged data: ``lunar_years.json`` (lunar month table, from lunar-python)
and ``statutory.json`` (the official holiday schedules). Read-only."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def data_text(name: str) -> str:
    """The text of one packaged data file (UTF-8)."""
    path = _HERE / name
    if path.is_file():  # the normal install: a plain file beside this module (fast)
        return path.read_text(encoding="utf-8")
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
