"""The desktop package says what it holds (issue 6; house rules): its ``__init__`` docstring and
the desktop row of docs/architecture.md name every module of ``almanac.desktop``."""

from __future__ import annotations

from pathlib import Path

import almanac.desktop

ROOT = Path(__file__).resolve().parents[2]


def _modules() -> list[str]:
    folder = Path(almanac.desktop.__file__).parent
    return sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__")


def test_the_package_docstring_names_every_module() -> None:
    doc = almanac.desktop.__doc__ or ""
    assert [m for m in _modules() if f"``{m}``" not in doc] == []


def test_the_architecture_row_names_every_module() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    (row,) = [line for line in text.splitlines() if line.startswith("| `desktop/` |")]
    assert [m for m in _modules() if f"`{m}`" not in row] == []
