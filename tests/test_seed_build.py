"""The real seeds: the graph builds, conforms, and every quote stands at its offsets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

EVIDENCE = """
PREFIX la: <https://w3id.org/linkedalliance/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?fact ?doc ?exact ?start ?end WHERE {
  ?fact la:evidence ?ev .
  ?ev oa:hasSource ?doc ; oa:hasSelector ?q, ?p .
  ?q a oa:TextQuoteSelector ; oa:exact ?exact .
  ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
}"""


def test_seed_graph_conforms(seed_build) -> None:  # type: ignore[no-untyped-def]
    assert seed_build.conforms
    assert seed_build.quotes_verified >= 150
    assert seed_build.fact_nodes >= 100
    docs = [g for g in seed_build.triples_per_graph if "/graph/doc/" in g]
    assert len(docs) == 5


def test_every_quote_matches_its_document_at_its_offsets(seed_build, seed_store) -> None:  # type: ignore[no-untyped-def]
    texts = {
        p.stem: p.read_text(encoding="utf-8")
        for p in (seed_build.output_dir / "texts").glob("*.txt")
    }
    rows = list(seed_store.query(EVIDENCE, use_default_graph_as_union=True))
    assert len(rows) >= 150
    for row in rows:
        doc_id = row["doc"].value.rsplit("/", 1)[1]
        start, end = int(row["start"].value), int(row["end"].value)
        assert texts[doc_id][start:end] == row["exact"].value, (doc_id, start, end)


def test_each_fact_evidence_is_in_its_documents_graph(seed_store) -> None:  # type: ignore[no-untyped-def]
    query = """
    PREFIX la: <https://w3id.org/linkedalliance/ontology#>
    PREFIX oa: <http://www.w3.org/ns/oa#>
    SELECT ?g ?doc WHERE { GRAPH ?g { ?fact la:evidence ?ev . ?ev oa:hasSource ?doc } }"""
    rows = list(seed_store.query(query))
    assert rows
    for row in rows:
        assert row["g"].value.endswith("/graph/doc/" + row["doc"].value.rsplit("/", 1)[1])


def test_documents_have_metadata(seed_store) -> None:  # type: ignore[no-untyped-def]
    query = """
    PREFIX la: <https://w3id.org/linkedalliance/ontology#>
    PREFIX schema: <https://schema.org/>
    SELECT ?doc ?date WHERE { ?doc a la:SourceDocument ; schema:datePublished ?date ;
                                   la:textSha256 ?sha }"""
    rows = {
        r["doc"].value.rsplit("/", 1)[1]: r["date"]
        for r in seed_store.query(query, use_default_graph_as_union=True)
    }
    assert len(rows) == 5
    assert rows["002_7a4dc387c560549b"] == ox.Literal(
        "2017-04-03", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    )


def test_no_curation_shorthand_is_published(seed_build) -> None:  # type: ignore[no-untyped-def]
    data = (seed_build.output_dir / "linkedalliance.nq").read_text(encoding="utf-8")
    assert "ontology#quote>" not in data.replace(
        "<https://w3id.org/linkedalliance/ontology#quote> <http", ""
    )  # the ontology defines it


def test_two_cli_builds_are_byte_identical(repo_root: Path, tmp_path: Path) -> None:
    for name in ("a", "b"):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "linkedalliance",
                "build",
                "-q",
                "--project-dir",
                str(repo_root),
                "-o",
                str(tmp_path / name),
            ],
            check=True,
            capture_output=True,
        )
    files_a = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    files_b = sorted(
        p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file()
    )
    assert files_a == files_b and files_a
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
