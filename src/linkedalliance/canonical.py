"""Deterministic graphs: blank nodes become stable skolem IRIs.

Curators may write blank nodes (a range, an amount); rdflib labels them at random, which
would make two builds differ. :func:`skolemise` relabels them canonically (rdflib's
RGDA1-style canonical labelling, a hash of each blank node's surroundings) and then turns
them into ``<base>.well-known/genid/<hash>`` IRIs (RDF 1.1 skolem IRIs), so the same input
always yields the same triples.
"""

from __future__ import annotations

from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from .namespaces import IriScheme


def skolemise(graph: Graph, scheme: IriScheme, *, salt: str = "") -> Graph:
    """Return a copy of ``graph`` without blank nodes, with stable IRIs in their place.

    ``salt`` keeps equal-looking blank nodes of different sources apart (e.g. the
    document id), since canonical labels depend only on graph structure.
    """
    if not any(isinstance(t, BNode) for triple in graph for t in triple):
        return graph
    canonical = to_canonical_graph(graph)
    out = Graph()
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns, override=True)

    def fix(term: Node) -> Node:
        if isinstance(term, BNode):
            label = f"{salt}-{term}" if salt else str(term)
            return scheme.skolem(label)
        return term

    for s, p, o in canonical:
        out.add((fix(s), p, fix(o)))
    return out


def canonicalise(graph: Graph) -> Graph:
    """Keep blank nodes, but with canonical (structure-derived) labels.

    Used for the ontology, whose axioms (property chains, inverse-of expressions) are
    blank nodes by OWL convention.
    """
    if not any(isinstance(t, BNode) for triple in graph for t in triple):
        return graph
    out = Graph()
    for triple in to_canonical_graph(graph):
        out.add(triple)
    return out
