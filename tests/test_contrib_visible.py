"""A merged contribution is part of the SPARQL default graph (the union) at once, and a
revert takes it out again, without touching what the seed documents say."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from linkedalliance.contrib import make_context, open_data_store
from linkedalliance.contrib.merge import Contributions
from linkedalliance.namespaces import IriScheme
from linkedalliance.server.app import create_app
from linkedalliance.settings import Settings
from test_contrib_http import AUTH, DATA, TOKEN

ASK = (
    "ASK { <https://w3id.org/linkedalliance/id/epoch-times-south-caucasus-backyard> "
    "a <https://w3id.org/linkedalliance/ontology#Statement> }"
)
COUNT_BELARUS = (
    "SELECT (COUNT(*) AS ?n) WHERE { <https://w3id.org/linkedalliance/id/belarus> ?p ?o }"
)


def _ask(client: TestClient) -> bool:
    r = client.get(
        "/sparql", params={"query": ASK}, headers={"Accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200, r.text
    return bool(r.json()["boolean"])


def _count(client: TestClient) -> int:
    r = client.get(
        "/sparql",
        params={"query": COUNT_BELARUS},
        headers={"Accept": "application/sparql-results+json"},
    )
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_merged_fact_is_in_the_default_graph_until_reverted(
    tmp_path: Path,
    seed_build,
    repo_root: Path,  # type: ignore[no-untyped-def]
) -> None:
    out = seed_build.output_dir
    store = open_data_store(tmp_path / "data", out / "linkedalliance.nq", scheme=IriScheme())
    settings = Settings(
        data_dir=str(tmp_path / "data"),
        output_dir=str(out),
        write_token=TOKEN,
        project_dir=str(repo_root),
    )
    client = TestClient(create_app(store, settings), raise_server_exceptions=False)
    before = _count(client)
    assert not _ask(client)
    r = client.post("/contributions", content=(DATA / "merged.ttl").read_bytes(), headers=AUTH)
    assert r.status_code == 201, r.text
    assert _ask(client)
    assert _count(client) == before  # the contribution says nothing about Belarus itself
    service = Contributions(
        store, make_context(store, project_dir=repo_root, texts_dir=out / "texts")
    )
    service.revert(1, by="maintainer")
    assert not _ask(client)
    assert _count(client) == before
