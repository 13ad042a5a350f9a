"""The extractor's output conforms to the project's shapes, as curated facts do.

Each seed text and a small made-up article are extracted and the candidate graph is
validated on its own (shapes + ontology, as ``linkedalliance validate --standalone``
does); the same check must fail when the output is broken.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import PROV, RDF

from linkedalliance.extract.candidates import (
    EXTRACTOR_VERSION,
    extract,
    load_graph,
    serialise,
    to_dataset,
)
from linkedalliance.extract.dates import Publication
from linkedalliance.extract.gazetteer import Gazetteer
from linkedalliance.extract.text import read_document
from linkedalliance.namespaces import DEFAULT_SCHEME, LA, OA, SCHEMA, is_slug
from linkedalliance.validation import ValidationReport, load_shapes, validate_graph

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXTS = sorted((ROOT / "seeds").glob("[0-9][0-9][0-9]_*.txt"))

MADE_UP = """Kazakhstan and Belarus sign defence pact

Minsk, March 3. Belarus and Kazakhstan signed an agreement on military-technical \
cooperation on Monday, the Belarusian defence ministry said.

Belarusian President Alexander Lukashenko met Kazakh President Kassym-Jomart Tokayev in \
Minsk. "Our countries will defend each other," Lukashenko said.

Russia delivered Iskander missile systems to Belarus in 2023, according to the Zorvan \
Institute for Strategic Studies. Armenia's ambassador was summoned by Minsk on Friday.

Kazakhstan announced on Tuesday that it would withdraw from the Collective Security \
Treaty Organization (CSTO).
"""


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_graph(load_graph([ROOT / "seeds" / "entities.ttl"]))


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(ROOT / "shapes")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "linkedalliance.ttl", format="turtle")


def _candidates(
    text: str, doc_id: str, published: str, publisher: str | None, gaz: Gazetteer
) -> Graph:
    ex = extract(text, Publication.parse(published), gaz, doc_id, DEFAULT_SCHEME)
    ds = to_dataset(ex, DEFAULT_SCHEME, publisher)
    # through the serialisation, as a reviewer receives it; graphs merged, as validate does
    parsed = Dataset()
    parsed.parse(data=serialise(ds, "trig"), format="trig")
    g = Graph()
    for s, p, o, _ in parsed.quads((None, None, None, None)):
        g.add((s, p, o))
    assert len(g) > 0
    return g


def _validate(g: Graph, shapes: Graph, ontology: Graph) -> ValidationReport:
    return validate_graph(g, shapes=shapes, ontology=ontology)


def _assert_conforms(report: ValidationReport) -> None:
    assert report.conforms, report.text()
    assert not [r for r in report.results if r.severity == "Violation"]


@pytest.mark.parametrize("path", SEED_TEXTS, ids=lambda p: p.stem)
@pytest.mark.parametrize("published,publisher", [("2024-06-14", "Politico"), ("2017-04", None)])
def test_seed_text_output_conforms(
    path: Path,
    published: str,
    publisher: str | None,
    gazetteer: Gazetteer,
    shapes: Graph,
    ontology: Graph,
) -> None:
    g = _candidates(read_document(path), path.stem, published, publisher, gazetteer)
    assert (None, RDF.type, LA.Candidate) in g
    _assert_conforms(_validate(g, shapes, ontology))


def test_made_up_article_conforms(gazetteer: Gazetteer, shapes: Graph, ontology: Graph) -> None:
    g = _candidates(MADE_UP, "steppe-herald-2025-03-04", "2025-03", "Steppe Herald", gazetteer)
    facts = set(g.subjects(RDF.type, LA.Candidate))
    assert len(facts) >= 3
    _assert_conforms(_validate(g, shapes, ontology))
    doc = DEFAULT_SCHEME.document("steppe-herald-2025-03-04")
    assert (doc, RDF.type, LA.SourceDocument) in g
    publisher = g.value(doc, SCHEMA.publisher)
    assert publisher is not None and (publisher, RDF.type, LA.MediaOrganization) in g
    assert str(g.value(doc, SCHEMA.datePublished)) == "2025-03"
    # every IRI minted under id/ is a one-segment slug
    for term in {t for triple in g for t in triple if isinstance(t, URIRef)}:
        slug = DEFAULT_SCHEME.entity_slug(str(term))
        if slug is not None:
            assert is_slug(slug), term
    # candidates carry confidence and the extraction activity naming the version
    for fact in facts:
        assert g.value(fact, LA.confidence) is not None
        activity = g.value(fact, PROV.wasGeneratedBy)
        agent = g.value(activity, PROV.wasAssociatedWith)
        assert str(g.value(agent, SCHEMA.softwareVersion)) == EXTRACTOR_VERSION
        assert (agent, RDF.type, PROV.SoftwareAgent) in g


def test_validation_detects_broken_output(
    gazetteer: Gazetteer, shapes: Graph, ontology: Graph
) -> None:
    """The check above can fail: break the evidence and the types, and it does."""
    g = _candidates(MADE_UP, "steppe-herald-2025-03-04", "2025-03", "Steppe Herald", gazetteer)
    broken = Graph()
    for t in g:
        broken.add(t)
    for ev in list(broken.subjects(RDF.type, LA.Evidence))[:1]:
        broken.remove((ev, OA.hasSelector, None))
    for doc in list(broken.subjects(RDF.type, LA.SourceDocument)):
        broken.remove((doc, RDF.type, LA.SourceDocument))
    report = _validate(broken, shapes, ontology)
    assert not report.conforms
    messages = " ".join(r.message for r in report.results)
    assert "oa:TextQuoteSelector" in messages
    assert "la:SourceDocument" in messages
