"""HTTP contributions: POST /contributions with every answer, GET /contributions[/{n}]."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from linkedalliance.contrib import open_data_store
from linkedalliance.namespaces import IriScheme
from linkedalliance.server.app import create_app
from linkedalliance.settings import Settings

DATA = Path(__file__).resolve().parent / "data" / "contrib"
TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}


def make_client(tmp_path: Path, seed_build, token: str | None = TOKEN) -> TestClient:  # type: ignore[no-untyped-def]
    store = open_data_store(
        tmp_path / "data", seed_build.output_dir / "linkedalliance.nq", scheme=IriScheme()
    )
    settings = Settings(
        data_dir=str(tmp_path / "data"), output_dir=str(seed_build.output_dir), write_token=token
    )
    app = create_app(store, settings)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(tmp_path: Path, seed_build) -> TestClient:  # type: ignore[no-untyped-def]
    return make_client(tmp_path, seed_build)


def test_merge_then_duplicate_then_list_and_show(client: TestClient) -> None:
    body = (DATA / "merged.ttl").read_bytes()
    r = client.post("/contributions", content=body, headers=AUTH)
    assert r.status_code == 201, r.text
    assert r.headers["location"] == "https://w3id.org/linkedalliance/contribution/1"
    assert r.json()["contribution"] == 1 and r.json()["triples"] == 22
    r = client.post("/contributions", content=body, headers=AUTH)
    assert r.status_code == 200 and r.json()["status"] == "already-merged"
    listed = client.get("/contributions").json()["contributions"]
    assert [c["number"] for c in listed] == [1]
    assert client.get("/contributions/1").json()["by"] == "anonymous (HTTP)"
    nt = client.get("/contributions/1", headers={"Accept": "text/turtle"}).text
    assert "epoch-times-south-caucasus-backyard" in nt
    assert client.get("/contributions/2").status_code == 404


def test_rejected_answers_422_with_the_report_as_json_or_shacl_turtle(client: TestClient) -> None:
    body = (DATA / "rejected.ttl").read_bytes()
    r = client.post("/contributions", content=body, headers=AUTH)
    assert r.status_code == 422
    report = r.json()
    assert report["conforms"] is False
    assert report == json.loads((DATA / "rejected.report.json").read_text())
    r = client.post("/contributions", content=body, headers={**AUTH, "Accept": "text/turtle"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/turtle")
    from rdflib import Graph
    from rdflib.namespace import SH

    g = Graph().parse(data=r.text, format="turtle")
    assert len(list(g.objects(None, SH.result))) == 5
    assert client.get("/contributions").json()["contributions"] == []


def test_error_answers(client: TestClient, tmp_path: Path, seed_build) -> None:  # type: ignore[no-untyped-def]
    body = (DATA / "merged.ttl").read_bytes()
    r = client.post("/contributions", content=body, headers={"Content-Type": "text/turtle"})
    assert r.status_code == 401 and "Bearer" in r.json()["error"]
    r = client.post(
        "/contributions", content=body, headers={**AUTH, "Authorization": "Bearer wrong"}
    )
    assert r.status_code == 403
    r = client.post("/contributions", content=body, headers={**AUTH, "Content-Type": "text/csv"})
    assert r.status_code == 415
    r = client.post("/contributions", content=b"@prefix : <http://e/> .\n:a :b .\n", headers=AUTH)
    assert r.status_code == 400 and r.json()["line"] == 2
    r = client.post("/contributions", content=b"x" * 2_000_001, headers=AUTH)
    assert r.status_code == 413
    off = make_client(tmp_path / "off", seed_build, token=None)
    r = off.post("/contributions", content=body, headers=AUTH)
    assert r.status_code == 403 and "writes are off" in r.json()["error"]
