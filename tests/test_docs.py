"""Every setting and every command/option is documented (in the manner of Datasette's
tests/test_docs.py): adding one without documenting it fails here."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import typer.main

from almanac.cli.main import app
from almanac.server.settings import ServerSettings

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _commands(group: click.Group, prefix: str = "almanac") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, cmd in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(cmd, click.Group):
            found.extend(_commands(cmd, path))
        else:
            found.append((path, cmd))
    return found


COMMANDS = _commands(typer.main.get_command(app))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(ServerSettings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    text = (DOCS / "configuration.md").read_text()
    assert f"`{name}`" in text, f"setting {name} missing from docs/configuration.md"
    assert f"`ALMANAC_{name.upper()}`" in text


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_and_option_is_documented(path: str, cmd: click.Command) -> None:
    text = (DOCS / "cli.md").read_text()
    assert re.search(rf"^## `{re.escape(path)}[ `]", text, re.M), f"{path} has no section"
    for param in cmd.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt != "--help":
                assert f"`{opt}" in text, f"{path} {opt} missing from docs/cli.md"


def test_readme_starts_with_the_two_commands() -> None:
    readme = (DOCS.parent / "README.md").read_text()
    blocks = re.findall(r"```(?:sh|bash)?\n(.*?)```", readme, re.S)
    commands = [line for b in blocks for line in b.splitlines() if line and line[0] != "#"]
    assert commands[:2] == ["bash scripts/start", "bash scripts/test"]
    ci = (DOCS.parent / ".ci" / "run").read_text()
    assert "bash scripts/test" in ci
