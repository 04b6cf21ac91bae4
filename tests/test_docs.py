"""Every setting and every command/option is documented (in the manner of Datasette's
tests/test_docs.py): adding one without documenting it fails here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from almanac.cli.main import app
from almanac.server.settings import ServerSettings

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _commands(group: Any, prefix: str = "almanac") -> list[tuple[str, Any]]:
    """Every command and group under ``group``, by its ``commands`` attribute: Typer builds its
    groups on its own copy of click, so ``isinstance(…, click.Group)`` would not see them."""
    found: list[tuple[str, Any]] = [(prefix, group)]
    for name, cmd in getattr(group, "commands", {}).items():
        found.extend(_commands(cmd, f"{prefix} {name}"))
    return found


COMMANDS = _commands(typer.main.get_command(app))


@pytest.mark.parametrize("name", sorted(ServerSettings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    text = (DOCS / "configuration.md").read_text()
    assert f"`{name}`" in text, f"setting {name} missing from docs/configuration.md"
    assert f"`ALMANAC_{name.upper()}`" in text


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_and_option_is_documented(path: str, cmd: Any) -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    if path != "almanac":
        assert re.search(rf"^## `{re.escape(path)}[ `]", text, re.M), f"{path} has no section"
    for param in cmd.params:
        for opt in getattr(param, "opts", []) + getattr(param, "secondary_opts", []):
            if opt.startswith("--") and opt != "--help":
                assert f"`{opt}" in text, f"{path} {opt} missing from docs/cli.md"


def test_readme_starts_with_the_two_commands() -> None:
    readme = (DOCS.parent / "README.md").read_text()
    blocks = re.findall(r"```(?:sh|bash)?\n(.*?)```", readme, re.S)
    commands = [line for b in blocks for line in b.splitlines() if line and line[0] != "#"]
    assert commands[:2] == ["bash scripts/start", "bash scripts/test"]
    ci = (DOCS.parent / ".ci" / "run").read_text()
    assert "bash scripts/test" in ci
