"""Reading a contribution: parse safely, bound its size, hash it canonically, name its blank nodes.

Parsing goes through pyoxigraph (as :mod:`linkedalliance.rdfio` does): nothing is fetched, no
file is read, a JSON-LD remote ``@context`` is refused. The content hash is the SHA-256 of the
sorted canonical N-Quads (RDFC-1.0 blank-node labels), so the same facts sent twice, in
another syntax, order or with other blank-node labels, have the same hash. Blank nodes become
skolem IRIs derived from that hash and their canonical label, so they are stable too.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode
from rdflib.term import Node

from ..errors import LinkedAllianceError, RdfSyntaxError
from ..export import from_oxigraph_term, to_oxigraph_term
from ..namespaces import IriScheme
from ..rdfio import RdfFormat, _syntax_error
from ..store import is_update

#: Limits that keep a hostile contribution from exhausting the validator.
MAX_TRIPLES = 200_000
MAX_BLANK_NODES = 5_000  # canonical labelling is exponential in the worst case
MAX_LITERAL_CHARS = 100_000

#: Formats a contribution may use.
CONTRIBUTION_FORMATS = ("turtle", "trig", "jsonld", "ntriples", "nquads")

Triple = tuple[Node, Node, Node]


class ContributionTooLarge(LinkedAllianceError):
    """A contribution over one of the size limits."""

    status = 413


class ContributionRefused(LinkedAllianceError):
    """A contribution that parses but that the validator will not process."""

    status = 422


#: Blank nodes that cannot be told apart by their own triples make canonical labelling
#: (RDFC-1.0) explode; more than this many are refused.
MAX_LOOKALIKE_BLANK_NODES = 64


def _lookalike_blank_nodes(dataset: ox.Dataset) -> int:
    """How many blank nodes share their first-degree hash (RDFC-1.0, 4.6) with another."""
    around: dict[str, list[str]] = {}
    for q in dataset:
        terms = (q.subject, q.predicate, q.object)
        for t in terms:
            if isinstance(t, ox.BlankNode):
                line = " ".join(
                    ("_:a" if x == t else "_:z") if isinstance(x, ox.BlankNode) else str(x)
                    for x in terms
                )
                around.setdefault(t.value, []).append(line)
    groups: dict[str, int] = {}
    for lines in around.values():
        key = "\n".join(sorted(lines))
        groups[key] = groups.get(key, 0) + 1
    return sum(n for n in groups.values() if n > 1)


@dataclass(frozen=True)
class ParsedContribution:
    """The triples of a contribution (graphs flattened), its canonical hash and notes."""

    triples: frozenset[Triple]
    sha256: str
    source: str
    notes: tuple[str, ...]


def to_rdflib(term: object) -> Node:
    try:
        return from_oxigraph_term(term)
    except ValueError:
        raise RdfSyntaxError("contribution", "RDF-star triple terms are not supported") from None


#: rdflib term -> pyoxigraph term (one conversion for the whole library).
to_ox = to_oxigraph_term


_LOOKS_LIKE_SPARQL = re.compile(r"\b(INSERT|DELETE|DROP|CLEAR|LOAD|WITH)\b", re.IGNORECASE)


def parse_contribution(  # noqa: C901
    data: bytes, fmt: RdfFormat, source: str, *, scheme: IriScheme
) -> ParsedContribution:
    """Parse ``data``; raise :class:`RdfSyntaxError` (line, column) or
    :class:`ContributionTooLarge`."""
    if fmt.name not in CONTRIBUTION_FORMATS:
        raise RdfSyntaxError(
            source,
            f"contributions are Turtle, TriG or JSON-LD (or N-Triples/N-Quads), not {fmt.name}",
        )
    text_head = data[:4096].decode("utf-8", errors="replace")
    dataset = ox.Dataset()
    notes: list[str] = []
    named = False
    try:
        for count, quad in enumerate(ox.parse(data, fmt.oxigraph), start=1):
            if count > MAX_TRIPLES:
                raise ContributionTooLarge(
                    f"{source}: more than {MAX_TRIPLES} triples; split the contribution"
                )
            if isinstance(quad.object, ox.Literal) and len(quad.object.value) > MAX_LITERAL_CHARS:
                raise ContributionTooLarge(
                    f"{source}: a literal of {len(quad.object.value)} characters (limit "
                    f"{MAX_LITERAL_CHARS}) on <{quad.predicate.value}>; shorten it"
                )
            if isinstance(quad.subject, ox.Triple) or isinstance(quad.object, ox.Triple):
                raise RdfSyntaxError(source, "RDF-star triple terms are not supported")
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                named = True
            dataset.add(ox.Quad(quad.subject, quad.predicate, quad.object))
    except SyntaxError as exc:
        error = _syntax_error(exc, source, fmt)
        if is_update(text_head) or _LOOKS_LIKE_SPARQL.match(text_head.lstrip()):
            raise RdfSyntaxError(
                source,
                f"this looks like a SPARQL Update, which contributions cannot be: send the "
                f"facts to add as {fmt.name} data (contributions only add, never delete) "
                f"({error.reason})",
                line=error.line,
                column=error.column,
            ) from None
        raise error from None
    except ValueError as exc:
        raise RdfSyntaxError(source, f"invalid {fmt.name}: {exc}") from None
    if named:
        notes.append(
            "named graphs in the contribution were merged: a contribution goes into its own "
            "graph (graph/contribution/N)"
        )
    # the store keeps literals in canonical form ("05"^^xsd:int is "5"^^xsd:integer): compare
    # and hash the contribution in the same form
    normaliser = ox.Store()
    normaliser.extend(dataset)
    dataset = ox.Dataset(normaliser)
    blank = {t.value for q in dataset for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}
    if len(blank) > MAX_BLANK_NODES:
        raise ContributionTooLarge(
            f"{source}: {len(blank)} blank nodes (limit {MAX_BLANK_NODES}); give the nodes IRIs"
        )
    lookalike = _lookalike_blank_nodes(dataset) if blank else 0
    if lookalike > MAX_LOOKALIKE_BLANK_NODES:
        raise ContributionRefused(
            f"{source}: {lookalike} blank nodes that cannot be told apart (deeply nested or "
            f"repeated identical [ ] structures; limit {MAX_LOOKALIKE_BLANK_NODES}): give "
            "these nodes IRIs"
        )
    if blank:
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    lines = sorted(f"{q.subject} {q.predicate} {q.object} ." for q in dataset)
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    salt = f"contribution-{digest[:16]}"
    triples: set[Triple] = set()
    for q in dataset:
        s, p, o = to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)
        if isinstance(s, BNode):
            s = scheme.skolem(f"{salt}-{s}")
        if isinstance(o, BNode):
            o = scheme.skolem(f"{salt}-{o}")
        triples.add((s, p, o))
    if not triples:
        raise RdfSyntaxError(source, f"no triples: the {fmt.name} document is empty")
    return ParsedContribution(frozenset(triples), digest, source, tuple(notes))


def normalise(triples: set[Triple]) -> set[Triple]:
    """The triples as the store keeps them (canonical literals: derived integer types become
    xsd:integer, ``"1"^^xsd:boolean`` becomes ``"true"``...)."""
    store = ox.Store()
    graph = ox.NamedNode("urn:x-linkedalliance:normalise")
    store.extend(
        ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph)  # type: ignore[arg-type]
        for s, p, o in triples
    )
    return {(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)) for q in store}
