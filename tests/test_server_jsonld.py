"""JSON-LD answers for entities use the build's published @context (short terms) and say
exactly what the Turtle answer says."""

from __future__ import annotations

import json

import pyoxigraph as ox
from starlette.testclient import TestClient

from linkedalliance.server.app import create_app
from linkedalliance.settings import Settings
from linkedalliance.store import open_store


def _triples(body: bytes, fmt: ox.RdfFormat) -> set[tuple[str, str, str]]:
    return {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in ox.parse(body, format=fmt)
        if not isinstance(q.object, ox.BlankNode)
    }


def test_entity_jsonld_is_compact_and_equals_turtle(seed_build) -> None:  # type: ignore[no-untyped-def]
    out = seed_build.output_dir
    store = open_store(data_dir=None, dataset_file=out / "linkedalliance.nq")
    client = TestClient(create_app(store, Settings(output_dir=str(out), query_workers=1)))
    jsonld = client.get("/id/belarus-sco-membership", headers={"Accept": "application/ld+json"})
    turtle = client.get("/id/belarus-sco-membership", headers={"Accept": "text/turtle"})
    assert jsonld.status_code == 200 and turtle.status_code == 200
    doc = json.loads(jsonld.content)
    published = json.loads((out / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert doc["@context"] == published
    node = next(n for n in doc["@graph"] if n["@id"] == "id:belarus-sco-membership")
    assert node["organization"] == "id:sco"
    assert node["member"] == "id:belarus"
    as_jsonld = _triples(jsonld.content, ox.RdfFormat.JSON_LD)
    assert as_jsonld and as_jsonld == _triples(turtle.content, ox.RdfFormat.TURTLE)


CONSTRUCT = """PREFIX la: <https://w3id.org/linkedalliance/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
CONSTRUCT { ?m org:member ?who ; org:organization ?org ; la:evidence ?ev . ?ev ?p ?o }
WHERE { ?m a la:Membership ; org:member ?who ; org:organization ?org ; la:evidence ?ev .
        ?ev ?p ?o }"""


def test_construct_jsonld_uses_the_published_context(seed_build) -> None:  # type: ignore[no-untyped-def]
    """SPARQL CONSTRUCT as JSON-LD (worker process) speaks the same short terms as the
    dataset download, and says what the Turtle answer says (read by pyoxigraph)."""
    out = seed_build.output_dir
    store = open_store(data_dir=None, dataset_file=out / "linkedalliance.nq")
    app = create_app(store, Settings(output_dir=str(out), query_workers=1))
    try:
        client = TestClient(app)
        jsonld = client.post(
            "/sparql",
            content=CONSTRUCT,
            headers={"Content-Type": "application/sparql-query", "Accept": "application/ld+json"},
        )
        turtle = client.post(
            "/sparql",
            content=CONSTRUCT,
            headers={"Content-Type": "application/sparql-query", "Accept": "text/turtle"},
        )
    finally:
        app.state.la.runner.close()
    assert jsonld.status_code == 200 and turtle.status_code == 200
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    doc = json.loads(jsonld.content)
    published = json.loads((out / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert doc["@context"] == published
    membership = next(n for n in doc["@graph"] if n["@id"] == "id:belarus-sco-membership")
    assert membership["organization"] == "id:sco" and membership["member"] == "id:belarus"
    as_jsonld = _triples(jsonld.content, ox.RdfFormat.JSON_LD)
    assert len(as_jsonld) > 100
    assert as_jsonld == _triples(turtle.content, ox.RdfFormat.TURTLE)


def test_cli_construct_jsonld_compact_with_a_build_expanded_without(seed_build, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from linkedalliance.cli import main

    out = seed_build.output_dir
    args = ["query", CONSTRUCT, "--format", "jsonld", "--data", str(out / "linkedalliance.nq")]
    compact = CliRunner().invoke(main, [*args, "--output-dir", str(out)])
    assert compact.exit_code == 0, compact.output
    assert json.loads(compact.stdout)["@context"]["member"]
    expanded = CliRunner().invoke(main, [*args, "--output-dir", str(tmp_path)])  # no context
    assert expanded.exit_code == 0, expanded.output
    assert "@context" not in expanded.stdout
    both = [_triples(r.stdout.encode(), ox.RdfFormat.JSON_LD) for r in (compact, expanded)]
    assert both[0] and both[0] == both[1]
