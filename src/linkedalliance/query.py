"""Running a SPARQL query through a :class:`~linkedalliance.store.Store` and rendering results.

SELECT/ASK results render as SPARQL JSON, XML, CSV, TSV (the four W3C result formats) or as
a terminal table; CONSTRUCT/DESCRIBE results as Turtle, JSON-LD or N-Triples. The serialisers
are written here rather than taken from pyoxigraph because results cut at the row limit must
say so: JSON carries ``"truncated": true`` (between ``head`` and ``results``, where strict
streaming parsers such as pyoxigraph's still accept it) and every caller gets
:attr:`Rendered.truncated` for an HTTP header.

>>> fmt = results_format("json")
>>> fmt.media_type, results_format("text/csv").name, graph_format("ttl").name
('application/sparql-results+json', 'csv', 'turtle')
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from . import export, rdfio
from .errors import InputFileError, UnsupportedFormat
from .namespaces import PREFIXES
from .rdfio import RdfFormat
from .store import QueryDataset, QueryResult, Store, Term

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class ResultFormat:
    """A serialisation of SELECT/ASK results (the SPARQL 1.1 result formats)."""

    name: str
    media_type: str
    extension: str
    aliases: tuple[str, ...] = ()

    def matches(self, key: str) -> bool:
        key = key.strip().lower()
        return key in (self.name, self.media_type, self.extension, *self.aliases)


RESULT_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("json", "application/sparql-results+json", "srj", ("application/json",)),
    ResultFormat("xml", "application/sparql-results+xml", "srx", ("application/xml",)),
    ResultFormat("csv", "text/csv", "csv"),
    ResultFormat("tsv", "text/tab-separated-values", "tsv"),
)
#: CONSTRUCT/DESCRIBE formats come from the shared RDF format registry.
GRAPH_FORMATS: tuple[RdfFormat, ...] = (rdfio.TURTLE, rdfio.JSONLD, rdfio.NTRIPLES)


def results_format(key: str) -> ResultFormat:
    """A SELECT/ASK format by name, extension or media type."""
    for fmt in RESULT_FORMATS:
        if fmt.matches(key):
            return fmt
    names = ", ".join(f.name for f in RESULT_FORMATS)
    raise UnsupportedFormat(f"unknown result format {key!r}; use one of: {names}")


def graph_format(key: str) -> RdfFormat:
    """A CONSTRUCT/DESCRIBE format by name, extension or media type."""
    key = key.strip().lower()
    for fmt in GRAPH_FORMATS:
        if key in (fmt.name, fmt.media_type, *fmt.extensions, *fmt.other_media_types):
            return fmt
    if key in ("json-ld", "text/plain"):
        return rdfio.JSONLD if key == "json-ld" else rdfio.NTRIPLES
    names = ", ".join(f.name for f in GRAPH_FORMATS)
    raise UnsupportedFormat(f"unknown graph format {key!r}; use one of: {names}")


@dataclass(frozen=True)
class Rendered:
    """Serialised query results, ready to send."""

    kind: Literal["select", "ask", "graph"]
    media_type: str
    body: bytes
    truncated: bool
    count: int


def run_query(
    store: Store,
    sparql: str,
    *,
    dataset: QueryDataset | None = None,
    max_rows: int | None = None,
) -> QueryResult:
    """Run a read-only query in this process; the default graph is the union of all graphs."""
    return store.query(sparql, dataset=dataset, max_rows=max_rows)


def read_query_file(path: str | Path) -> str:
    source = Path(path)
    try:
        return source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(source, f"cannot read the query: {exc}") from exc


# --------------------------------------------------------------------------- terms


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            dt = quoteattr(term.datatype.value)
            return f"<literal datatype={dt}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject>"
        f"<predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


def _csv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _tsv_term(term: Term | None) -> str:
    return "" if term is None else str(term)


def compact(term: Term | None) -> str:
    """Short human form: ``la:State``, ``"label"@en``, plain numbers.

    >>> compact(ox.NamedNode("https://w3id.org/linkedalliance/id/belarus"))
    'id:belarus'
    >>> compact(ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    '1'
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            local = term.value[len(ns) :]
            if term.value.startswith(ns) and local and all(c not in local for c in "/#?"):
                return f"{prefix}:{local}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"{term.value!r}@{term.language}"
        if term.datatype.value == XSD_STRING or term.datatype.value.endswith(
            ("#integer", "#decimal", "#double", "#boolean")
        ):
            return term.value
        return f"{term.value} ({compact(term.datatype)})"
    return str(term)


# --------------------------------------------------------------------------- renderers


def render_json(result: QueryResult) -> bytes:
    doc: dict[str, object] = {
        "head": {"vars": list(result.variables)} if result.kind != "ask" else {}
    }
    if result.truncated:
        doc["truncated"] = True
    if result.kind == "ask":
        doc["boolean"] = bool(result.boolean)
    else:
        bindings = []
        for row in result.rows:
            bindings.append(
                {
                    v: _json_term(t)
                    for v, t in zip(result.variables, row, strict=True)
                    if t is not None
                }
            )
        doc["results"] = {"bindings": bindings}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def render_xml(result: QueryResult) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    out.append("<head>")
    out.extend(f"<variable name={quoteattr(v)}/>" for v in result.variables)
    out.append("</head>")
    if result.kind == "ask":
        out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in result.rows:
            out.append("<result>")
            for v, t in zip(result.variables, row, strict=True):
                if t is not None:
                    out.append(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>\n")
    return "\n".join(out).encode("utf-8")


def render_csv(result: QueryResult) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["_askResult"])
        writer.writerow(["true" if result.boolean else "false"])
    else:
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([_csv_term(t) for t in row])
    return buffer.getvalue().encode("utf-8")


def render_tsv(result: QueryResult) -> bytes:
    if result.kind == "ask":
        return b"?_askResult\n" + (b"true\n" if result.boolean else b"false\n")
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines.extend("\t".join(_tsv_term(t) for t in row) for row in result.rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_graph(
    result: QueryResult, fmt: RdfFormat, context: Mapping[str, Any] | None = None
) -> bytes:
    """Turtle, N-Triples or JSON-LD: compacted with ``context`` (the build's published
    ``@context``) when there is one, else pyoxigraph's expanded form."""
    if fmt is rdfio.JSONLD and context is not None:
        with contextlib.suppress(ValueError):  # triple terms: the expanded form below
            return export.serialize_jsonld_statements(result.triples, context)
    data = ox.serialize(list(result.triples), format=fmt.oxigraph, prefixes=PREFIXES)
    return data or b""


def render_table(result: QueryResult) -> str:
    """A plain-text table for terminals (CONSTRUCT results as subject/predicate/object)."""
    if result.kind == "ask":
        return "true" if result.boolean else "false"
    if result.kind == "graph":
        header: tuple[str, ...] = ("subject", "predicate", "object")
        cells = [
            [compact(t.subject), compact(t.predicate), compact(t.object)] for t in result.triples
        ]
    else:
        header = result.variables
        cells = [[compact(t) for t in row] for row in result.rows]
    widths = [len(h) for h in header]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: list[str] | tuple[str, ...]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    noun = "triple" if result.kind == "graph" else "row"
    count = len(cells)
    footer = f"{count} {noun}{'' if count == 1 else 's'}"
    if result.truncated:
        footer += " (truncated at the row limit)"
    out.append(footer)
    return "\n".join(out)


_RENDERERS = {"json": render_json, "xml": render_xml, "csv": render_csv, "tsv": render_tsv}


def render(
    result: QueryResult,
    fmt: ResultFormat | RdfFormat,
    jsonld_context: Mapping[str, Any] | None = None,
) -> Rendered:
    """Serialise ``result`` in ``fmt``; a graph format for SELECT (or vice versa) is a 406.
    JSON-LD graphs are compacted with ``jsonld_context`` when given."""
    if result.kind == "graph":
        if not isinstance(fmt, RdfFormat):
            raise UnsupportedFormat(
                f"a CONSTRUCT/DESCRIBE result cannot be written as {fmt.name}; "
                f"use one of: {', '.join(f.name for f in GRAPH_FORMATS)}"
            )
        body = render_graph(result, fmt, jsonld_context)
    else:
        if isinstance(fmt, RdfFormat):
            raise UnsupportedFormat(
                f"a SELECT/ASK result cannot be written as {fmt.name}; "
                f"use one of: {', '.join(f.name for f in RESULT_FORMATS)}"
            )
        body = _RENDERERS[fmt.name](result)
    return Rendered(result.kind, fmt.media_type, body, result.truncated, len(result))


def render_for(
    result: QueryResult,
    *,
    results: ResultFormat | None,
    graph: RdfFormat | None,
    jsonld_context: Mapping[str, Any] | None = None,
) -> Rendered:
    """Render with whichever of the two negotiated formats fits the result's kind."""
    fmt: ResultFormat | RdfFormat | None = graph if result.kind == "graph" else results
    if fmt is None:
        wanted = "an RDF graph" if result.kind == "graph" else "query solutions"
        offers = [
            f.media_type for f in (GRAPH_FORMATS if result.kind == "graph" else RESULT_FORMATS)
        ]
        raise UnsupportedFormat(
            f"the query returns {wanted}, and none of its media types is acceptable: "
            + ", ".join(offers)
        )
    return render(result, fmt, jsonld_context)
