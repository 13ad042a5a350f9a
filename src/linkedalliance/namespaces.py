"""Every IRI and prefix the project uses, built in one place.

The base IRI is configurable (``LINKEDALLIANCE_BASE`` or the ``base`` argument of
:class:`IriScheme`); everything published is minted from it, so a deployment behind
``https://w3id.org/linkedalliance/`` and a local server resolve the same paths.

>>> scheme = IriScheme()
>>> scheme.entity("belarus")
rdflib.term.URIRef('https://w3id.org/linkedalliance/id/belarus')
>>> scheme.document("000_715e181b9dd23a62")
rdflib.term.URIRef('https://w3id.org/linkedalliance/doc/000_715e181b9dd23a62')
>>> scheme.span("000_715e181b9dd23a62", 10, 42)
rdflib.term.URIRef('https://w3id.org/linkedalliance/doc/000_715e181b9dd23a62#char=10,42')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    TIME,
    VOID,
    XSD,
)

DEFAULT_BASE = "https://w3id.org/linkedalliance/"

#: The ontology namespace. It does not move with the configurable base: terms are
#: part of the published vocabulary, data IRIs are part of a deployment.
LA = Namespace(DEFAULT_BASE + "ontology#")
ONTOLOGY_IRI = URIRef(DEFAULT_BASE + "ontology")
OA = Namespace("http://www.w3.org/ns/oa#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
WD = Namespace("http://www.wikidata.org/entity/")
SCHEMA = SDO  # rdflib's schema.org namespace uses https://schema.org/

#: Prefixes written into every serialisation and the JSON-LD context.
PREFIXES: dict[str, str] = {
    "la": str(LA),
    "id": DEFAULT_BASE + "id/",
    "doc": DEFAULT_BASE + "doc/",
    "graph": DEFAULT_BASE + "graph/",
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "foaf": str(FOAF),
    "org": str(ORG),
    "prov": str(PROV),
    "time": str(TIME),
    "schema": str(SDO),
    "sh": str(SH),
    "oa": str(OA),
    "nif": str(NIF),
    "wd": str(WD),
}

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """Lower-case ASCII slug for minting entity IRIs.

    >>> slugify("Aleksandr Lukashenko")
    'aleksandr-lukashenko'
    >>> slugify("ADEX-2016 (Baku)")
    'adex-2016-baku'
    """
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def is_slug(text: str) -> bool:
    """True when ``text`` is a well-formed entity slug.

    >>> is_slug("belarus"), is_slug("Belarus"), is_slug("a--b")
    (True, False, False)
    """
    return bool(_SLUG.match(text))


@dataclass(frozen=True)
class IriScheme:
    """Mints the data IRIs of one deployment from its base IRI."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith("/"):
            raise ValueError(f"base IRI must end with '/': {self.base!r}")

    def entity(self, slug: str) -> URIRef:
        return URIRef(f"{self.base}id/{slug}")

    def document(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}doc/{doc_id}")

    def span(self, doc_id: str, start: int, end: int) -> URIRef:
        """The evidence span ``[start, end)`` of a document, as an RFC 5147 fragment."""
        return URIRef(f"{self.base}doc/{doc_id}#char={start},{end}")

    def quote_selector(self, doc_id: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.base}doc/{doc_id}#quote={start},{end}")

    def position_selector(self, doc_id: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.base}doc/{doc_id}#position={start},{end}")

    def graph(self, name: str) -> URIRef:
        """Named graphs: ``doc/<id>``, ``ontology``, ``entities``, ``inferred``, ..."""
        return URIRef(f"{self.base}graph/{name}")

    def document_graph(self, doc_id: str) -> URIRef:
        return self.graph(f"doc/{doc_id}")

    def contribution_graph(self, number: int) -> URIRef:
        return self.graph(f"contribution/{number}")

    def contribution(self, number: int) -> URIRef:
        return URIRef(f"{self.base}contribution/{number}")

    def skolem(self, digest: str) -> URIRef:
        """Stable IRI for a blank node (RDF 1.1 skolemisation, section 3.5)."""
        return URIRef(f"{self.base}.well-known/genid/{digest}")

    def dataset(self) -> URIRef:
        return URIRef(f"{self.base}dataset")

    def is_ours(self, iri: str) -> bool:
        return iri.startswith(self.base)

    def entity_slug(self, iri: str) -> str | None:
        prefix = f"{self.base}id/"
        return iri[len(prefix) :] if iri.startswith(prefix) else None

    def rebase(self, iri: str, new_base: str) -> str:
        """Move an IRI minted under this base to ``new_base`` (used when serving locally)."""
        return new_base + iri[len(self.base) :] if iri.startswith(self.base) else iri


DEFAULT_SCHEME = IriScheme()

GRAPH_ONTOLOGY = DEFAULT_SCHEME.graph("ontology")
GRAPH_ENTITIES = DEFAULT_SCHEME.graph("entities")
GRAPH_INFERRED = DEFAULT_SCHEME.graph("inferred")
GRAPH_DATASET = DEFAULT_SCHEME.graph("dataset")
