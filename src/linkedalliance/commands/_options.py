"""Options several commands share, defined once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def project_dir_option(holding: str) -> Callable[[F], F]:
    """``--project-dir``: the project root (default: the current directory)."""
    return click.option(
        "--project-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help=f"Project root holding {holding}.",
    )


def report_format_option(what: str) -> Callable[[F], F]:
    """``--format text|turtle|json`` for a validation report."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "turtle", "json"]),
        default="text",
        show_default=True,
        help=f"How to print {what}: readable text, the W3C SHACL report graph in Turtle, or JSON.",
    )
