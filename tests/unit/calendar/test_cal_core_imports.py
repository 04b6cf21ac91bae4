"""``almanac.calendar`` is core (docs/architecture.md, issue 4): it imports only the standard
library, lunar-python, python-dateutil, pydantic, ``almanac.errors``, ``almanac.collector``
and ``almanac.model``."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "src" / "almanac" / "calendar"
ALLOWED_THIRD_PARTY = ("lunar_python", "dateutil", "pydantic", "pydantic_core")
ALLOWED_ALMANAC = ("almanac.errors", "almanac.collector", "almanac.model", "almanac.calendar")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_calendar_imports_only_the_core_and_its_libraries(path: Path) -> None:
    for name in _imports(path):
        top = name.split(".")[0]
        if top == "almanac":
            assert name.startswith(ALLOWED_ALMANAC), f"{path.name} imports {name}"
        else:
            assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY, (
                f"{path.name} imports {name}"
            )
