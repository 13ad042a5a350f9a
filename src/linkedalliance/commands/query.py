"""``linkedalliance query``: run SPARQL over the built dataset (or any SPARQL endpoint)."""

from __future__ import annotations

from pathlib import Path

import click
import pyoxigraph as ox

from ..errors import QueryError
from ..export import read_context
from ..query import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    graph_format,
    read_query_file,
    render,
    render_table,
    results_format,
    run_query,
)
from ..settings import DEFAULT_DATA_DIR
from ..store import OxigraphStore, RemoteSparqlStore, Store

FORMAT_NAMES = ["table"] + [f.name for f in RESULT_FORMATS + GRAPH_FORMATS]


def open_query_store(
    *, data: Path | None, data_dir: Path | None, endpoint: str | None, output_dir: Path
) -> Store:
    """The store a query runs against: an endpoint, an on-disk store or a dataset file."""
    if endpoint is not None:
        return RemoteSparqlStore(endpoint)
    if data_dir is None and data is None and _is_store(DEFAULT_DATA_DIR):
        data_dir = DEFAULT_DATA_DIR  # merged contributions live there
    if data_dir is not None and _is_store(data_dir):
        # Read-only: a query never writes, and this works while `serve` holds the store.
        return OxigraphStore(store=ox.Store.read_only(str(data_dir)))
    store = OxigraphStore(path=data_dir)
    store.load(data if data is not None else output_dir / "linkedalliance.nq")
    return store


def _is_store(path: Path) -> bool:
    return path.is_dir() and any(path.iterdir())


@click.command("query")
@click.argument("sparql", required=False)
@click.option(
    "-f",
    "--file",
    "query_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the query from this file (e.g. queries/cq01.rq) instead of the argument.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_NAMES),
    default="table",
    show_default=True,
    help="table/json/xml/csv/tsv for SELECT and ASK; turtle/jsonld/ntriples (or table) "
    "for CONSTRUCT and DESCRIBE.",
)
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="RDF file to query (default: <output-dir>/linkedalliance.nq).",
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Build output directory holding linkedalliance.nq.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="On-disk store directory (default: ./data when it exists, i.e. the graph with "
    "merged contributions; else the built dataset file).",
)
@click.option("--endpoint", default=None, help="Query this SPARQL 1.1 endpoint URL instead.")
@click.option("--max-rows", type=int, default=None, help="Stop after this many rows.")
def command(
    sparql: str | None,
    query_file: Path | None,
    fmt: str,
    data: Path | None,
    output_dir: Path,
    data_dir: Path | None,
    endpoint: str | None,
    max_rows: int | None,
) -> None:
    """Run a SPARQL query; the default graph is the union of all named graphs.

    \b
    Examples:
      linkedalliance query 'SELECT ?s ?label WHERE { ?s rdfs:label ?label } LIMIT 5'
      linkedalliance query -f queries/cq01.rq --format csv
      linkedalliance query 'CONSTRUCT WHERE { ?s a ?t } LIMIT 3' --format turtle

    Exit status: 0 answered, 2 on a bad query, file or format (one-line message).
    """
    if (sparql is None) == (query_file is None):
        raise click.UsageError("give the query either as an argument or with -f FILE, not both")
    text = read_query_file(query_file) if query_file is not None else str(sparql)
    if not text.strip():
        raise QueryError("the query is empty")
    store = open_query_store(data=data, data_dir=data_dir, endpoint=endpoint, output_dir=output_dir)
    try:
        result = run_query(store, text, max_rows=max_rows)
    finally:
        store.close()
    if fmt == "table":
        click.echo(render_table(result))
        return
    graph_names = {f.name for f in GRAPH_FORMATS}
    chosen = graph_format(fmt) if fmt in graph_names else results_format(fmt)
    # JSON-LD graphs use the short terms of the build's published @context when there is one
    rendered = render(result, chosen, read_context(output_dir) if fmt == "jsonld" else None)
    click.echo(rendered.body.decode("utf-8"), nl=not rendered.body.endswith(b"\n"))
    if rendered.truncated:
        click.echo(f"warning: results truncated at {max_rows} rows", err=True)
