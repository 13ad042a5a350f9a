"""The server over real HTTP on 127.0.0.1: SPARQL 1.1 Protocol, limits, linked data, pages.

Every result is parsed back with an independent parser (pyoxigraph's result parsers, rdflib,
SPARQLWrapper); errors are checked against the one JSON error shape.
"""

from __future__ import annotations

import html
import io
import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote_plus

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.query import Result
from SPARQLWrapper import JSON, SPARQLWrapper

from linkedalliance.cli import main
from linkedalliance.namespaces import PREFIXES
from linkedalliance.server.app import create_app
from linkedalliance.settings import Settings
from linkedalliance.store import open_store
from serverdata import SCHEME, LiveServer, free_port, write_output

BELARUS = str(SCHEME.entity("belarus"))
STATES = "SELECT ?s WHERE { ?s a <https://w3id.org/linkedalliance/ontology#State> } ORDER BY ?s"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def assert_error_shape(response: httpx.Response, status: int) -> dict[str, object]:
    """The one JSON error shape, with the expected status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"ok", "status", "error", "errors"}
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["errors"], list) and body["error"] in body["errors"]
    return body  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    write_output(root / "output", bulk=3000)
    (root / "queries").mkdir()
    (root / "queries" / "cq01.rq").write_text(
        "# Which states are in the dataset?\n" + STATES + "\n", encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def server(project: Path) -> Iterator[str]:
    settings = Settings(
        port=free_port(),
        output_dir=str(project / "output"),
        queries_dir=str(project / "queries"),
        query_time_limit_s=2.0,
        max_result_rows=50,
        query_workers=2,
    )
    with LiveServer(settings) as live:
        yield live.url


@pytest.fixture(scope="module")
def http(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as client:
        yield client


# --------------------------------------------------------------------------- SPARQL protocol


def test_sparqlwrapper_select(server: str) -> None:
    wrapper = SPARQLWrapper(f"{server}/sparql")
    wrapper.setQuery(STATES)
    wrapper.setReturnFormat(JSON)
    bindings = wrapper.query().convert()["results"]["bindings"]  # type: ignore[index]
    assert [b["s"]["value"] for b in bindings] == [
        str(SCHEME.entity(s)) for s in ("armenia", "belarus", "russia")
    ]


@pytest.mark.parametrize(
    "accept, media",
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_formats_by_accept(http: httpx.Client, accept: str, media: str) -> None:
    r = http.get("/sparql", params={"query": STATES}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    parsed = ox.parse_query_results(r.content, format=ox.QueryResultsFormat.from_media_type(media))
    assert [s["s"] for s in parsed] == [  # type: ignore[union-attr]
        ox.NamedNode(str(SCHEME.entity(s))) for s in ("armenia", "belarus", "russia")
    ]


def test_csv_by_format_parameter(http: httpx.Client) -> None:
    r = http.get("/sparql", params={"query": STATES, "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = [str(row[0]) for row in Result.parse(io.BytesIO(r.content), format="csv")]
    assert rows == [str(SCHEME.entity(s)) for s in ("armenia", "belarus", "russia")]


def test_post_form_and_post_query_body(http: httpx.Client) -> None:
    form = http.post(
        "/sparql",
        data={"query": "ASK { ?s a ?t }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert form.json() == {"head": {}, "boolean": True}
    # a '+' and '%' in a form-encoded query are decoded exactly once
    tricky = 'SELECT ?x WHERE { BIND("a+b%20c" AS ?x) }'
    r = http.post("/sparql", data={"query": tricky})
    assert r.json()["results"]["bindings"][0]["x"]["value"] == "a+b%20c"
    body = http.post(
        "/sparql",
        content=STATES.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"},
    )
    assert body.text.splitlines()[1] == f"<{SCHEME.entity('armenia')}>"
    assert_error_shape(
        http.post("/sparql", content=b"x", headers={"Content-Type": "text/plain"}), 415
    )


@pytest.mark.parametrize(
    "accept, parser",
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
    ],
)
def test_construct_formats(http: httpx.Client, accept: str, parser: str) -> None:
    query = f"CONSTRUCT {{ <{BELARUS}> ?p ?o }} WHERE {{ <{BELARUS}> ?p ?o }}"
    r = http.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert r.headers["content-type"].split(";")[0] == accept
    graph = Graph().parse(data=r.text, format=parser)
    assert (URIRef(BELARUS), RDFS.label, Literal("Belarus", lang="en")) in graph
    assert len(graph) == 2


def test_describe_by_format_parameter(http: httpx.Client) -> None:
    r = http.get("/sparql", params={"query": f"DESCRIBE <{BELARUS}>", "format": "ntriples"})
    assert r.headers["content-type"] == "application/n-triples"
    assert len(Graph().parse(data=r.text, format="nt")) == 2


def test_default_graph_is_union_and_dataset_parameters(http: httpx.Client) -> None:
    def n(params: list[tuple[str, str]]) -> int:
        r = http.get("/sparql", params=params, headers={"Accept": "application/json"})
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    total = n([("query", COUNT)])
    entities = n([("query", COUNT), ("default-graph-uri", str(SCHEME.graph("entities")))])
    assert entities == 10 and total > 3000
    graphs = http.get(
        "/sparql",
        params=[
            ("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"),
            ("named-graph-uri", str(SCHEME.graph("doc/d1"))),
            ("named-graph-uri", str(SCHEME.graph("doc/d2"))),
        ],
        headers={"Accept": "application/json"},
    )
    assert sorted(b["g"]["value"] for b in graphs.json()["results"]["bindings"]) == [
        str(SCHEME.graph("doc/d1")),
        str(SCHEME.graph("doc/d2")),
    ]


def test_bad_query_is_400_with_parser_message(http: httpx.Client) -> None:
    body = assert_error_shape(
        http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"}), 400
    )
    assert body["error"] == (
        "SPARQL syntax error: error at 1:25: expected one of LATERAL, SERVICE, [_]"
    )


def test_updates_are_refused_and_data_unchanged(http: httpx.Client) -> None:
    def count() -> str:
        r = http.get("/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"})
        return r.text

    before = count()
    update = "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"
    for response in (
        http.post("/sparql", data={"update": update}),
        http.post(
            "/sparql",
            content=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
        ),
        http.get("/sparql", params={"query": "DROP ALL"}),
        http.get("/sparql", params={"update": "CLEAR ALL"}),
        http.post(
            "/sparql",
            content=b"DELETE WHERE { ?s ?p ?o }",
            headers={"Content-Type": "application/sparql-query"},
        ),
    ):
        assert "read-only" in str(assert_error_shape(response, 403)["error"])
    assert count() == before


def test_service_description(http: httpx.Client) -> None:
    r = http.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=r.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(str(http.base_url).rstrip("/") + "/sparql")
    assert (None, URIRef(sd + "endpoint"), endpoint) in graph
    assert (None, URIRef(sd + "feature"), URIRef(sd + "UnionDefaultGraph")) in graph
    assert (None, URIRef(sd + "name"), URIRef(str(SCHEME.graph("entities")))) in graph


def test_cors_any_origin_without_credentials(http: httpx.Client) -> None:
    r = http.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://x.example"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers
    pre = http.options(
        "/sparql",
        headers={
            "Origin": "https://x.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "*"


def test_row_limit_truncates_and_flags(http: httpx.Client) -> None:
    r = http.get(
        "/sparql",
        params={"query": "SELECT * WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.headers["x-sparql-truncated"] == "true"
    assert r.json()["truncated"] is True and len(r.json()["results"]["bindings"]) == 50
    small = http.get("/sparql", params={"query": STATES})
    assert "x-sparql-truncated" not in small.headers


def test_unacceptable_result_type_is_406(http: httpx.Client) -> None:
    assert_error_shape(
        http.get("/sparql", params={"query": STATES}, headers={"Accept": "image/png"}), 406
    )
    assert_error_shape(
        http.get("/sparql", params={"query": STATES}, headers={"Accept": "text/turtle"}), 406
    )
    assert_error_shape(http.get("/sparql", params={"query": STATES, "format": "pdf"}), 406)


@pytest.mark.slow
def test_runaway_query_is_stopped_while_other_clients_are_served(server: str) -> None:
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        with httpx.Client(timeout=30) as client:
            outcome["response"] = client.get(f"{server}/sparql", params={"query": RUNAWAY})
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    with httpx.Client(base_url=server, timeout=30) as client:
        for _ in range(5):  # other clients, answered while the runaway runs
            started = time.monotonic()
            r = client.get("/sparql", params={"query": STATES}, headers={"Accept": "text/csv"})
            assert r.status_code == 200 and r.text.count("\r\n") == 4
            assert time.monotonic() - started < 1.0
            assert client.get("/id/belarus", headers={"Accept": "text/turtle"}).status_code == 200
    thread.join(15)
    body = assert_error_shape(outcome["response"], 503)  # type: ignore[arg-type]
    assert body["error"].startswith("query stopped after the time limit of 2 s")  # type: ignore[union-attr]
    assert 1.9 < outcome["seconds"] < 5  # type: ignore[operator]
    with httpx.Client(base_url=server, timeout=30) as client:  # the pool has recovered
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


# --------------------------------------------------------------------------- linked data

NEGOTIATION = [
    (None, "text/html"),
    ("*/*", "text/html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/n-triples", "application/n-triples"),
    ("text/turtle;q=0.5, application/ld+json;q=0.9", "application/ld+json"),
    ("application/*", "application/ld+json"),
    ("text/*;q=0.9, text/html;q=0.1", "text/turtle"),
    ("text/html;q=0, */*;q=0.5", "text/turtle"),
    ("application/rdf+xml", None),
    ("image/png, text/plain;q=0.5", None),
]


@pytest.mark.parametrize("accept, expected", NEGOTIATION)
def test_entity_negotiation_table(
    http: httpx.Client, accept: str | None, expected: str | None
) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    if accept is None:
        headers = {"Accept": ""}
    r = http.get("/id/belarus", headers=headers)
    if expected is None:
        assert_error_shape(r, 406)
        return
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == expected
    assert "Accept" in r.headers["vary"]
    assert 'rel="alternate"; type="text/turtle"' in r.headers["link"]


@pytest.mark.parametrize("suffix, parser", [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")])
def test_entity_suffix_urls_describe_in_and_out(
    http: httpx.Client, suffix: str, parser: str
) -> None:
    r = http.get(f"/id/belarus.{suffix}")
    graph = Graph().parse(data=r.text, format=parser)
    assert (URIRef(BELARUS), RDFS.label, Literal("Belarus", lang="en")) in graph
    incoming = {str(s) for s, _, _ in graph.triples((None, None, URIRef(BELARUS)))}
    assert str(SCHEME.skolem("m-belarus-csto")) in incoming


def test_fact_iri_carries_its_evidence(http: httpx.Client) -> None:
    r = http.get("/.well-known/genid/m-belarus-csto", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=r.text, format="turtle")
    exact = URIRef("http://www.w3.org/ns/oa#exact")
    assert [str(o) for o in graph.objects(None, exact)] == [
        "Belarus joined the Collective Security Treaty Organization in 1994."
    ]


def test_unknown_iri_is_404(http: httpx.Client) -> None:
    assert_error_shape(http.get("/id/atlantis", headers={"Accept": "text/turtle"}), 404)
    assert_error_shape(http.get("/no/such/thing", headers={"Accept": "application/json"}), 404)
    html = http.get("/id/atlantis", headers={"Accept": "text/html"})
    assert html.status_code == 404 and "no resource" in html.text and "<html" in html.text


def test_document_and_ontology_negotiate(http: httpx.Client) -> None:
    doc = http.get("/doc/d1", headers={"Accept": "application/n-triples"})
    graph = Graph().parse(data=doc.text, format="nt")
    assert (URIRef(str(SCHEME.document("d1"))), None, None) in graph
    onto = http.get("/ontology", headers={"Accept": "text/turtle"})
    ograph = Graph().parse(data=onto.text, format="turtle")
    assert len(ograph) > 500
    assert http.get("/ontology.nt").headers["content-type"] == "application/n-triples"
    assert "Vary" in onto.headers or "vary" in onto.headers


# --------------------------------------------------------------------------- pages


def test_entity_page(http: httpx.Client) -> None:
    page = http.get("/id/belarus", headers={"Accept": "text/html"}).text
    assert "<h1>Belarus</h1>" in page
    assert '<a href="/ontology#State"' in page
    assert "Belarus joined the Collective Security Treaty Organization in 1994." in page
    assert '<a href="/doc/d1#char=0,67">Belarus and the CSTO</a>' in page
    assert '<a href="/id/russia"' in page  # the supplier, via the transfer fact
    assert '<link rel="alternate" type="text/turtle" href="/id/belarus.ttl">' in page


def test_document_page_highlights_every_quote(http: httpx.Client) -> None:
    page = http.get("/doc/d1", headers={"Accept": "text/html"}).text
    assert (
        '<mark data-passage="char=0,67">Belarus joined the Collective Security Treaty '
        "Organization in 1994.</mark>" in page
    )
    assert '<mark data-passage="char=84,101">Iskander missiles</mark>' in page
    assert '<li id="char=68,120">' in page
    assert 'href="/.well-known/genid/t-russia-belarus-iskander"' in page


def test_ontology_page(http: httpx.Client) -> None:
    page = http.get("/ontology", headers={"Accept": "text/html"}).text
    assert '<dt id="MilitaryAlliance">' in page
    assert "An international organisation whose members pledge military cooperation" in page


def test_home_page_with_figures_and_competency_questions(http: httpx.Client) -> None:
    page = http.get("/").text
    assert "Which states are in the dataset?" in page
    hrefs = re.findall(r'href="/query\?query=([^"]+)"', page)
    assert [unquote_plus(html.unescape(h)) for h in hrefs] == [
        "# Which states are in the dataset?\n" + STATES + "\n"
    ]
    assert "<strong>5</strong>entities" in page and "<strong>2</strong>documents" in page
    assert 'href="/.well-known/void"' in page


def test_query_page_runs_a_query(http: httpx.Client) -> None:
    page = http.get("/query", params={"query": STATES})
    assert page.status_code == 200
    assert '<a href="/id/belarus"' in page.text and "3 results" in page.text
    bad = http.get("/query", params={"query": "SELECT ("}, headers={"Accept": "text/html"})
    assert bad.status_code == 400 and "SPARQL syntax error" in bad.text


def test_void_and_downloads(http: httpx.Client) -> None:
    r = http.get("/.well-known/void", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=r.text, format="turtle")
    void = "http://rdfs.org/ns/void#"
    dataset = URIRef(str(SCHEME.dataset()))
    endpoint = URIRef(str(http.base_url).rstrip("/") + "/sparql")
    assert (dataset, URIRef(void + "sparqlEndpoint"), endpoint) in graph
    dumps = {str(o) for o in graph.objects(dataset, URIRef(void + "dataDump"))}
    nq = next(d for d in dumps if d.endswith("/downloads/linkedalliance.nq"))
    data = http.get(nq)
    assert data.status_code == 200 and data.headers["content-type"] == "application/n-quads"
    assert len(list(ox.parse(data.content, format=ox.RdfFormat.N_QUADS))) > 3000
    assert http.get("/downloads/texts/d1.txt").text.startswith("Belarus joined")
    assert_error_shape(
        http.get("/downloads/../serverdata.py", headers={"Accept": "application/json"}), 404
    )
    listing = http.get("/downloads/").text
    assert 'href="/downloads/linkedalliance.nq"' in listing


def test_static_css(http: httpx.Client) -> None:
    r = http.get("/-/static/style.css")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")


def test_id_lookups_are_fast(http: httpx.Client) -> None:
    started = time.monotonic()
    for _ in range(200):
        assert http.get("/id/belarus.nt").status_code == 200
    rate = 200 / (time.monotonic() - started)
    assert rate > 200, f"only {rate:.0f} lookups/s over one connection"


# --------------------------------------------------------------------------- apps and CLI


def test_two_apps_with_different_bases_coexist(tmp_path: Path, project: Path) -> None:
    from starlette.testclient import TestClient

    from linkedalliance.store import OxigraphStore

    other = OxigraphStore()
    other.add_graph(
        "http://example.org/la/graph/entities",
        [
            ox.Triple(
                ox.NamedNode("http://example.org/la/id/x"),
                ox.NamedNode(str(RDFS.label)),
                ox.Literal("X"),
            )
        ],
    )
    first = create_app(
        open_store(data_dir=None, dataset_file=project / "output" / "linkedalliance.nq"),
        Settings(output_dir=str(project / "output")),
    )
    second = create_app(
        other, Settings(base_iri="http://example.org/la/", output_dir=str(tmp_path))
    )
    a, b = TestClient(first), TestClient(second)
    assert a.get("/id/belarus.nt").status_code == 200
    assert b.get("/id/belarus.nt").status_code == 404
    assert (
        b.get("/id/x.nt").text == "<http://example.org/la/id/x> "
        '<http://www.w3.org/2000/01/rdf-schema#label> "X" .\n'
    )
    assert a.get("/id/x.nt").status_code == 404


def test_serve_get_prints_and_sets_exit_status(project: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(
        main,
        [
            "serve",
            "--no-build",
            "--setting",
            "output_dir",
            str(project / "output"),
            "--get",
            "/id/belarus",
            "-H",
            "Accept: text/turtle",
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert (URIRef(BELARUS), RDFS.label, Literal("Belarus", lang="en")) in Graph().parse(
        data=ok.stdout, format="turtle"
    )
    missing = runner.invoke(
        main,
        [
            "serve",
            "--no-build",
            "--setting",
            "output_dir",
            str(project / "output"),
            "--get",
            "/id/atlantis",
        ],
    )
    assert missing.exit_code == 1
    assert json.loads(missing.stdout)["status"] == 404
    query = runner.invoke(
        main,
        [
            "serve",
            "--no-build",
            "--setting",
            "output_dir",
            str(project / "output"),
            "--get",
            "/sparql?query=ASK%7B%7D",
        ],
    )
    assert query.exit_code == 0 and json.loads(query.stdout)["boolean"] is True


def test_serve_bad_setting_and_missing_output(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(main, ["serve", "--setting", "prot", "1", "--get", "/"])
    assert bad.exit_code == 2
    assert bad.stderr == "Error: unknown setting 'prot'; did you mean 'port'?\n"
    missing = runner.invoke(
        main,
        ["serve", "--no-build", "--setting", "output_dir", str(tmp_path / "none"), "--get", "/"],
    )
    assert missing.exit_code == 2
    assert "run `linkedalliance build` first" in missing.stderr


@pytest.mark.parametrize("cache", [4096, 0])
def test_lookups_follow_writes_with_and_without_the_body_cache(tmp_path: Path, cache: int) -> None:
    """A triple held by two graphs is described once; the cached body is dropped as soon
    as the store changes (merge, replace, remove)."""
    from starlette.testclient import TestClient

    from linkedalliance.store import OxigraphStore

    x = ox.NamedNode(str(SCHEME.entity("x")))
    label = ox.NamedNode(str(RDFS.label))
    first, second = str(SCHEME.graph("a")), str(SCHEME.graph("b"))
    store = OxigraphStore()
    store.add_graph(first, [ox.Triple(x, label, ox.Literal("X"))])
    store.add_graph(second, [ox.Triple(x, label, ox.Literal("X"))])
    client = TestClient(create_app(store, Settings(output_dir=str(tmp_path), lookup_cache=cache)))

    def labels() -> list[str]:
        response = client.get("/id/x", headers={"Accept": "application/n-triples"})
        if response.status_code == 404:
            return []
        assert response.status_code == 200 and 'rel="alternate"' in response.headers["link"]
        return sorted(line.split('"')[1] for line in response.text.splitlines())

    assert labels() == ["X"] and labels() == ["X"]
    turtle = client.get("/id/x.ttl").text
    # the project's standard prefixes, as in the published dump (output/linkedalliance.ttl)
    declared = [line.split()[1] for line in turtle.splitlines() if line.startswith("@prefix")]
    assert sorted(declared) == sorted(f"{name}:" for name in PREFIXES)
    assert "id:x rdfs:label" in turtle
    assert client.get("/id/x.ttl").text == turtle
    store.add_graph(first, [ox.Triple(x, label, ox.Literal("Y"))])
    assert labels() == ["X", "Y"]
    store.remove_graph(second)
    assert labels() == ["Y"]
    store.remove_graph(first)
    assert labels() == [] and client.get("/id/x.ttl").status_code == 404
    assert client.get("/id/x", headers={"Accept": "image/png"}).status_code == 404
