"""``linkedalliance extract``: candidate facts of a new article, ready for review."""

from __future__ import annotations

from pathlib import Path

import click

from linkedalliance.errors import UnsupportedFormat
from linkedalliance.extract.candidates import extract, load_graph, serialise, to_dataset
from linkedalliance.extract.dates import Publication
from linkedalliance.extract.gazetteer import Gazetteer
from linkedalliance.extract.text import read_document
from linkedalliance.namespaces import DEFAULT_SCHEME

_FORMATS = {"trig": "trig", "turtle": "turtle", "ttl": "turtle", "nquads": "nquads"}


@click.command(name="extract")
@click.argument("article", type=click.Path(path_type=Path))
@click.option("--published", required=True, help="Publication date: YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--publisher", default=None, help="Who published the article (e.g. Politico).")
@click.option("--doc-id", default=None, help="Document id (default: the file name stem).")
@click.option(
    "--entities",
    "entities",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Turtle file(s) of known entities for the gazetteer (default: seeds/entities.ttl "
    "when it exists).",
)
@click.option("--format", "fmt", default="trig", show_default=True, help="trig, turtle or nquads.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write here instead of standard output.",
)
def command(
    article: Path,
    published: str,
    publisher: str | None,
    doc_id: str | None,
    entities: tuple[Path, ...],
    fmt: str,
    output: Path | None,
) -> None:
    """Propose candidate facts for ARTICLE (plain text), each with its quote, offsets and
    confidence, in the named graph graph/candidates/<doc-id>."""
    if fmt not in _FORMATS:
        raise UnsupportedFormat(f"unknown format {fmt!r}; use trig, turtle or nquads")
    pub = Publication.parse(published)
    text = read_document(article)
    paths = list(entities)
    if not paths and Path("seeds/entities.ttl").is_file():
        paths = [Path("seeds/entities.ttl")]
    gaz = Gazetteer.from_graph(load_graph(paths)) if paths else Gazetteer()
    ex = extract(text, pub, gaz, doc_id or article.stem, DEFAULT_SCHEME)
    ds = to_dataset(ex, DEFAULT_SCHEME, publisher)
    if _FORMATS[fmt] == "turtle":
        g = ds.graph(DEFAULT_SCHEME.graph(f"candidates/{ex.doc_id}"))
        out = g.serialize(format="turtle")
    else:
        out = serialise(ds, _FORMATS[fmt])
    if output is not None:
        output.write_text(out, encoding="utf-8")
        click.echo(
            f"{len(ex.facts)} candidate facts, {len(ex.mentions)} mentions -> {output}", err=True
        )
    else:
        click.echo(out, nl=False)
