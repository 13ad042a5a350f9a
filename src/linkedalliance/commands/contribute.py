"""``linkedalliance contribute``: validate a file of new facts and merge it into the store."""

from __future__ import annotations

import gc
from pathlib import Path

import click

from ..contrib import Outcome, open_service
from ..errors import LinkedAllianceError
from ..rdfio import format_from_path
from ._options import project_dir_option, report_format_option

EXIT_MERGED = 0
EXIT_REJECTED = 1
EXIT_ERROR = 2

_HELP = """Validate FILE (Turtle, TriG or JSON-LD) against the graph and merge it as a new
contribution, in its own named graph, with who, when, the message and its content hash.

The store is the on-disk data directory (default PROJECT_DIR/data), created from
output/linkedalliance.nq on first use. Validation is the one of `linkedalliance validate
--against-graph`; nothing is merged unless the whole file conforms. The same content sent
twice is recognised by its hash and merged once. See docs/contributing.md.

\b
Examples:
  linkedalliance contribute facts.ttl --by "Jane Doe" --message "SCO accession, doc 004"

\b
Exit codes:
  0  merged (or already merged: same content hash)
  1  rejected: the report lists each problem with node, property and how to fix it
  2  the file or the store could not be read
"""


def _contribute(
    file: Path, by: str, message: str, project_dir: Path, data_dir: Path | None
) -> Outcome:
    # the store is opened and released here: an on-disk store is locked while open
    fmt = format_from_path(file)
    service = open_service(project_dir=project_dir, data_dir=data_dir)
    try:
        return service.contribute(file.read_bytes(), fmt, str(file), by=by, message=message)
    finally:
        service.store.close()
        del service
        gc.collect()  # drop the store now: the next command in this process may reopen it


@click.command("contribute", help=_HELP)
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--by", "by", required=True, help="Who contributes (name or e-mail).")
@click.option("--message", "-m", default="", help="Why, and from which source.")
@project_dir_option("ontology/, shapes/ and output/")
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The store's directory [default: PROJECT_DIR/data].",
)
@report_format_option("a rejection report")
def command(
    file: Path, by: str, message: str, project_dir: Path, data_dir: Path | None, output_format: str
) -> None:
    try:
        outcome = _contribute(file, by, message, project_dir, data_dir)
    except LinkedAllianceError as exc:
        click.echo(f"Error: {exc.message}", err=True)
        raise SystemExit(EXIT_ERROR) from None
    if outcome.status == "already-merged":
        assert outcome.record is not None
        click.echo(
            f"already merged as contribution {outcome.record.number} "
            f"(same content, sha256 {outcome.record.sha256[:12]}…); nothing changed"
        )
        raise SystemExit(EXIT_MERGED)
    if outcome.status == "rejected":
        assert outcome.checked is not None
        report = outcome.checked.report
        click.echo("rejected: nothing was merged.", err=True)
        if output_format == "json":
            click.echo(report.to_json(), nl=False)
        elif output_format == "turtle":
            click.echo(report.to_turtle(), nl=False)
        else:
            click.echo(report.text())
        raise SystemExit(EXIT_REJECTED)
    assert outcome.record is not None and outcome.checked is not None
    for note in outcome.checked.notes:
        click.echo(f"note: {note}", err=True)
    warnings = [r for r in outcome.checked.report.results if r.severity != "Violation"]
    if warnings:
        click.echo(outcome.checked.report.text(), err=True)
    record = outcome.record
    click.echo(
        f"merged as contribution {record.number}: {record.triples} triples in <{record.graph}>"
    )
    raise SystemExit(EXIT_MERGED)
