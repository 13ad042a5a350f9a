"""Writing the dataset: N-Quads, TriG, Turtle, JSON-LD with a published @context.

Every writer sorts its input, so the same dataset always gives the same bytes.
N-Quads/TriG/Turtle are serialised by pyoxigraph (fast, and an independent
implementation from the rdflib parser that reads our curation); JSON-LD is written here
because neither library compacts with a context deterministically: the context is
generated from the ontology (one short term per property, ``@type: @id`` for object
properties), embedded in the data file and also published as ``context.jsonld``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import OWL, RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .namespaces import PREFIXES

Quad = tuple[Node, Node, Node, URIRef]

# Terms for standard properties the data uses, so JSON-LD reads naturally.
_STANDARD_TERMS: dict[str, tuple[str, bool]] = {
    "label": ("http://www.w3.org/2000/01/rdf-schema#label", False),
    "comment": ("http://www.w3.org/2000/01/rdf-schema#comment", False),
    "prefLabel": ("http://www.w3.org/2004/02/skos/core#prefLabel", False),
    "altLabel": ("http://www.w3.org/2004/02/skos/core#altLabel", False),
    "hiddenLabel": ("http://www.w3.org/2004/02/skos/core#hiddenLabel", False),
    "definition": ("http://www.w3.org/2004/02/skos/core#definition", False),
    "inScheme": ("http://www.w3.org/2004/02/skos/core#inScheme", True),
    "broader": ("http://www.w3.org/2004/02/skos/core#broader", True),
    "title": ("http://purl.org/dc/terms/title", False),
    "date": ("http://purl.org/dc/terms/date", False),
    "startDate": ("https://schema.org/startDate", False),
    "endDate": ("https://schema.org/endDate", False),
    "datePublished": ("https://schema.org/datePublished", False),
    "foundingDate": ("https://schema.org/foundingDate", False),
    "founder": ("https://schema.org/founder", True),
    "publisher": ("https://schema.org/publisher", True),
    "author": ("https://schema.org/author", True),
    "value": ("https://schema.org/value", False),
    "unitCode": ("https://schema.org/unitCode", False),
    "currency": ("https://schema.org/currency", False),
    "member": ("http://www.w3.org/ns/org#member", True),
    "organization": ("http://www.w3.org/ns/org#organization", True),
    "role": ("http://www.w3.org/ns/org#role", True),
    "postIn": ("http://www.w3.org/ns/org#postIn", True),
    "holds": ("http://www.w3.org/ns/org#holds", True),
    "source": ("http://www.w3.org/ns/oa#hasSource", True),
    "selector": ("http://www.w3.org/ns/oa#hasSelector", True),
    "exact": ("http://www.w3.org/ns/oa#exact", False),
    "prefix": ("http://www.w3.org/ns/oa#prefix", False),
    "suffix": ("http://www.w3.org/ns/oa#suffix", False),
    "start": ("http://www.w3.org/ns/oa#start", False),
    "end": ("http://www.w3.org/ns/oa#end", False),
    "derivedFrom": ("http://www.w3.org/ns/prov#wasDerivedFrom", True),
}


def sorted_quads(quads: Iterable[Quad]) -> list[Quad]:
    """Quads in N-Quads order: graph, subject, predicate, object (by their N3 form)."""
    return sorted(quads, key=lambda q: (q[3].n3(), q[0].n3(), q[1].n3(), q[2].n3()))


def to_oxigraph_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"unsupported term {term!r}")


def from_oxigraph_term(term: object) -> Node:
    """The rdflib term of a pyoxigraph term (the inverse of :func:`to_oxigraph_term`);
    :class:`ValueError` for RDF 1.2 triple terms, which rdflib cannot hold."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise ValueError(f"unsupported term {term!r} (RDF-star triple terms are not supported)")


def to_oxigraph_quads(quads: Iterable[Quad]) -> list[ox.Quad]:
    out = []
    for s, p, o, g in quads:
        subject = to_oxigraph_term(s)
        assert not isinstance(subject, ox.Literal)
        out.append(
            ox.Quad(subject, ox.NamedNode(str(p)), to_oxigraph_term(o), ox.NamedNode(str(g)))
        )
    return out


def serialize_quads(quads: Iterable[Quad], fmt: ox.RdfFormat) -> bytes:
    """N-Quads or TriG (named graphs kept) of the quads, in sorted order."""
    data = ox.serialize(to_oxigraph_quads(sorted_quads(quads)), format=fmt, prefixes=PREFIXES)
    assert data is not None
    return data


def serialize_triples(triples: Iterable[tuple[Node, Node, Node]], fmt: ox.RdfFormat) -> bytes:
    """Turtle (or N-Triples) of the triples, sorted and deduplicated."""
    unique = {(s, p, o) for s, p, o in triples}
    ordered = sorted(unique, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))
    ox_triples = []
    for s, p, o in ordered:
        subject = to_oxigraph_term(s)
        assert not isinstance(subject, ox.Literal)
        ox_triples.append(ox.Triple(subject, ox.NamedNode(str(p)), to_oxigraph_term(o)))
    data = ox.serialize(ox_triples, format=fmt, prefixes=PREFIXES)
    assert data is not None
    return data


# --------------------------------------------------------------------------- JSON-LD


def build_context(ontology: Graph) -> dict[str, Any]:
    """The published ``@context``: prefixes, then one short term per property.

    Ontology properties get their local name (``supplier``, ``membershipStatus``);
    object properties are ``@type: @id`` so their values are plain (compact) IRIs.
    """
    ctx: dict[str, Any] = {"@version": 1.1}
    ctx.update(dict(sorted(PREFIXES.items())))
    terms: dict[str, Any] = {}
    for name, (iri, is_ref) in _STANDARD_TERMS.items():
        terms[name] = {"@id": compact_iri(iri), "@type": "@id"} if is_ref else compact_iri(iri)
    la = PREFIXES["la"]
    object_props = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    data_props = set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    for prop in sorted(object_props | data_props, key=str):
        iri = str(prop)
        if not iri.startswith(la):
            continue
        local = iri[len(la) :]
        if local in terms or local in ctx:
            local = "la_" + local
        if prop in object_props:
            terms[local] = {"@id": compact_iri(iri), "@type": "@id"}
        else:
            terms[local] = compact_iri(iri)
    ctx.update(dict(sorted(terms.items())))
    return ctx


def compact_iri(iri: str) -> str:
    """Shortest ``prefix:local`` form of ``iri`` (or the IRI itself).

    >>> compact_iri("https://w3id.org/linkedalliance/id/belarus")
    'id:belarus'
    """
    best = iri
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            candidate = f"{prefix}:{iri[len(ns) :]}"
            if candidate.startswith(f"{prefix}://"):
                continue
            if len(candidate) < len(best):
                best = candidate
    return best


class _TermTable:
    def __init__(self, context: Mapping[str, Any]) -> None:
        self.by_iri: dict[str, tuple[str, bool]] = {}
        for term, definition in context.items():
            if term.startswith("@") or term in PREFIXES:
                continue
            if isinstance(definition, dict):
                self.by_iri[_expand(definition["@id"])] = (term, definition.get("@type") == "@id")
            elif isinstance(definition, str):
                self.by_iri[_expand(definition)] = (term, False)


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES else curie


def _ref(term: Node) -> str:
    """A node reference in JSON-LD: a compact IRI, or ``_:label`` for a blank node."""
    return f"_:{term}" if isinstance(term, BNode) else compact_iri(str(term))


def _literal_json(lit: Literal) -> Any:
    if lit.language:
        return {"@value": str(lit), "@language": lit.language}
    if lit.datatype is None or lit.datatype == XSD.string:
        return str(lit)
    if lit.datatype == XSD.boolean and str(lit) in ("true", "false"):
        return str(lit) == "true"
    if lit.datatype == XSD.integer and str(lit).lstrip("-").isdigit():
        return int(str(lit))
    return {"@value": str(lit), "@type": compact_iri(str(lit.datatype))}


def _node_objects(triples: Iterable[tuple[Node, Node, Node]], table: _TermTable) -> list[Any]:
    by_subject: dict[Node, list[tuple[Node, Node]]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s, []).append((p, o))
    nodes = []
    for subject in sorted(by_subject, key=lambda t: t.n3()):
        node: dict[str, Any] = {"@id": _ref(subject)}
        types = sorted(compact_iri(str(o)) for p, o in by_subject[subject] if p == RDF.type)
        if types:
            node["@type"] = types if len(types) > 1 else types[0]
        values: dict[str, list[Any]] = {}
        for p, o in by_subject[subject]:
            if p == RDF.type:
                continue
            term, is_ref = table.by_iri.get(str(p), (compact_iri(str(p)), False))
            if isinstance(o, Literal):
                if is_ref:  # a literal where the context expects an IRI: keep it explicit
                    term = compact_iri(str(p))
                value = _literal_json(o)
            elif is_ref:
                value = _ref(o)
            else:
                value = {"@id": _ref(o)}
            values.setdefault(term, []).append(value)
        for term in sorted(values):
            vals = sorted(values[term], key=lambda v: json.dumps(v, sort_keys=True))
            node[term] = vals if len(vals) > 1 else vals[0]
        nodes.append(node)
    return nodes


def serialize_jsonld(
    graphs: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]], context: Mapping[str, Any]
) -> bytes:
    """A JSON-LD 1.1 document with one named graph object per graph, context embedded."""
    table = _TermTable(context)
    graph_objects = [
        {"@id": compact_iri(str(name)), "@graph": _node_objects(graphs[name], table)}
        for name in sorted(graphs, key=str)
    ]
    doc = {"@context": dict(context), "@graph": graph_objects}
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode()


def serialize_jsonld_triples(
    triples: Iterable[tuple[Node, Node, Node]], context: Mapping[str, Any]
) -> bytes:
    """One graph as compact JSON-LD with ``context`` embedded (entity look-ups)."""
    nodes = _node_objects(triples, _TermTable(context))
    doc = {"@context": dict(context), "@graph": nodes}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode()


def serialize_jsonld_statements(
    statements: Iterable[ox.Triple | ox.Quad], context: Mapping[str, Any]
) -> bytes:
    """:func:`serialize_jsonld_triples` for pyoxigraph triples (or default-graph quads)."""
    term = from_oxigraph_term
    return serialize_jsonld_triples(
        [(term(t.subject), term(t.predicate), term(t.object)) for t in statements], context
    )


def read_context(output_dir: Path) -> dict[str, Any] | None:
    """The ``@context`` a build published in ``output_dir/context.jsonld``; ``None`` when
    there is none (or it is not a JSON-LD context document)."""
    try:
        found = json.loads((output_dir / "context.jsonld").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    context = found.get("@context") if isinstance(found, dict) else None
    return context if isinstance(context, dict) else None


def context_document(context: Mapping[str, Any]) -> bytes:
    return (json.dumps({"@context": dict(context)}, ensure_ascii=False, indent=1) + "\n").encode()
