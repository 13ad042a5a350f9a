"""Linked data: ``/id/{slug}``, ``/doc/{id}``, ``/ontology`` and any other IRI under the base.

Each resource negotiates ``text/html``, ``text/turtle``, ``application/ld+json`` and
``application/n-triples`` (q-values, wildcards, 406 when nothing fits) and answers with
``Vary: Accept`` and ``Link: rel="alternate"`` headers; suffix URLs (``.ttl``, ``.jsonld``,
``.nt``) pick the format explicitly. Look-ups read the store's indexes in the server process
(no query parsing, no worker hop), so they stay fast.

The RDF description of a resource is every triple with it as subject or object (all graphs,
deduplicated), plus the description of its evidence nodes and their selectors, so a client
gets each fact with its quote and offsets in one request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import export, rdfio
from ..errors import LinkedAllianceError, UnsupportedFormat
from ..namespaces import LA, OA, ONTOLOGY_IRI, PREFIXES
from ..store import Statement, Store
from . import pages
from .negotiation import negotiate
from .state import AppState, NotFound, state
from .urls import split_suffix

RDF_MEDIA = ["text/turtle", "application/ld+json", "application/n-triples"]
OFFERS = ["text/html", *RDF_MEDIA]
EVIDENCE = ox.NamedNode(str(LA.evidence))
HAS_SELECTOR = ox.NamedNode(str(OA.hasSelector))

HtmlRenderer = Callable[[Request, AppState, ox.NamedNode], Response]


def describe(store: Store, node: ox.NamedNode) -> list[Statement]:
    """Triples in and out of ``node``, with its evidence nodes and their selectors.

    Reads the union of the named graphs as a set (:meth:`Store.triples`: the materialised
    default graph of the embedded store), so each triple comes once; the statements are
    triples or default-graph quads, both fine for :func:`rdf_body`.
    """
    out = store.statements(subject=node)
    evidence = [t.object for t in out if t.predicate == EVIDENCE]
    out += [t for t in store.statements(object=node) if t.subject != node]
    if not evidence:
        return out
    extra: list[Statement] = []
    for ev in dict.fromkeys(evidence):
        if isinstance(ev, ox.NamedNode | ox.BlankNode):
            about = store.statements(subject=ev)
            extra += about
            for sel in dict.fromkeys(t.object for t in about if t.predicate == HAS_SELECTOR):
                if isinstance(sel, ox.NamedNode | ox.BlankNode):
                    extra += store.statements(subject=sel)
    # an evidence node may be the node itself, point back to it or share a selector
    return list(dict.fromkeys(out + extra))


def jsonld_context(app: AppState) -> dict[str, object] | None:
    """The build's published ``context.jsonld`` (read once), so that JSON-LD answers use
    the same short terms as the dataset download; ``None`` when the build has none."""
    key = "jsonld.context"
    if key not in app.cache:
        app.cache[key] = export.read_context(app.output_dir)
    found = app.cache[key]
    return found if isinstance(found, dict) else None


def rdf_body(
    triples: Sequence[Statement], media_type: str, context: dict[str, object] | None = None
) -> bytes:
    """``triples`` sorted (by their N-Triples form) and serialised; Turtle declares the
    project's standard prefixes (:data:`PREFIXES`; finding the ones in use costs more than
    serialising the answer); JSON-LD is compacted with ``context``."""
    fmt = rdfio.format_from_media_type(media_type)
    lines = [str(t) for t in triples]
    order = sorted(range(len(lines)), key=lines.__getitem__)
    ordered = [triples[i] for i in order]
    if fmt is rdfio.JSONLD and context is not None:
        return export.serialize_jsonld_statements(ordered, context)
    return ox.serialize(ordered, format=fmt.oxigraph, prefixes=PREFIXES) or b""  # type: ignore[arg-type]


class BodyCache:
    """Rendered RDF bodies of resources, least recently used first out, valid for one
    :attr:`Store.generation` (the whole cache is dropped when the store changes)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.generation = -1
        self._entries: OrderedDict[tuple[str, str, str], tuple[bytes, str]] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: tuple[str, str, str], generation: int) -> tuple[bytes, str] | None:
        if generation != self.generation:
            self._entries.clear()
            self.generation = generation
            return None
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return found

    def put(self, key: tuple[str, str, str], generation: int, value: tuple[bytes, str]) -> None:
        """Keep ``value``, rendered from the store as it was at ``generation``."""
        if self.size <= 0 or generation != self.generation:
            return
        self._entries[key] = value
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)


def body_cache(app: AppState) -> BodyCache:
    cache = app.cache.get("bodies")
    if not isinstance(cache, BodyCache):
        cache = app.cache["bodies"] = BodyCache(app.settings.lookup_cache)
    return cache


def choose(request: Request, suffix_media: str | None, offers: list[str]) -> str:
    if suffix_media is not None:
        if suffix_media not in offers:
            raise NotFound(f"no {suffix_media} representation here")
        return suffix_media
    chosen = negotiate(request.headers.get("accept"), offers)
    if chosen is None:
        raise UnsupportedFormat(
            "none of the requested media types is available; this resource is served as: "
            + ", ".join(offers)
        )
    return chosen


def link_header(app: AppState, path: str) -> str:
    alternates = app.urls.alternates(path)
    return ", ".join(
        f'<{url}>; rel="alternate"; type="{media}"' for media, url in alternates.items()
    )


def content_type(media: str) -> str:
    """The ``Content-Type`` of an answer in ``media`` (text types in UTF-8, as Starlette)."""
    return media + "; charset=utf-8" if media.startswith("text/") else media


def rdf_answer(app: AppState, iri: str, path: str, media: str) -> tuple[bytes, str] | None:
    """The RDF answer for the resource ``iri`` (served at ``path``) in ``media``: its body and
    its ``Link`` header, from the body cache or rendered; ``None`` when the store has no such
    resource. Shared by the routed handlers and :mod:`.lookup`."""
    generation = app.store.generation
    cache = body_cache(app)
    key = (path, iri, media)
    found = cache.get(key, generation)
    if found is not None:
        return found
    node = ox.NamedNode(iri)
    triples = describe(app.store, node)
    if not triples:
        return None
    answer = rdf_body(triples, media, jsonld_context(app)), link_header(app, path)
    cache.put(key, generation, answer)
    return answer


def represent(
    request: Request, node: ox.NamedNode, path: str, suffix_media: str | None, html: HtmlRenderer
) -> Response:
    """Answer for one resource in the negotiated representation."""
    app = state(request)
    media = choose(request, suffix_media, OFFERS) if app.store.contains(node) else None
    if media is None:
        raise NotFound(f"no resource <{node.value}> in this dataset")
    headers = {"Vary": "Accept", "Link": link_header(app, path)}
    if media == "text/html":
        response = html(request, app, node)
        response.headers.update(headers)
        return response
    answer = rdf_answer(app, node.value, path, media)
    if answer is None:  # removed since contains(): the answer for an unknown resource
        raise NotFound(f"no resource <{node.value}> in this dataset")
    body, link = answer
    return Response(body, media_type=media, headers={"Vary": "Accept", "Link": link})


async def entity(request: Request) -> Response:
    slug, suffix = split_suffix(request.path_params["slug"])
    urls = state(request).urls
    node = ox.NamedNode(str(urls.scheme.entity(slug)))
    return represent(request, node, urls.entity(slug), suffix, pages.entity_page)


async def document(request: Request) -> Response:
    doc_id, suffix = split_suffix(request.path_params["doc_id"])
    urls = state(request).urls
    node = ox.NamedNode(str(urls.scheme.document(doc_id)))
    return represent(request, node, urls.document(doc_id), suffix, pages.document_page)


async def ontology(request: Request) -> Response:
    suffix = request.path_params.get("ext")
    suffix_media = None
    if suffix is not None:
        _, suffix_media = split_suffix(f"ontology.{suffix}")
        if suffix_media is None:
            raise NotFound(f"no .{suffix} representation of the ontology")
    node = ox.NamedNode(str(ONTOLOGY_IRI))
    return represent_graph(request, node, suffix_media)


def represent_graph(request: Request, node: ox.NamedNode, suffix_media: str | None) -> Response:
    """The ontology: its RDF is the whole ontology graph (when it is loaded)."""
    app = state(request)
    graph = ox.NamedNode(str(app.urls.scheme.graph("ontology")))
    triples: list[Statement] = [q.triple for q in app.store.quads(graph=graph)]
    if not triples:
        triples = describe(app.store, node)
    if not triples:
        raise NotFound("the ontology is not loaded in this dataset")
    media = choose(request, suffix_media, OFFERS)
    headers = {"Vary": "Accept", "Link": link_header(app, app.urls.ontology())}
    if media == "text/html":
        response = pages.ontology_page(request, app, node)
        response.headers.update(headers)
        return response
    return Response(
        rdf_body(triples, media, jsonld_context(app)), media_type=media, headers=headers
    )


async def resource(request: Request) -> Response:
    """Any other IRI under the base: skolem IRIs of fact nodes, graphs, contributions..."""
    path = "/" + request.path_params["path"]
    stem, suffix = split_suffix(path)
    app = state(request)
    node = ox.NamedNode(app.urls.iri_for_path(stem))
    return represent(request, node, stem, suffix, pages.entity_page)


routes = [
    Route("/id/{slug}", entity, methods=["GET", "HEAD"]),
    Route("/doc/{doc_id}", document, methods=["GET", "HEAD"]),
    Route("/ontology", ontology, methods=["GET", "HEAD"]),
    Route("/ontology.{ext}", ontology, methods=["GET", "HEAD"]),
]
fallback = Route("/{path:path}", resource, methods=["GET", "HEAD"])


VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"


def void_triples(request: Request, app: AppState) -> list[ox.Triple]:
    """The build's void.ttl (when present) plus what only the server knows: its endpoint,
    its downloads (as DCAT distributions) and live figures."""
    triples: list[ox.Triple] = []
    void_file = app.output_dir / "void.ttl"
    if void_file.is_file():
        triples += [q.triple for q in ox.parse(path=str(void_file), format=ox.RdfFormat.TURTLE)]
    dataset = ox.NamedNode(str(app.urls.scheme.dataset()))
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    root = str(request.base_url).rstrip("/")

    def t(
        s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
    ) -> None:
        triples.append(ox.Triple(s, ox.NamedNode(p), o))

    t(dataset, str(rdf_type.value), ox.NamedNode(VOID + "Dataset"))
    t(dataset, str(rdf_type.value), ox.NamedNode(DCAT + "Dataset"))
    t(dataset, VOID + "sparqlEndpoint", ox.NamedNode(root + "/sparql"))
    t(dataset, VOID + "uriSpace", ox.Literal(app.settings.base_iri + "id/"))
    t(dataset, VOID + "uriLookupEndpoint", ox.NamedNode(root + "/id/"))
    t(dataset, VOID + "vocabulary", ox.NamedNode(str(ONTOLOGY_IRI)))
    live = ox.NamedNode(str(app.urls.scheme.dataset()) + "#live")
    t(dataset, VOID + "subset", live)
    t(
        live,
        VOID + "triples",
        ox.Literal(
            str(len(app.store)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
        ),
    )
    t(live, DCTERMS + "description", ox.Literal("The dataset as this server holds it now."))
    for name, size in pages.download_files(app):
        url = ox.NamedNode(root + app.urls.download(name))
        if name.count("/") == 0 and name.startswith("linkedalliance."):
            t(dataset, VOID + "dataDump", url)
        dist = ox.NamedNode(f"{dataset.value}#distribution-{name}")
        t(dataset, DCAT + "distribution", dist)
        t(dist, str(rdf_type.value), ox.NamedNode(DCAT + "Distribution"))
        t(dist, DCAT + "downloadURL", url)
        t(
            dist,
            DCAT + "byteSize",
            ox.Literal(
                str(size),
                datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#nonNegativeInteger"),
            ),
        )
        media: str | None = None
        try:
            media = rdfio.format_from_path(name).media_type
        except LinkedAllianceError:  # not an RDF file: texts, reports
            media = "text/plain" if name.endswith(".txt") else None
        if media:
            t(
                dist,
                DCAT + "mediaType",
                ox.NamedNode(f"https://www.iana.org/assignments/media-types/{media}"),
            )
    return list(dict.fromkeys(triples))


async def void(request: Request) -> Response:
    app = state(request)
    media = choose(request, None, [*RDF_MEDIA, "text/html"])
    triples = void_triples(request, app)
    headers = {"Vary": "Accept"}
    if media == "text/html":
        body = rdf_body(triples, "text/turtle").decode("utf-8")
        response = pages.render(request, app, "void.html", title="Dataset description", turtle=body)
        response.headers.update(headers)
        return response
    return Response(
        rdf_body(triples, media, jsonld_context(app)), media_type=media, headers=headers
    )


routes.append(Route("/.well-known/void", void, methods=["GET", "HEAD"]))
