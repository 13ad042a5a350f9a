"""The store interface: embedded (memory and disk), atomic graph writes, the query pool,
and RemoteSparqlStore against a real `oxigraph serve` on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from linkedalliance.errors import QueryError, QueryTimeout
from linkedalliance.querypool import ProcessQueryRunner, QueryRequest
from linkedalliance.store import (
    OxigraphStore,
    QueryDataset,
    RemoteSparqlStore,
    Store,
    UpdateRefused,
    open_store,
)
from serverdata import SCHEME, dataset_quads, write_output

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
EX = "http://example.org/"


def count(store: Store, sparql: str = COUNT, dataset: QueryDataset | None = None) -> int:
    value = store.query(sparql, dataset=dataset).rows[0][0]
    assert isinstance(value, ox.Literal)
    return int(value.value)


@pytest.fixture
def fresh_store() -> OxigraphStore:
    store = OxigraphStore()
    store.bulk_add(dataset_quads())
    return store


def test_default_graph_is_union_of_named_graphs(fresh_store: OxigraphStore) -> None:
    assert count(fresh_store) == len(fresh_store)
    only_entities = QueryDataset(default_graphs=(str(SCHEME.graph("entities")),))
    assert count(fresh_store, dataset=only_entities) == 10


def test_named_graph_uri_restricts_graph_clause(fresh_store: OxigraphStore) -> None:
    ds = QueryDataset(named_graphs=(str(SCHEME.graph("entities")),))
    result = fresh_store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", dataset=ds)
    assert [r[0] for r in result.rows] == [ox.NamedNode(str(SCHEME.graph("entities")))]


def test_max_rows_truncates_and_flags(fresh_store: OxigraphStore) -> None:
    result = fresh_store.query("SELECT * WHERE { ?s ?p ?o }", max_rows=5)
    assert len(result.rows) == 5 and result.truncated
    full = fresh_store.query("SELECT * WHERE { ?s a ?t } LIMIT 3", max_rows=5)
    assert len(full.rows) == 3 and not full.truncated


@pytest.mark.parametrize("kind", ["select", "construct"])
def test_max_rows_boundary(fresh_store: OxigraphStore, kind: str) -> None:
    """Exactly ``max_rows`` answers are not cut; one more is, and keeps the first ones."""
    where = "WHERE { ?s a ?t }"
    query = f"SELECT ?s ?t {where}" if kind == "select" else f"CONSTRUCT {where}"
    whole = fresh_store.query(query)
    n = len(whole)
    assert n > 2 and not whole.truncated
    exact = fresh_store.query(query, max_rows=n)
    assert len(exact) == n and not exact.truncated
    cut = fresh_store.query(query, max_rows=n - 1)
    assert len(cut) == n - 1 and cut.truncated
    if kind == "select":
        assert cut.variables == ("s", "t") and cut.rows == whole.rows[: n - 1]
    else:
        assert cut.kind == "graph" and cut.triples == whole.triples[: n - 1]


def test_bad_query_carries_parser_message(fresh_store: OxigraphStore) -> None:
    with pytest.raises(QueryError, match=r"SPARQL syntax error: error at 1:\d+") as info:
        fresh_store.query("SELECT * WHERE { ?s ?p }")
    assert info.value.status == 400


def test_update_refused_and_data_unchanged(fresh_store: OxigraphStore) -> None:
    before = len(fresh_store)
    for update in (
        "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "PREFIX e: <http://e/>\nDELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
        "CLEAR DEFAULT",
    ):
        with pytest.raises(UpdateRefused) as info:
            fresh_store.query(update)
        assert info.value.status == 403
    assert len(fresh_store) == before


def test_add_graph_replaces_atomically_and_remove_graph(fresh_store: OxigraphStore) -> None:
    g = f"{EX}contribution/1"
    gen = fresh_store.generation
    first = [
        ox.Triple(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}p"), ox.Literal(str(i)))
        for i in range(3)
    ]
    assert fresh_store.add_graph(g, first) == 3
    second = [ox.Triple(ox.NamedNode(f"{EX}b"), ox.NamedNode(f"{EX}p"), ox.BlankNode())]
    fresh_store.add_graph(g, second)
    in_g = list(fresh_store.quads(graph=ox.NamedNode(g)))
    assert [q.subject for q in in_g] == [ox.NamedNode(f"{EX}b")]
    assert fresh_store.generation == gen + 2
    assert fresh_store.remove_graph(g) is True
    assert fresh_store.remove_graph(g) is False
    assert ox.NamedNode(g) not in fresh_store.graph_names()


def test_failed_add_graph_leaves_graph_unchanged(fresh_store: OxigraphStore) -> None:
    g = f"{EX}contribution/2"
    fresh_store.add_graph(
        g, [ox.Triple(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}p"), ox.Literal("kept"))]
    )

    def bad() -> Iterator[ox.Triple]:
        yield ox.Triple(ox.NamedNode(f"{EX}x"), ox.NamedNode(f"{EX}p"), ox.Literal("new"))
        raise RuntimeError("contribution stream broke")

    with pytest.raises(RuntimeError):
        fresh_store.add_graph(g, bad())
    assert [q.object for q in fresh_store.quads(graph=ox.NamedNode(g))] == [ox.Literal("kept")]


def test_on_disk_store_persists_between_opens(tmp_path: Path) -> None:
    out = write_output(tmp_path / "output")
    data_dir = tmp_path / "data"
    store = open_store(data_dir=data_dir, dataset_file=out / "linkedalliance.nq")
    n = len(store)
    store.add_graph(
        f"{EX}g", [ox.Triple(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}p"), ox.Literal("x"))]
    )
    store.close()
    del store
    reopened = open_store(data_dir=data_dir, dataset_file=out / "linkedalliance.nq")
    assert len(reopened) == n + 1  # not loaded twice


# --------------------------------------------------------------------------- the query pool

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture
def big_store() -> OxigraphStore:
    store = OxigraphStore()
    store.bulk_add(dataset_quads(bulk=3000))
    return store


@pytest.mark.slow
def test_runaway_query_is_stopped_while_others_are_answered(big_store: OxigraphStore) -> None:
    runner = ProcessQueryRunner(big_store, time_limit_s=2.0, max_rows=100, workers=2)
    try:
        runner.run(QueryRequest("ASK { ?s ?p ?o }"))  # wait for the workers
        outcome: dict[str, object] = {}

        def runaway() -> None:
            started = time.monotonic()
            try:
                runner.run(QueryRequest(RUNAWAY))
            except QueryTimeout as exc:
                outcome["error"] = exc
            outcome["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=runaway)
        thread.start()
        time.sleep(0.3)
        simple = runner.run(
            QueryRequest(
                "SELECT ?s WHERE { ?s a <https://w3id.org/linkedalliance/ontology#State> }",
                results_format="csv",
            )
        )
        assert simple.body.count(b"\r\n") == 4  # header + 3 states, answered meanwhile
        thread.join(10)
        assert isinstance(outcome.get("error"), QueryTimeout)
        assert outcome["error"].status == 503  # type: ignore[attr-defined]
        assert 1.9 < outcome["seconds"] < 4  # type: ignore[operator]
        assert runner.kills == 1
        # the pool recovers: the replacement worker answers
        again = runner.run(QueryRequest("ASK { ?s ?p ?o }"))
        assert b'"boolean": true' in again.body
    finally:
        runner.close()


@pytest.mark.slow
def test_pool_sees_writes_and_reports_errors(fresh_store: OxigraphStore) -> None:
    runner = ProcessQueryRunner(fresh_store, time_limit_s=5.0, max_rows=2, workers=1)
    try:
        ask = QueryRequest(f"ASK {{ <{EX}new> ?p ?o }}")
        assert b"false" in runner.run(ask).body
        fresh_store.add_graph(
            f"{EX}g", [ox.Triple(ox.NamedNode(f"{EX}new"), ox.NamedNode(f"{EX}p"), ox.Literal("1"))]
        )
        assert b"true" in runner.run(ask).body
        cut = runner.run(QueryRequest("SELECT * WHERE { ?s ?p ?o }"))
        assert cut.truncated and cut.count == 2
        with pytest.raises(QueryError, match="SPARQL syntax error") as info:
            runner.run(QueryRequest("SELECT nonsense"))
        assert info.value.status == 400
    finally:
        runner.close()


@pytest.mark.slow
def test_pool_over_on_disk_store(tmp_path: Path) -> None:
    out = write_output(tmp_path / "output")
    store = open_store(data_dir=tmp_path / "data", dataset_file=out / "linkedalliance.nq")
    runner = store.runner(time_limit_s=5.0, max_rows=100, workers=1)
    try:
        body = runner.run(QueryRequest(COUNT, results_format="tsv")).body
        assert body.splitlines()[1].startswith(f'"{len(store)}"'.encode())
    finally:
        runner.close()


# --------------------------------------------------------------------------- remote store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    # The `oxigraph` package (a test dependency) installs its server beside this Python.
    beside = Path(sys.executable).parent / "oxigraph"
    exe = str(beside) if beside.is_file() else shutil.which("oxigraph")
    assert exe is not None, "the oxigraph CLI is missing: pip install -e '.[test]'"
    port = free_port()
    process = subprocess.Popen(
        [
            exe,
            "serve",
            "--location",
            str(tmp_path / "remote"),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(10)


def test_remote_store_against_oxigraph_server(oxigraph_server: str) -> None:
    remote = RemoteSparqlStore(
        f"{oxigraph_server}/query", update_endpoint=f"{oxigraph_server}/update"
    )
    try:
        triples = [
            q.triple
            for q in dataset_quads()
            if q.graph_name == ox.NamedNode(str(SCHEME.graph("entities")))
        ]
        assert remote.add_graph(str(SCHEME.graph("entities")), triples) == len(triples)
        assert remote.graph_names() == [ox.NamedNode(str(SCHEME.graph("entities")))]
        assert count(remote) == len(triples)
        result = remote.query(
            "SELECT ?l WHERE { <https://w3id.org/linkedalliance/id/belarus> "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        )
        assert result.rows == ((ox.Literal("Belarus", language="en"),),)
        graph = remote.query("CONSTRUCT WHERE { ?s a ?t }", max_rows=2)
        assert graph.kind == "graph" and len(graph.triples) == 2 and graph.truncated
        assert remote.query("ASK { ?s ?p ?o }").boolean is True
        subjects = {
            q.subject
            for q in remote.quads(
                object=ox.NamedNode("https://w3id.org/linkedalliance/ontology#State")
            )
        }
        assert ox.NamedNode(str(SCHEME.entity("russia"))) in subjects
        with pytest.raises(QueryError):
            remote.query("SELECT * WHERE { ?s ?p }")
        with pytest.raises(UpdateRefused):
            remote.query("DROP ALL")
        assert remote.remove_graph(str(SCHEME.graph("entities"))) is True
        assert count(remote) == 0
    finally:
        remote.close()
