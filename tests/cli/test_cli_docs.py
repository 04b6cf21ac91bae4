"""Every client command and option is in docs/cli.md (issue 3 §6). Walks the command tree by
its ``commands`` attribute: Typer builds its groups on its own copy of click, so an
``isinstance(…, click.Group)`` test does not see them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from almanac.cli.main import app

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def _walk(group: Any, prefix: str = "almanac") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = [(prefix, group)]
    for name, cmd in getattr(group, "commands", {}).items():
        found.extend(_walk(cmd, f"{prefix} {name}"))
    return found


COMMANDS = _walk(typer.main.get_command(app))


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_and_options_documented(path: str, cmd: Any) -> None:
    text = DOCS.read_text(encoding="utf-8")
    if path != "almanac":
        assert re.search(rf"^## `{re.escape(path)}[ `]", text, re.M), f"{path} has no section"
    for param in cmd.params:
        for opt in getattr(param, "opts", []) + getattr(param, "secondary_opts", []):
            if opt.startswith("--") and opt != "--help":
                assert f"`{opt}" in text, f"{path} {opt} missing from docs/cli.md"
