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
