"""The extraction pipeline and its RDF output: candidate facts in their own named graph.

Every fact is typed with its ontology class and ``la:Candidate``, carries
``la:confidence`` and ``prov:wasGeneratedBy`` an extraction activity naming the extractor
version, and ``la:evidence`` a span node written by the build's own
:func:`linkedalliance.provenance.add_evidence_node`. Every IRI under ``id/`` is a
one-segment slug (``id/candidate-...``); the graph is self-contained and conforms to the
shapes on its own (see :func:`to_dataset` and docs/extraction.md). IRIs are derived from
content (type, roles, span), never random, and output is serialised sorted, so it is
byte-identical across runs.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from linkedalliance.corpus import Document
from linkedalliance.extract.dates import DateMention, Publication, find_dates
from linkedalliance.extract.gazetteer import Entity, Gazetteer, candidate_iri
from linkedalliance.extract.mentions import Mention, find_mentions
from linkedalliance.extract.relations import Fact, find_relations
from linkedalliance.namespaces import (
    DEFAULT_SCHEME,
    LA,
    PREFIXES,
    SCHEMA,
    IriScheme,
    slugify,
)
from linkedalliance.provenance import Span, add_evidence_node

EXTRACTOR_VERSION = "0.1.0"

_CLASS_OF_KIND = {
    "state": "State",
    "organisation": "Organization",
    "person": "Person",
    "place": "Place",
    "weapon": "WeaponSystem",
    "event": "Event",
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
    facts = [
        f for f in find_relations(text, mentions, dates, boilerplate_spans(text)) if writable(f)
    ]
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
    return candidate_iri(scheme, doc_id, f"{slugify(f.cls)}-{digest}")


def activity_iri(scheme: IriScheme, doc_id: str) -> URIRef:
    """The extraction run that produced the candidates of one document."""
    return candidate_iri(scheme, doc_id, "extraction")


def software_iri(scheme: IriScheme) -> URIRef:
    """The extractor, one ``prov:SoftwareAgent`` per version, as a one-segment slug."""
    return scheme.entity(f"software-linkedalliance-extract-{slugify(EXTRACTOR_VERSION)}")


def add_evidence(g: Graph, scheme: IriScheme, doc_id: str, text: str, s: int, e: int) -> URIRef:
    """The evidence node of ``text[s:e]``, written exactly as the build writes curated
    evidence (:func:`linkedalliance.provenance.add_evidence_node`)."""
    document = Document(
        doc_id=doc_id,
        text=text,
        text_path=Path(f"{doc_id}.txt"),
        curation_path=Path(f"{doc_id}.txt"),
    )
    return add_evidence_node(g, scheme, document, Span(s, e))


#: Roles without which the shapes reject a fact of the class (property CURIEs); a
#: candidate lacking one is not written (it could not be accepted as it stands).
_REQUIRED_ROLES: dict[str, tuple[str, ...]] = {
    "ArmsTransfer": ("la:supplier", "la:recipient"),
    "Membership": ("org:member", "org:organization"),
    "Tenure": ("la:holder",),
    "Statement": ("la:speaker",),
    "Agreement": ("la:party",),
    "Treaty": ("la:party",),
    "Protocol": ("la:party",),
    "Ratification": ("la:ratifiedBy",),
}


def writable(f: Fact) -> bool:
    """Whether ``f`` (and every fact it links to) has what the shapes require of its class."""
    if any(not f.roles.get(role) for role in _REQUIRED_ROLES.get(f.cls, ())):
        return False
    if f.cls == "Tenure" and f.post is None:
        return False
    if (
        f.cls == "ArmsTransfer"
        and not f.roles.get("la:item")
        and not f.literals.get("itemDescription")
    ):
        return False
    if f.cls == "Ratification" and (
        not f.dates.get("dcterms:date") or "la:ratifiedAgreement" not in f.links
    ):
        return False
    if f.cls in _MEMBERSHIP_EVENTS and "la:membership" not in f.links:
        return False
    return all(writable(other) for other in f.links.values())


_MEMBERSHIP_EVENTS = {
    "MembershipEvent",
    "Accession",
    "ParticipationSuspension",
    "WithdrawalAnnouncement",
    "Withdrawal",
}


def to_dataset(
    ex: Extraction, scheme: IriScheme = DEFAULT_SCHEME, publisher: str | None = None
) -> Dataset:
    """The candidates of ``ex`` in the named graph ``graph/candidates/<doc-id>``.

    The graph is self-contained: it types the document (publication date at the precision
    given, publisher), the extraction activity and the extractor, repeats the ``rdf:type``
    and ``rdfs:label`` the entity graph gives each known entity it refers to, and describes
    each new entity (``id/candidate-<slug>``, ``prov:wasGeneratedBy`` the extraction, with
    the evidence of its first mention), so that it conforms to the shapes on its own.
    """
    ds = Dataset()
    for p, ns in PREFIXES.items():
        ds.bind(p, ns)
    g = ds.graph(scheme.graph(f"candidates/{ex.doc_id}"))
    doc = scheme.document(ex.doc_id)
    activity = activity_iri(scheme, ex.doc_id)
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal(f"linkedalliance extract {EXTRACTOR_VERSION}")))
    agent = software_iri(scheme)
    g.add((activity, PROV.wasAssociatedWith, agent))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal(f"linkedalliance extractor {EXTRACTOR_VERSION}")))
    g.add((agent, SCHEMA.softwareVersion, Literal(EXTRACTOR_VERSION)))
    g.add((activity, PROV.used, doc))
    g.add((doc, RDF.type, LA.SourceDocument))
    g.add((doc, SCHEMA.datePublished, _pub_literal(ex.publication)))
    used: dict[URIRef, Entity] = {}
    if publisher:
        g.add((doc, SCHEMA.publisher, _publisher(g, ex, scheme, publisher, activity, used)))
    for f in ex.facts:
        if writable(f):
            _add_fact(g, scheme, ex, f, activity, used)
    for iri, ent in sorted(used.items()):
        _describe_entity(g, scheme, ex, iri, ent, activity)
    return ds


def _describe_entity(
    g: Graph, scheme: IriScheme, ex: Extraction, iri: URIRef, ent: Entity, activity: URIRef
) -> None:
    if not ent.new:
        for p, o in ent.described:
            g.add((iri, p, o))
        return
    g.add((iri, RDF.type, LA[_CLASS_OF_KIND.get(ent.kind, "Agent")]))
    g.add((iri, RDFS.label, Literal(ent.label, lang="en")))
    g.add((iri, PROV.wasGeneratedBy, activity))
    for alt in sorted(ent.labels - {ent.label}):
        g.add((iri, SKOS.altLabel, Literal(alt, lang="en")))
    first = next((m for m in ex.mentions if m.entity.iri == iri), None)
    if first is not None:
        g.add(
            (iri, LA.evidence, add_evidence(g, scheme, ex.doc_id, ex.text, first.start, first.end))
        )


def _pub_literal(p: Publication) -> Literal:
    lex = p.lexical()
    dt = "date" if p.day else "gYearMonth" if p.month else "gYear"
    return Literal(lex, datatype=XSD[dt])


def _publisher(
    g: Graph,
    ex: Extraction,
    scheme: IriScheme,
    name: str,
    activity: URIRef,
    used: dict[URIRef, Entity],
) -> URIRef:
    """A known organisation of that name, else a new ``la:MediaOrganization``."""
    gaz = ex.gazetteer
    found = gaz.entity_by_key(name, "organisation")
    if found is None:
        found = next(
            (
                e
                for e in gaz.entities.values()
                if e.kind == "organisation" and any(name.lower() in lab.lower() for lab in e.labels)
            ),
            None,
        )
    if found is not None:
        used[found.iri] = found
        return found.iri
    iri = candidate_iri(scheme, name)
    g.add((iri, RDF.type, LA.MediaOrganization))
    g.add((iri, RDFS.label, Literal(name, lang="en")))
    g.add((iri, PROV.wasGeneratedBy, activity))
    return iri


def _add_fact(
    g: Graph,
    scheme: IriScheme,
    ex: Extraction,
    f: Fact,
    activity: URIRef,
    used: dict[URIRef, Entity],
) -> URIRef:
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
        g.add((iri, LA.post, post_triples(g, ex, scheme, f, activity, used)))
    for prop, other in sorted(f.links.items()):
        g.add((iri, _curie(prop), _add_fact(g, scheme, ex, other, activity, used)))
    return iri


def serialise(ds: Dataset, fmt: str = "trig") -> str:
    """Sorted, deterministic text: rdflib's serialisers sort subjects and predicates."""
    out = ds.serialize(format=fmt)
    return out if isinstance(out, str) else out.decode()


def post_triples(
    g: Graph,
    ex: Extraction,
    scheme: IriScheme,
    f: Fact,
    activity: URIRef,
    used: dict[URIRef, Entity],
) -> URIRef:
    """The post of a tenure: the entity graph's post of that type in that state or
    organisation when there is one, else a new ``id/candidate-post-<slug>``."""
    assert f.post is not None
    post = f.post
    if post.state is not None:
        used[post.state.iri] = post.state
        known = ex.gazetteer.posts.get((post.post_type, str(post.state.iri)))
        if known is not None:
            ent = ex.gazetteer.entities.get(known)
            if ent is not None:
                used[known] = ent
            else:
                g.add((known, RDF.type, LA.Post))
            return known
    iri = candidate_iri(scheme, "post", post.label)
    g.add((iri, RDF.type, LA.Post))
    g.add((iri, RDFS.label, Literal(post.label, lang="en")))
    g.add((iri, LA.postType, LA[post.post_type]))
    g.add((iri, PROV.wasGeneratedBy, activity))
    if post.state is not None:
        g.add((iri, ORG.postIn, post.state.iri))
    return iri
