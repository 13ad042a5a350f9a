"""OWL 2 RL inference with owlrl, kept apart from what the sources say.

The closure runs on a copy of ontology + data. Only entailments *about our data* are
kept (subjects under the deployment base), without the noise an RL closure produces
(reflexive owl:sameAs, owl:Thing / rdfs:Resource types, datatype and literal axioms).
They are published in their own named graph, so a reader always knows what a source
said and what the ontology added. An inconsistency (owl:Nothing, disjointness,
functional-property clashes) is an error, reported with owlrl's message.
"""

from __future__ import annotations

import owlrl
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from .errors import BuildError
from .namespaces import LA, ONTOLOGY_IRI, IriScheme

_NOISE_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}
_NOISE_PREDICATES = {OWL.sameAs, OWL.differentFrom}
_ERROR_NS = "http://www.daml.org/2002/03/agents/agent-ont#"


class InconsistentGraph(BuildError):
    """OWL RL found a contradiction between the data and the ontology."""


def infer(ontology: Graph, data: Graph, scheme: IriScheme) -> Graph:
    """Return the triples OWL RL entails about the data that are not already asserted."""
    work = Graph()
    for triple in ontology:
        work.add(triple)
    for triple in data:
        work.add(triple)
    closure = owlrl.OWLRL_Semantics(work, False, False, rdfs=False, destination=None)
    closure.closure()
    errors = sorted(set(closure.error_messages))
    if errors:
        raise InconsistentGraph(
            "the graph is inconsistent with the ontology (OWL RL): " + "; ".join(errors)
        )
    inferred = Graph()
    for s, p, o in work:
        if (s, p, o) in data or (s, p, o) in ontology:
            continue
        if not isinstance(s, URIRef) or not scheme.is_ours(str(s)):
            continue
        if str(s).startswith(str(LA)) or str(s).startswith(str(ONTOLOGY_IRI)):
            continue  # entailments about the vocabulary itself belong to the ontology
        if p in _NOISE_PREDICATES or str(p).startswith(_ERROR_NS):
            continue
        if p == RDF.type and (o in _NOISE_TYPES or isinstance(o, Literal)):
            continue
        if isinstance(o, URIRef) and str(o).startswith(_ERROR_NS):
            continue
        inferred.add((s, p, o))
    return inferred
