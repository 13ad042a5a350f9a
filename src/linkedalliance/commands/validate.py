"""``linkedalliance validate``: check an RDF file against the SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import click
from rdflib import Graph

from ..errors import LinkedAllianceError
from ..rdfio import FORMATS, parse_file
from ..validation import ValidationReport, load_shapes, validate_graph
from ._options import project_dir_option, report_format_option

EXIT_CONFORMS = 0
EXIT_NOT_CONFORMS = 1
EXIT_ERROR = 2

ONTOLOGY_PATH = Path("ontology") / "linkedalliance.ttl"
SHAPES_DIR = Path("shapes")

_HELP = f"""Validate the RDF file FILE against the SHACL shapes and the ontology.

FILE may be {
    ", ".join(f.name + " (" + ", ".join("." + e for e in f.extensions) + ")" for f in FORMATS)
}; named graphs are merged before validation.
The ontology ({ONTOLOGY_PATH}) and the shapes ({SHAPES_DIR}/*.ttl) are looked up under
the project directory (default: the current directory). Warnings are reported but do
not make the data non-conformant.

\b
Exit codes:
  0  the data conforms to the shapes
  1  the data does not conform (the report lists each violation)
  2  an input could not be read: missing file, unknown extension, syntax error
     (file:line:column: reason), or unusable shapes or ontology

With --against-graph (the default when PROJECT_DIR/data holds a store or
PROJECT_DIR/output/linkedalliance.nq exists) FILE is checked as a contribution, in the
context of the graph: it may refer to existing entities; unknown IRIs under our base
(with the closest existing slug), retyping or changing single-valued properties of
existing nodes, facts without evidence and duplicates of existing facts are reported;
OWL RL inference runs first. Only the contribution and its neighbourhood are validated
(--scope full checks the whole graph, for comparison). Quotes (la:quote +
prov:wasDerivedFrom, or oa:exact) are verified against output/texts/. Nothing is ever
fetched: owl:imports is refused.
"""


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(EXIT_ERROR)


def _render(report: ValidationReport, fmt: str) -> str:
    if fmt == "turtle":
        return report.to_turtle()
    if fmt == "json":
        return report.to_json()
    return report.text() + "\n"


def _load_ontology(path: Path) -> Graph:
    if not path.is_file():
        _fail(f"{path}: ontology not found; run from the project root or pass --project-dir")
    ontology = Graph()
    for s, p, o, _g in parse_file(path).quads((None, None, None, None)):
        ontology.add((s, p, o))
    return ontology


@click.command("validate", help=_HELP)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "--shapes",
    "shapes_path",
    type=click.Path(path_type=Path),
    default=None,
    help="A shapes file or a directory of *.ttl shapes [default: PROJECT_DIR/shapes].",
)
@report_format_option("the report")
@project_dir_option("ontology/ and shapes/")
@click.option(
    "--inference/--no-inference",
    default=False,
    show_default=True,
    help="Apply RDFS entailment (with the ontology) to a copy of the data first.",
)
@click.option(
    "--against-graph/--standalone",
    "against_graph",
    default=None,
    help="Check FILE as a contribution to the existing graph, or on its own "
    "[default: against the graph when one exists].",
)
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The store to validate against [default: PROJECT_DIR/data, else "
    "PROJECT_DIR/output/linkedalliance.nq].",
)
@click.option(
    "--scope",
    type=click.Choice(["neighbourhood", "full"]),
    default="neighbourhood",
    show_default=True,
    help="With --against-graph: validate the contribution's neighbourhood, or the whole graph.",
)
def command(
    file: Path,
    shapes_path: Path | None,
    output_format: str,
    project_dir: Path,
    inference: bool,
    against_graph: bool | None,
    data_dir: Path | None,
    scope: str,
) -> None:
    if against_graph is not False:
        from ..contrib.checkfile import validate_against_graph

        code = validate_against_graph(
            file,
            project_dir=project_dir,
            data_dir=data_dir,
            shapes_path=shapes_path,
            scope=scope,
            required=against_graph is True,
        )
        if code is not None:
            report, notes = code
            for note in notes:
                click.echo(f"note: {note}", err=True)
            click.echo(_render(report, output_format), nl=False)
            raise SystemExit(EXIT_CONFORMS if report.conforms else EXIT_NOT_CONFORMS)
    try:
        dataset = parse_file(file)
        data = Graph()
        for s, p, o, _g in dataset.quads((None, None, None, None)):
            data.add((s, p, o))
        shapes = load_shapes(shapes_path if shapes_path is not None else project_dir / SHAPES_DIR)
        ontology = _load_ontology(project_dir / ONTOLOGY_PATH)
        report = validate_graph(data, shapes=shapes, ontology=ontology, inference=inference)
    except LinkedAllianceError as exc:
        _fail(exc.message)
        return
    click.echo(_render(report, output_format), nl=False)
    raise SystemExit(EXIT_CONFORMS if report.conforms else EXIT_NOT_CONFORMS)
