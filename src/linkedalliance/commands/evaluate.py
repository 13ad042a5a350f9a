"""``linkedalliance evaluate``: how good extraction is on the curated documents."""

from __future__ import annotations

from pathlib import Path

import click

from linkedalliance.extract.evaluate import evaluate, format_report


@click.command(name="evaluate")
@click.option(
    "--seeds",
    type=click.Path(path_type=Path),
    default=Path("seeds"),
    show_default=True,
    help="Directory of documents and their curation.",
)
@click.option("-v", "--verbose", is_flag=True, help="List misses, false hits and date errors.")
def command(seeds: Path, verbose: bool) -> None:
    """Compare extraction with the curated graph, leave-one-document-out: precision,
    recall and F1 per kind of mention and relation, and date exactness."""
    click.echo(format_report(evaluate(seeds), verbose))
