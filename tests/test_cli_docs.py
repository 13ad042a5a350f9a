"""Every command has help text, and the README mentions every command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from linkedalliance.cli import main

COMMANDS = sorted(main.commands)


def test_expected_commands_are_registered() -> None:
    assert {"build", "query", "validate", "serve"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert main.commands[name].help, f"{name} has no help text"
    assert len(main.commands[name].help or "") > 40


@pytest.mark.parametrize("name", COMMANDS)
def test_readme_mentions_command(name: str, repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert f"linkedalliance {name}" in readme
