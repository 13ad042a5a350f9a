"""Reading RDF: one format registry and two safe parsers.

Parsing goes through pyoxigraph, which reports syntax errors with line and column and
has no network access: JSON-LD remote contexts are refused, never fetched, and no other
file is read. The quads are then converted to an :class:`rdflib.Dataset`.

>>> format_from_path("facts.ttl").name
'turtle'
>>> format_from_media_type("application/ld+json; charset=utf-8").name
'jsonld'
>>> ds = parse_bytes(b'<http://e/a> <http://e/b> "c" .', "ntriples", "inline")
>>> len(ds)
1
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.term import Node

from .errors import InputFileError, RdfSyntaxError, UnsupportedFormat
from .namespaces import PREFIXES

__all__ = [
    "FORMATS",
    "RdfFormat",
    "format_by_name",
    "format_from_media_type",
    "format_from_path",
    "parse_bytes",
    "parse_file",
    "serialize",
]


@dataclass(frozen=True)
class RdfFormat:
    """An RDF serialisation the project reads and writes."""

    name: str
    media_type: str
    extensions: tuple[str, ...]
    supports_datasets: bool
    rdflib_name: str
    oxigraph: ox.RdfFormat
    other_media_types: tuple[str, ...] = ()

    @property
    def extension(self) -> str:
        """The preferred file extension, without the dot."""
        return self.extensions[0]


TURTLE = RdfFormat(
    "turtle",
    "text/turtle",
    ("ttl",),
    False,
    "turtle",
    ox.RdfFormat.TURTLE,
    ("application/x-turtle",),
)
TRIG = RdfFormat(
    "trig",
    "application/trig",
    ("trig",),
    True,
    "trig",
    ox.RdfFormat.TRIG,
    ("application/x-trig",),
)
NQUADS = RdfFormat(
    "nquads",
    "application/n-quads",
    ("nq",),
    True,
    "nquads",
    ox.RdfFormat.N_QUADS,
    ("text/x-nquads",),
)
NTRIPLES = RdfFormat(
    "ntriples",
    "application/n-triples",
    ("nt",),
    False,
    "nt",
    ox.RdfFormat.N_TRIPLES,
)
JSONLD = RdfFormat(
    "jsonld",
    "application/ld+json",
    ("jsonld", "json"),
    True,
    "json-ld",
    ox.RdfFormat.JSON_LD,
)
RDFXML = RdfFormat(
    "rdfxml",
    "application/rdf+xml",
    ("rdf", "owl", "xml"),
    False,
    "xml",
    ox.RdfFormat.RDF_XML,
)

#: Every format, in the order shown to users.
FORMATS: tuple[RdfFormat, ...] = (TURTLE, TRIG, NQUADS, NTRIPLES, JSONLD, RDFXML)

_BY_NAME = {f.name: f for f in FORMATS}
_BY_EXTENSION = {ext: f for f in FORMATS for ext in f.extensions}
_BY_MEDIA_TYPE = {mt: f for f in FORMATS for mt in (f.media_type, *f.other_media_types)}


def known_extensions() -> str:
    """``.ttl, .trig, ...`` for error messages."""
    return ", ".join(f".{ext}" for f in FORMATS for ext in f.extensions)


def format_by_name(name: str) -> RdfFormat:
    """Look a format up by its registry name (``turtle``, ``jsonld`` ...)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnsupportedFormat(
            f"unknown RDF format {name!r}; known: {', '.join(_BY_NAME)}"
        ) from None


def format_from_path(path: Path | str) -> RdfFormat:
    """The format of a file from its extension (case-insensitive).

    >>> format_from_path("x.NQ").name
    'nquads'
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    fmt = _BY_EXTENSION.get(suffix)
    if fmt is None:
        what = f"'.{suffix}'" if suffix else "no extension"
        raise InputFileError(
            path, f"unknown RDF file extension ({what}); known: {known_extensions()}"
        )
    return fmt


def format_from_media_type(media_type: str) -> RdfFormat:
    """The format for a media type; parameters (``; charset=...``) are ignored."""
    base = media_type.split(";", 1)[0].strip().lower()
    fmt = _BY_MEDIA_TYPE.get(base)
    if fmt is None:
        raise UnsupportedFormat(
            f"unsupported RDF media type {base!r}; supported: "
            + ", ".join(f.media_type for f in FORMATS)
        )
    return fmt


def parse_file(
    path: Path | str, *, fmt: RdfFormat | str | None = None, base_iri: str | None = None
) -> Dataset:
    """Parse an RDF file into a new :class:`rdflib.Dataset`.

    The format comes from ``fmt`` or the file extension. Raises :class:`InputFileError`
    for a missing, unreadable or unknown file and :class:`RdfSyntaxError` (with line and
    column) for content that does not parse.
    """
    p = Path(path)
    resolved = _resolve_format(fmt) if fmt is not None else format_from_path(p)
    if not p.exists():
        raise InputFileError(p, "file not found")
    if p.is_dir():
        raise InputFileError(p, "is a directory, not an RDF file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputFileError(p, f"cannot read file: {exc.strerror or exc}") from exc
    return parse_bytes(data, resolved, str(p), base_iri=base_iri)


def parse_bytes(
    data: bytes | str,
    fmt: RdfFormat | str,
    source_name: str,
    *,
    base_iri: str | None = None,
) -> Dataset:
    """Parse RDF content into a new :class:`rdflib.Dataset`.

    ``source_name`` names the input in error messages. Triples of graph formats land in
    the default graph. Raises :class:`RdfSyntaxError` with line and column.
    """
    resolved = _resolve_format(fmt)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, replace=True)
    bnodes: dict[str, BNode] = {}
    graphs: dict[Node, Graph] = {}
    default = ds.graph(DATASET_DEFAULT_GRAPH_ID)
    try:
        for quad in ox.parse(raw, resolved.oxigraph, base_iri=base_iri):
            s = _subject(quad.subject, bnodes, source_name)
            p = URIRef(quad.predicate.value)
            o = _object(quad.object, bnodes, source_name)
            gname = quad.graph_name
            if isinstance(gname, ox.DefaultGraph):
                target = default
            else:
                key = _subject(gname, bnodes, source_name)
                target = graphs.get(key) or graphs.setdefault(key, ds.graph(key))
            target.add((s, p, o))
    except SyntaxError as exc:
        raise _syntax_error(exc, source_name, resolved) from None
    except ValueError as exc:  # e.g. an IRI pyoxigraph rejects outside a syntax error
        raise RdfSyntaxError(source_name, str(exc)) from None
    return ds


def serialize(graph: Graph, fmt: RdfFormat | str) -> bytes:
    """Serialise a graph (a :class:`rdflib.Dataset` for dataset formats) with rdflib."""
    resolved = _resolve_format(fmt)
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=False)
    out = graph.serialize(format=resolved.rdflib_name, encoding="utf-8")
    return out


def _resolve_format(fmt: RdfFormat | str) -> RdfFormat:
    return fmt if isinstance(fmt, RdfFormat) else format_by_name(fmt)


def _subject(term: object, bnodes: dict[str, BNode], source: str) -> URIRef | BNode:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        node = bnodes.get(term.value)
        if node is None:
            node = bnodes[term.value] = BNode()
        return node
    raise RdfSyntaxError(source, "RDF-star triple terms are not supported")


def _object(term: object, bnodes: dict[str, BNode], source: str) -> Node:
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    return _subject(term, bnodes, source)


_POSITION = re.compile(r"^Parser error (?:at|between) line[^:]*: ")


def _syntax_error(exc: SyntaxError, source: str, fmt: RdfFormat) -> RdfSyntaxError:
    reason = _POSITION.sub("", exc.msg or str(exc)).strip()
    if "LoadDocumentCallback" in reason or "remote context" in reason.lower():
        reason = (
            "the JSON-LD document refers to a remote @context, which is never fetched; "
            "inline the context in the document"
        )
    line = exc.lineno if exc.lineno else None
    column = exc.offset if line is not None and exc.offset else None
    return RdfSyntaxError(source, f"invalid {fmt.name}: {reason}", line=line, column=column)
