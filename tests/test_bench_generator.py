"""The benchmark's synthetic data generator (bench/generate.py), at small sizes only."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[1]
LA = "https://w3id.org/linkedalliance/ontology#"
OA = "http://www.w3.org/ns/oa#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"


def _load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.fixture(scope="module")
def small():
    return gen.generate(3000, seed=7)


@pytest.fixture(scope="module")
def store(small):
    s = ox.Store()
    s.load("".join(small.lines).encode(), format=ox.RdfFormat.N_QUADS)
    return s


def test_same_arguments_give_identical_bytes(tmp_path):
    a, b = tmp_path / "a.nq", tmp_path / "b.nq"
    assert gen.main(["--triples", "2k", "--seed", "3", "--out", str(a)]) == 0
    assert gen.main(["--triples", "2000", "--seed", "3", "--out", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    lines = a.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines == sorted(lines)


def test_another_seed_gives_other_data():
    assert gen.generate(1000, seed=1).lines != gen.generate(1000, seed=2).lines


@pytest.mark.parametrize("size", [500, 1000, 2500, 5000])
def test_requested_size_within_five_percent(size):
    data = gen.generate(size)
    assert abs(len(data.lines) - size) <= 0.05 * size
    assert len(set(data.lines)) == len(data.lines)


def test_parses_with_pyoxigraph(small, store):
    assert len(store) == len(small.lines)
    graphs = {str(g.value) for g in store.named_graphs()}
    assert "https://w3id.org/linkedalliance/graph/entities" in graphs
    docs = {g for g in graphs if g.startswith("https://w3id.org/linkedalliance/graph/doc/synth-")}
    assert len(docs) == small.documents > 1


def test_has_every_fact_kind(store):
    found = {
        str(row["c"].value).removeprefix(LA)
        for row in store.query("SELECT DISTINCT ?c WHERE { GRAPH ?g { ?x a ?c } }")
    }
    assert set(gen.FACT_CLASSES) <= found
    assert {"State", "Person", "Post", "WeaponSystem", "SourceDocument", "Evidence"} <= found


def test_every_fact_has_evidence_in_each_graph_it_appears_in(store):
    values = " ".join(f"<{LA}{c}>" for c in gen.FACT_CLASSES)
    missing = list(
        store.query(
            f"""SELECT ?fact ?g WHERE {{
                VALUES ?class {{ {values} }}
                GRAPH ?g {{ ?fact a ?class FILTER NOT EXISTS {{ ?fact <{LA}evidence> ?e }} }}
            }}"""
        )
    )
    assert missing == []
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?f <{LA}evidence> ?e }} }}"
    facts = list(store.query(query))
    assert int(facts[0]["n"].value) > 50


def test_evidence_quotes_match_their_offsets(small, store):
    rows = list(
        store.query(
            f"""SELECT ?ev ?doc ?exact ?prefix ?suffix ?start ?end ?begin ?stop ?g WHERE {{
                GRAPH ?g {{
                    ?fact <{LA}evidence> ?ev .
                    ?ev a <{LA}Evidence> ; <{OA}hasSource> ?doc ;
                        <{OA}hasSelector> ?q, ?p ;
                        <{NIF}beginIndex> ?begin ; <{NIF}endIndex> ?stop .
                    ?q a <{OA}TextQuoteSelector> ; <{OA}exact> ?exact ;
                       <{OA}prefix> ?prefix ; <{OA}suffix> ?suffix .
                    ?p a <{OA}TextPositionSelector> ; <{OA}start> ?start ; <{OA}end> ?end .
                }}
            }}"""
        )
    )
    assert len(rows) == small.facts
    for row in rows:
        text = small.texts[row["doc"].value]
        start, end = int(row["start"].value), int(row["end"].value)
        exact = row["exact"].value
        assert (int(row["begin"].value), int(row["stop"].value)) == (start, end)
        assert 0 <= start < end <= len(text)
        assert text[start:end] == exact
        assert text.count(exact) == 1
        assert text[:start].endswith(row["prefix"].value)
        assert text[end:].startswith(row["suffix"].value)
        assert row["g"].value.endswith("/graph/doc/" + row["doc"].value.rsplit("/", 1)[1])
        assert row["ev"].value == f"{row['doc'].value}#char={start},{end}"


def test_documents_describe_their_text(small, store):
    rows = list(
        store.query(
            f"""SELECT ?doc ?sha ?count WHERE {{ GRAPH ?g {{
                ?doc a <{LA}SourceDocument> ; <{LA}textSha256> ?sha ; <{LA}characterCount> ?count
            }} }}"""
        )
    )
    assert len(rows) == small.documents
    for row in rows:
        text = small.texts[row["doc"].value]
        assert row["sha"].value == hashlib.sha256(text.encode()).hexdigest()
        assert int(row["count"].value) == len(text)
    # offsets count code points: some documents carry non-ASCII text
    assert any(len(t.encode()) != len(t) for t in small.texts.values())


def _union_graph(lines):
    from rdflib import Graph

    quads = ox.parse("".join(lines).encode(), format=ox.RdfFormat.N_QUADS)
    triples = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=triples.decode(), format="nt")


def test_small_graph_conforms_to_the_project_shapes():
    from linkedalliance import validation

    shapes_dir = ROOT / "shapes"
    from rdflib import Graph

    shapes = validation.load_shapes(shapes_dir)
    ontology = Graph().parse(ROOT / "ontology" / "linkedalliance.ttl")
    lines = gen.generate(1500, seed=11).lines
    report = validation.validate_graph(_union_graph(lines), shapes=shapes, ontology=ontology)
    assert report.conforms, report.text()
    # the shapes do apply to the generated nodes: a fact without its evidence is reported
    broken = [line for line in lines if f"<{LA}evidence>" not in line]
    report = validation.validate_graph(_union_graph(broken), shapes=shapes, ontology=ontology)
    assert not report.conforms
