"""Every URL path the server serves, and the mapping between request paths and data IRIs.

Data IRIs are minted under ``base_iri`` (``https://w3id.org/linkedalliance/``); the server
answers the same paths locally, so ``/id/belarus`` here is ``<base_iri>id/belarus`` in the data.
The ontology namespace does not move with the base (see :mod:`linkedalliance.namespaces`).

>>> urls = Urls("https://w3id.org/linkedalliance/")
>>> urls.entity("belarus", "ttl"), urls.document("d1")
('/id/belarus.ttl', '/doc/d1')
>>> urls.local("https://w3id.org/linkedalliance/ontology#State")
'/ontology#State'
>>> urls.local("https://w3id.org/linkedalliance/doc/d1#char=0,5")
'/doc/d1#char=0,5'
>>> urls.local("http://example.org/x") is None
True
>>> urls.iri_for_path("/id/belarus")
'https://w3id.org/linkedalliance/id/belarus'
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from ..namespaces import DEFAULT_BASE, ONTOLOGY_IRI, IriScheme

#: Suffix URLs: ``/id/belarus.ttl`` and the like.
SUFFIXES = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "html": "text/html",
}

HOME = "/"
SPARQL = "/sparql"
QUERY = "/query"
ONTOLOGY = "/ontology"
VOID = "/.well-known/void"
DOWNLOADS = "/downloads/"
STATIC = "/-/static/"


@dataclass(frozen=True)
class Urls:
    base_iri: str

    @property
    def scheme(self) -> IriScheme:
        return IriScheme(self.base_iri)

    def entity(self, slug: str, fmt: str | None = None) -> str:
        return f"/id/{quote(slug)}" + (f".{fmt}" if fmt else "")

    def document(self, doc_id: str, fmt: str | None = None) -> str:
        return f"/doc/{quote(doc_id)}" + (f".{fmt}" if fmt else "")

    def ontology(self, fmt: str | None = None) -> str:
        return ONTOLOGY + (f".{fmt}" if fmt else "")

    def static(self, name: str) -> str:
        return STATIC + name

    def download(self, name: str) -> str:
        return DOWNLOADS + quote(name)

    def query_page(self, sparql: str) -> str:
        return QUERY + "?" + urlencode({"query": sparql})

    def local(self, iri: str) -> str | None:
        """The local path of a data or ontology IRI, or ``None`` for foreign IRIs."""
        ontology = str(ONTOLOGY_IRI)
        if iri == ontology or iri.startswith(ontology + "#"):
            return ONTOLOGY + iri[len(ontology) :]
        for base in (self.base_iri, DEFAULT_BASE):
            if iri.startswith(base):
                rest = iri[len(base) :]
                if rest and not rest.startswith(("ontology#", "ontology/")):
                    return "/" + rest
                return None
        return None

    def iri_for_path(self, path: str) -> str:
        """The data IRI a request path stands for."""
        if path == ONTOLOGY:
            return str(ONTOLOGY_IRI)
        return self.base_iri + path.lstrip("/")

    def alternates(self, path: str) -> dict[str, str]:
        """Suffix URLs of a resource path, by media type."""
        return {media: f"{path}.{ext}" for ext, media in SUFFIXES.items() if ext != "html"}


def split_suffix(name: str) -> tuple[str, str | None]:
    """``belarus.ttl`` → ``("belarus", "text/turtle")``; no known suffix → ``(name, None)``.

    >>> split_suffix("belarus.jsonld"), split_suffix("belarus")
    (('belarus', 'application/ld+json'), ('belarus', None))
    """
    stem, dot, ext = name.rpartition(".")
    if dot and stem and ext in SUFFIXES:
        return stem, SUFFIXES[ext]
    return name, None
