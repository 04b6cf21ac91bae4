"""The core never imports a face (docs/architecture.md): checked by import-linter's contract
in pyproject.toml and, independently, by reading every core module's imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "almanac"
CORE = ["errors.py", "model", "calendar", "sync", "store", "client"]
FORBIDDEN = (
    "almanac.server",
    "almanac.cli",
    "almanac.desktop",
    "almanac.remote",
    "fastapi",
    "starlette",
    "typer",
    "rich",
    "sqlalchemy",
    "PySide6",
    "uvicorn",
    "httpx",
)


def _core_files() -> list[Path]:
    files: list[Path] = []
    for entry in CORE:
        path = SRC / entry
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_core_module_imports_no_face(path: Path) -> None:
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            inside = name in FORBIDDEN or name.startswith(tuple(f + "." for f in FORBIDDEN))
            assert not inside, f"{path.name} imports {name}"  # almanac.client is not .cli


def test_import_linter_contract_holds() -> None:
    exe = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(exe)], capture_output=True, text=True, cwd=SRC.parents[1])
    assert result.returncode == 0, result.stdout + result.stderr
