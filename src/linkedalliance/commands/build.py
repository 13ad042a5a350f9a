"""``linkedalliance build``: seeds/ → validated graph → output/."""

from __future__ import annotations

from pathlib import Path

import click

from ..build import build
from ..namespaces import DEFAULT_BASE, IriScheme
from ._options import project_dir_option


@click.command("build")
@project_dir_option("seeds/, ontology/ and shapes/")
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the files (default: <project-dir>/output).",
)
@click.option(
    "--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of the published data."
)
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary line.")
def command(project_dir: Path, output_dir: Path | None, base: str, quiet: bool) -> None:
    """Build the knowledge graph from the documents in seeds/.

    \b
    Steps: read every seeds/<id>.txt with its curated seeds/<id>.ttl, verify each
    quote against the text, add evidence (quote + offsets), infer with OWL RL,
    validate with the SHACL shapes, then write output/: linkedalliance.nq/.trig
    (named graphs), .ttl (union), .jsonld + context.jsonld, void.ttl,
    validation-report.ttl, ontology.ttl, texts/.

    Nothing is written unless every step succeeds. Exit status: 0 built,
    2 on bad input (file, line and reason are printed).
    """

    def progress(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    summary = build(project_dir, output_dir, scheme=IriScheme(base), progress=progress)
    if not quiet:
        for graph, count in summary.triples_per_graph.items():
            click.echo(f"  {count:6d}  {graph}", err=True)
    total = sum(summary.triples_per_graph.values())
    click.echo(
        f"built {total} triples in {len(summary.triples_per_graph)} graphs: "
        f"{summary.fact_nodes} facts, {summary.quotes_verified} quotes verified, "
        f"conforms={summary.conforms}, {summary.seconds:.1f} s -> {summary.output_dir}"
    )
