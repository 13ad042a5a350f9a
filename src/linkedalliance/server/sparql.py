"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (read-only).

* ``GET /sparql?query=...``, ``POST`` as ``application/x-www-form-urlencoded`` (``query=``)
  or as ``application/sparql-query`` (the query is the body);
* ``default-graph-uri`` / ``named-graph-uri`` (repeatable) set the dataset; without them the
  default graph is the union of all named graphs;
* SELECT/ASK answer as SPARQL JSON, XML, CSV or TSV, CONSTRUCT/DESCRIBE as Turtle, JSON-LD or
  N-Triples, chosen by ``Accept`` or by a ``format`` parameter (``json``, ``csv``, ``turtle``
  or a media type);
* updates (``update=``, ``application/sparql-update`` or an update sent as a query) get 403
  and change nothing; a bad query gets 400 with the parser's message; a query past the time
  limit gets 503; a result cut at ``max_result_rows`` carries ``X-SPARQL-Truncated: true``;
* ``GET /sparql`` without a query returns the SPARQL service description (Turtle by default).

Queries run through the app's :class:`~linkedalliance.querypool.QueryRunner`
(:meth:`~linkedalliance.querypool.QueryRunner.run_async`: the event loop waits for a worker
process and reads its answer without a thread hop, and keeps serving other requests
meanwhile).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..errors import QueryError, UnsupportedFormat
from ..query import GRAPH_FORMATS, RESULT_FORMATS, graph_format, results_format
from ..querypool import QueryRequest
from ..store import QueryDataset, UpdateRefused
from .entities import choose, jsonld_context, rdf_body
from .negotiation import negotiate
from .state import MethodRefused, state

RESULT_OFFERS = [f.media_type for f in RESULT_FORMATS] + ["application/json", "application/xml"]
GRAPH_OFFERS = [f.media_type for f in GRAPH_FORMATS]
SD = "http://www.w3.org/ns/sparql-service-description#"
FORM = "application/x-www-form-urlencoded"


def negotiate_formats(accept: str | None, fmt: str | None) -> tuple[str | None, str | None]:
    """(results format name, graph format name) for a request; at least one is set."""
    if fmt:
        try:
            return results_format(fmt).name, "turtle"
        except UnsupportedFormat:
            pass
        try:
            return "json", graph_format(fmt).name
        except UnsupportedFormat:
            raise UnsupportedFormat(
                f"unknown format {fmt!r}; use one of: "
                + ", ".join([f.name for f in RESULT_FORMATS] + [f.name for f in GRAPH_FORMATS])
            ) from None
    results = negotiate(accept, RESULT_OFFERS)
    graph = negotiate(accept, GRAPH_OFFERS)
    if results is None and graph is None:
        raise UnsupportedFormat(
            "none of the requested media types is available; query results are served as: "
            + ", ".join(RESULT_OFFERS + GRAPH_OFFERS)
        )
    return (
        results_format(results).name if results else None,
        graph_format(graph).name if graph else None,
    )


async def _read(request: Request) -> tuple[str | None, list[tuple[str, str]]]:
    """The query and all protocol parameters (URL and form) of a request."""
    params = list(request.query_params.multi_items())
    if request.method != "POST":
        if "update" in dict(params):
            raise UpdateRefused()
        return dict(params).get("query"), params
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if content_type == FORM:
        form = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
        if any(name == "update" for name, _ in form):
            raise UpdateRefused()
        params += form
        return dict(form).get("query"), params
    if content_type == "application/sparql-query":
        return body.decode("utf-8"), params
    if content_type == "application/sparql-update":
        raise UpdateRefused()
    raise MethodRefused(
        f"unsupported Content-Type {content_type or '(none)'!r}; POST a query as "
        f"{FORM} (query=...) or as application/sparql-query",
        415,
    )


def service_description(request: Request) -> Response:
    app = state(request)
    endpoint = ox.NamedNode(str(request.url.replace(query="", fragment="")))
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")

    def sd(local: str) -> ox.NamedNode:
        return ox.NamedNode(SD + local)

    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    triples = [
        ox.Triple(service, rdf_type, sd("Service")),
        ox.Triple(service, sd("endpoint"), endpoint),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), ox.BlankNode("default")),
        ox.Triple(ox.BlankNode("default"), rdf_type, sd("Graph")),
        ox.Triple(
            service,
            ox.NamedNode("http://purl.org/dc/terms/description"),
            ox.Literal(
                f"Read-only. Queries stop after {app.settings.query_time_limit_s:g}"
                f" s and return at most {app.settings.max_result_rows} rows."
            ),
        ),
    ]
    for name in [f.name for f in RESULT_FORMATS] + [f.name for f in GRAPH_FORMATS]:
        iri = _format_iri(name)
        if iri:
            triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(iri)))
    for graph in app.store.graph_names():
        named = ox.BlankNode(f"g{len(triples)}")
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, rdf_type, sd("NamedGraph")),
            ox.Triple(named, sd("name"), graph),
        ]
    media = choose(request, None, GRAPH_OFFERS)
    return Response(rdf_body(triples, media), media_type=media, headers={"Vary": "Accept"})


def _format_iri(name: str) -> str | None:
    return {
        "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
        "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
        "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
        "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
        "turtle": "http://www.w3.org/ns/formats/Turtle",
        "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
        "ntriples": "http://www.w3.org/ns/formats/N-Triples",
    }.get(name)


async def sparql(request: Request) -> Response:
    query, params = await _read(request)
    if query is None:
        if request.method == "POST":
            raise QueryError("no query: send query=... or an application/sparql-query body")
        return service_description(request)
    if not query.strip():
        raise QueryError("the query is empty")
    values = dict(params)
    results, graph = negotiate_formats(request.headers.get("accept"), values.get("format"))
    dataset = QueryDataset(
        default_graphs=tuple(v for k, v in params if k == "default-graph-uri"),
        named_graphs=tuple(v for k, v in params if k == "named-graph-uri"),
    )
    app = state(request)
    context = jsonld_context(app) if graph == "jsonld" else None  # sent only when used
    rendered = await app.runner.run_async(QueryRequest(query, dataset, results, graph, context))
    headers = {"Vary": "Accept"}
    if rendered.truncated:
        headers["X-SPARQL-Truncated"] = "true"
    return Response(rendered.body, headers=headers, media_type=rendered.media_type)


routes = [Route("/sparql", sparql, methods=["GET", "POST", "HEAD"])]
