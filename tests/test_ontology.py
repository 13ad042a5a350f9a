"""The ontology: metadata, labels and definitions, alignment to standard vocabularies,
and an OWL RL closure without inconsistency."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from linkedalliance.build import load_ontology
from linkedalliance.namespaces import DEFAULT_SCHEME, LA, ONTOLOGY_IRI
from linkedalliance.reasoning import InconsistentGraph, infer


@pytest.fixture(scope="module")
def ontology(repo_root: Path) -> Graph:
    return load_ontology(repo_root)


def _terms(g: Graph, kinds: tuple[URIRef, ...]) -> list[URIRef]:
    return sorted(
        {
            s
            for k in kinds
            for s in g.subjects(RDF.type, k)
            if isinstance(s, URIRef) and s.startswith(str(LA))
        }
    )


def test_ontology_metadata(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionIRI, OWL.versionInfo, DCTERMS.license, DCTERMS.creator, DCTERMS.title):
        assert ontology.value(ONTOLOGY_IRI, prop) is not None, prop


def test_every_term_has_label_and_definition(ontology: Graph) -> None:
    terms = _terms(ontology, (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept))
    assert len(terms) > 100
    missing = [
        t
        for t in terms
        if not (ontology.value(t, RDFS.label) or ontology.value(t, SKOS.prefLabel))
        or not ontology.value(t, SKOS.definition)
    ]
    assert missing == []


def _aligned(g: Graph, term: URIRef, link: URIRef, seen: set[URIRef]) -> bool:
    for parent in g.objects(term, link):
        if not isinstance(parent, URIRef) or parent in seen:
            continue
        if not parent.startswith(str(LA)):
            return True
        if _aligned(g, parent, link, seen | {parent}):
            return True
    return False


def test_classes_align_to_standard_vocabularies(ontology: Graph) -> None:
    classes = _terms(ontology, (OWL.Class,))
    unaligned = [c for c in classes if not _aligned(ontology, c, RDFS.subClassOf, {c})]
    assert unaligned == []


def test_properties_align_or_have_a_domain(ontology: Graph) -> None:
    props = _terms(ontology, (OWL.ObjectProperty, OWL.DatatypeProperty))
    floating = [
        p
        for p in props
        if not _aligned(ontology, p, RDFS.subPropertyOf, {p})
        and ontology.value(p, RDFS.domain) is None
        and ontology.value(p, SKOS.closeMatch) is None
        and ontology.value(p, OWL.propertyChainAxiom) is None
        and ontology.value(p, OWL.inverseOf) is None
    ]
    # A property with neither a standard parent, a match, nor a domain is hard to interpret.
    assert floating == []


def test_owl_rl_closure_of_the_seed_graph_is_consistent(seed_store, ontology: Graph) -> None:  # type: ignore[no-untyped-def]
    data = Graph()
    for quad in seed_store.quads_for_pattern(None, None, None, None):
        if quad.graph_name.value.endswith(("/graph/ontology", "/graph/inferred")):
            continue
        s = URIRef(quad.subject.value)
        o = quad.object
        obj = (
            URIRef(o.value)
            if o.__class__.__name__ == "NamedNode"
            else Literal(
                o.value,
                lang=getattr(o, "language", None) or None,
                datatype=None if getattr(o, "language", None) else URIRef(o.datatype.value),
            )
        )
        data.add((s, URIRef(quad.predicate.value), obj))
    inferred = infer(ontology, data, DEFAULT_SCHEME)
    assert len(inferred) > 0


def test_inconsistency_is_reported(ontology: Graph) -> None:
    data = Graph()
    x = DEFAULT_SCHEME.entity("somebody")
    data.add((x, RDF.type, LA.Person))
    data.add((x, RDF.type, LA.State))  # la:State owl:disjointWith la:Person
    with pytest.raises(InconsistentGraph):
        infer(ontology, data, DEFAULT_SCHEME)
