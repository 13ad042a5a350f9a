"""The extraction pipeline and its RDF output: candidate facts in their own named graph.

Every fact is typed with its ontology class and ``la:Candidate``, carries
``la:confidence`` and ``prov:wasGeneratedBy`` an extraction activity naming the extractor
version, and ``la:evidence`` a span node shaped as the build shapes curated evidence
(``la:Evidence``, ``oa:SpecificResource``, ``oa:TextQuoteSelector`` and
``oa:TextPositionSelector``). IRIs are derived from content (type, roles, span), never
random, and output is serialised sorted, so it is byte-identical across runs.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from linkedalliance.extract.dates import DateMention, Publication, find_dates
from linkedalliance.extract.gazetteer import Entity, Gazetteer
from linkedalliance.extract.mentions import Mention, find_mentions
from linkedalliance.extract.relations import Fact, find_relations
from linkedalliance.namespaces import (
    DEFAULT_SCHEME,
    LA,
    NIF,
    OA,
    PREFIXES,
    SCHEMA,
    IriScheme,
    slugify,
)

EXTRACTOR_VERSION = "0.1.0"
CONTEXT_CHARS = 32

_CLASS_OF_KIND = {
    "state": "State", "organisation": "Organization", "person": "Person", "place": "Place",
    "weapon": "WeaponSystem", "event": "Event",
}
_NS = {"la": str(LA), "org": str(ORG), "dcterms": str(DCTERMS), "schema": str(SCHEMA)}


@dataclass
class Extraction:
    doc_id: str
    text: str
    publication: Publication
    mentions: list[Mention]
    dates: list[DateMention]
    facts: list[Fact]
    gazetteer: Gazetteer


def load_graph(paths: list[Path]) -> Graph:
    from linkedalliance.errors import RdfSyntaxError

    g = Graph()
    for p in paths:
        try:
            g.parse(p, format="turtle")
        except Exception as exc:  # rdflib raises many kinds
            reason = str(exc).splitlines()[0] if str(exc) else "bad Turtle"
            raise RdfSyntaxError(str(p), reason) from None
    return g


_BOILERPLATE = re.compile(
    r"(?im)^(?:similar articles|recent trends|read also|related|copyright|unauthorized|"
    r"if you (?:have|would)|the monitor is a publication).*$"
)


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """Tails and notices not to read facts from: from a 'Similar articles' line to the end,
    and single notice lines (copyright, subscription)."""
    spans: list[tuple[int, int]] = []
    for m in _BOILERPLATE.finditer(text):
        if m.group(0).lower().startswith(("similar articles", "recent trends")):
            spans.append((m.start(), len(text)))
        else:
            spans.append((m.start(), m.end()))
    return spans


def extract(
    text: str,
    publication: Publication,
    gazetteer: Gazetteer,
    doc_id: str,
    scheme: IriScheme = DEFAULT_SCHEME,
) -> Extraction:
    mentions, doc_gaz = find_mentions(text, gazetteer, scheme)
    dates = find_dates(text, publication)
    facts = find_relations(text, mentions, dates, boilerplate_spans(text))
    return Extraction(doc_id, text, publication, mentions, dates, facts, doc_gaz)


# --------------------------------------------------------------------------------------
# RDF
# --------------------------------------------------------------------------------------


def _curie(c: str) -> URIRef:
    p, _, local = c.partition(":")
    return URIRef(_NS[p] + local)


def _date_literal(value: str, datatype: str) -> Literal:
    return Literal(value, datatype=XSD[datatype])


def _fact_iri(scheme: IriScheme, doc_id: str, f: Fact) -> URIRef:
    digest = hashlib.sha256(repr((f.key(), f.start, f.end)).encode()).hexdigest()[:12]
    return URIRef(f"{scheme.base}id/candidate/{doc_id}/{slugify(f.cls)}-{digest}")


def add_evidence(g: Graph, scheme: IriScheme, doc_id: str, text: str, s: int, e: int) -> URIRef:
    doc = scheme.document(doc_id)
    node = scheme.span(doc_id, s, e)
    qs = scheme.quote_selector(doc_id, s, e)
    ps = scheme.position_selector(doc_id, s, e)
    nn = XSD.nonNegativeInteger
    g.add((node, RDF.type, LA.Evidence))
    g.add((node, RDF.type, OA.SpecificResource))
    g.add((node, OA.hasSource, doc))
    g.add((node, OA.hasSelector, qs))
    g.add((node, OA.hasSelector, ps))
    g.add((node, NIF.beginIndex, Literal(s, datatype=nn)))
    g.add((node, NIF.endIndex, Literal(e, datatype=nn)))
    g.add((node, NIF.referenceContext, doc))
    g.add((qs, RDF.type, OA.TextQuoteSelector))
    g.add((qs, OA.exact, Literal(text[s:e])))
    g.add((qs, OA.prefix, Literal(text[max(0, s - CONTEXT_CHARS) : s])))
    g.add((qs, OA.suffix, Literal(text[e : e + CONTEXT_CHARS])))
    g.add((ps, RDF.type, OA.TextPositionSelector))
    g.add((ps, OA.start, Literal(s, datatype=nn)))
    g.add((ps, OA.end, Literal(e, datatype=nn)))
    return node


def to_dataset(
    ex: Extraction, scheme: IriScheme = DEFAULT_SCHEME, publisher: str | None = None
) -> Dataset:
    ds = Dataset()
    for p, ns in PREFIXES.items():
        ds.bind(p, ns)
    ds.bind("cand", f"{scheme.base}id/candidate/")
    g = ds.graph(scheme.graph(f"candidates/{ex.doc_id}"))
    doc = scheme.document(ex.doc_id)
    activity = URIRef(f"{scheme.base}id/candidate/{ex.doc_id}/extraction")
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal(f"linkedalliance extract {EXTRACTOR_VERSION}")))
    agent = URIRef(f"{scheme.base}id/software/linkedalliance-extract/{EXTRACTOR_VERSION}")
    g.add((activity, PROV.wasAssociatedWith, agent))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal(f"linkedalliance extractor {EXTRACTOR_VERSION}")))
    g.add((agent, SCHEMA.softwareVersion, Literal(EXTRACTOR_VERSION)))
    g.add((activity, PROV.used, doc))
    g.add((doc, RDF.type, LA.SourceDocument))
    g.add((doc, SCHEMA.datePublished, _pub_literal(ex.publication)))
    if publisher:
        g.add((doc, SCHEMA.publisher, _publisher(g, ex.gazetteer, scheme, publisher)))
    used: dict[URIRef, Entity] = {}
    for f in ex.facts:
        _add_fact(g, scheme, ex, f, activity, used)
    for iri, ent in sorted(used.items()):
        if ent.new:
            g.add((iri, RDF.type, LA[_CLASS_OF_KIND.get(ent.kind, "Agent")]))
            g.add((iri, RDFS.label, Literal(ent.label, lang="en")))
            for alt in sorted(ent.labels - {ent.label}):
                g.add((iri, SKOS.altLabel, Literal(alt, lang="en")))
            first = next((m for m in ex.mentions if m.entity.iri == iri), None)
            if first is not None:
                g.add((iri, LA.evidence,
                       add_evidence(g, scheme, ex.doc_id, ex.text, first.start, first.end)))
    return ds


def _pub_literal(p: Publication) -> Literal:
    lex = p.lexical()
    dt = "date" if p.day else "gYearMonth" if p.month else "gYear"
    return Literal(lex, datatype=XSD[dt])


def _publisher(g: Graph, gaz: Gazetteer, scheme: IriScheme, name: str) -> URIRef:
    ent = gaz.entity_by_key(name)
    if ent is not None:
        return ent.iri
    for e in gaz.entities.values():
        if e.kind == "organisation" and any(name.lower() in lab.lower() for lab in e.labels):
            return e.iri
    iri = URIRef(f"{scheme.base}id/candidate/{slugify(name)}")
    g.add((iri, RDF.type, LA.MediaOrganization))
    g.add((iri, RDFS.label, Literal(name, lang="en")))
    return iri


def _add_fact(g: Graph, scheme: IriScheme, ex: Extraction, f: Fact, activity: URIRef,
              used: dict[URIRef, Entity]) -> URIRef:
    iri = _fact_iri(scheme, ex.doc_id, f)
    g.add((iri, RDF.type, LA[f.cls]))
    g.add((iri, RDF.type, LA.Candidate))
    g.add((iri, LA.confidence, Literal(f"{f.confidence:.2f}", datatype=XSD.decimal)))
    g.add((iri, PROV.wasGeneratedBy, activity))
    g.add((iri, LA.evidence, add_evidence(g, scheme, ex.doc_id, ex.text, f.start, f.end)))
    for prop, ents in sorted(f.roles.items()):
        for e in ents:
            g.add((iri, _curie(prop), e.iri))
            used[e.iri] = e
    for prop, d in sorted(f.dates.items()):
        if d.is_span and prop in ("schema:startDate", "dcterms:date"):
            g.add((iri, SCHEMA.startDate, _date_literal(d.value, d.datatype)))
            g.add((iri, SCHEMA.endDate, _date_literal(d.end_value or d.value, d.datatype)))
        else:
            g.add((iri, _curie(prop), _date_literal(d.value, d.datatype)))
        g.add((iri, LA.dateText, Literal(d.text)))
        if d.year_resolved:
            g.add((iri, LA.yearResolvedFrom, scheme.document(ex.doc_id)))
        if d.qualifier:
            g.add((iri, LA.dateQualifier, Literal(d.qualifier)))
    lit = f.literals
    if "status" in lit:
        scheme_prop = LA.transferStatus if f.cls == "ArmsTransfer" else LA.membershipStatus
        g.add((iri, scheme_prop, LA[lit["status"]]))
    if "statementText" in lit:
        g.add((iri, LA.statementText, Literal(lit["statementText"])))
    if "itemDescription" in lit:
        g.add((iri, LA.itemDescription, Literal(lit["itemDescription"])))
    if "rank" in lit:
        g.add((iri, LA.militaryRank, Literal(lit["rank"])))
    if "name" in lit and f.cls in ("Agreement", "Treaty", "Protocol"):
        g.add((iri, RDFS.label, Literal(lit["name"], lang="en")))
    if f.post is not None:
        post_triples(g, scheme, f)
        g.add((iri, LA.post, _post_iri(scheme, f)))
    for prop, other in sorted(f.links.items()):
        g.add((iri, _curie(prop), _add_fact(g, scheme, ex, other, activity, used)))
    return iri


def _post_iri(scheme: IriScheme, f: Fact) -> URIRef:
    assert f.post is not None
    return URIRef(f"{scheme.base}id/candidate/post/{slugify(f.post.label)}")


def serialise(ds: Dataset, fmt: str = "trig") -> str:
    """Sorted, deterministic text: rdflib's serialisers sort subjects and predicates."""
    out = ds.serialize(format=fmt)
    return out if isinstance(out, str) else out.decode()


def post_triples(g: Graph, scheme: IriScheme, f: Fact) -> None:
    if f.post is None:
        return
    iri = _post_iri(scheme, f)
    g.add((iri, RDF.type, LA.Post))
    g.add((iri, RDFS.label, Literal(f.post.label, lang="en")))
    g.add((iri, LA.postType, LA[f.post.post_type]))
    if f.post.state is not None:
        g.add((iri, ORG.postIn, f.post.state.iri))
