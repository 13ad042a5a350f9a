"""``linkedalliance validate FILE --against-graph``: check a file as a contribution."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import LinkedAllianceError
from ..rdfio import format_from_path
from ..validation import ValidationReport
from . import open_readonly_context
from .incremental import check_contribution
from .parse import parse_contribution


def validate_against_graph(
    file: Path,
    *,
    project_dir: Path,
    data_dir: Path | None,
    shapes_path: Path | None,
    scope: str,
    required: bool,
) -> tuple[ValidationReport, tuple[str, ...]] | None:
    """The report of ``file`` checked against the project's graph; ``None`` when there is no
    graph and ``required`` is false (the caller then validates the file on its own). Errors
    exit with status 2, as the validate command does."""
    try:
        ctx = open_readonly_context(project_dir=project_dir, data_dir=data_dir)
        if ctx is None:
            if required:
                raise LinkedAllianceError(
                    f"no graph to validate against: neither {project_dir / 'data'} nor "
                    f"{project_dir / 'output' / 'linkedalliance.nq'} exists; run "
                    "`linkedalliance build` or use --standalone"
                )
            return None
        if shapes_path is not None:
            from dataclasses import replace

            from ..validation import load_shapes

            ctx = replace(ctx, shapes=load_shapes(shapes_path))
        fmt = format_from_path(file)
        if not file.is_file():
            raise LinkedAllianceError(f"{file}: file not found")
        parsed = parse_contribution(file.read_bytes(), fmt, str(file), scheme=ctx.scheme)
        checked = check_contribution(
            parsed, ctx, scope="full" if scope == "full" else "neighbourhood"
        )
    except LinkedAllianceError as exc:
        click.echo(f"error: {exc.message}", err=True)
        raise SystemExit(2) from None
    return checked.report, checked.notes
