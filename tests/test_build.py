"""The build on a tiny project: evidence, determinism, exports, and failures that write nothing."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from linkedalliance.build import assemble, build
from linkedalliance.cli import main
from linkedalliance.errors import CorpusError, QuoteNotFound, RdfSyntaxError
from linkedalliance.namespaces import LA, OA

OUTPUT_FILES = [
    "linkedalliance.nq",
    "linkedalliance.trig",
    "linkedalliance.ttl",
    "linkedalliance.jsonld",
    "context.jsonld",
    "void.ttl",
    "validation-report.ttl",
    "ontology.ttl",
    "texts/doc1.txt",
]


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_quotes_become_evidence_with_offsets(mini_project: Path) -> None:
    dataset = assemble(mini_project)
    text = (mini_project / "seeds" / "doc1.txt").read_text(encoding="utf-8")
    union = dataset.union()
    assert not list(union.triples((None, LA.quote, None)))
    evidence = sorted(union.objects(None, LA.evidence))
    assert len(evidence) == 2
    for ev in evidence:
        selectors = list(union.objects(ev, OA.hasSelector))
        exact = next(str(o) for s in selectors for o in union.objects(s, OA.exact))
        start = next(int(o) for s in selectors for o in union.objects(s, OA.start))
        end = next(int(o) for s in selectors for o in union.objects(s, OA.end))
        assert text[start:end] == exact
        assert str(ev).endswith(f"#char={start},{end}")


def test_inference_goes_to_its_own_graph(mini_project: Path) -> None:
    dataset = assemble(mini_project)
    inferred = dataset.graphs[dataset.scheme.graph("inferred")]
    belarus = dataset.scheme.entity("belarus")
    sco = dataset.scheme.entity("sco")
    assert (belarus, LA.memberOf, sco) in inferred
    doc_graph = dataset.graphs[dataset.scheme.document_graph("doc1")]
    assert (belarus, LA.memberOf, sco) not in doc_graph


def test_build_writes_every_file_and_is_byte_identical(mini_project: Path, tmp_path: Path) -> None:
    first = build(mini_project, tmp_path / "a")
    second = build(mini_project, tmp_path / "b")
    assert first.conforms and second.conforms
    a, b = _snapshot(tmp_path / "a"), _snapshot(tmp_path / "b")
    for name in OUTPUT_FILES:
        assert name in a, name
    assert a == b


def test_outputs_parse_with_pyoxigraph_and_agree(mini_project: Path, tmp_path: Path) -> None:
    build(mini_project, tmp_path)

    def load(name: str, fmt: ox.RdfFormat) -> Counter[tuple[str, ...]]:
        # Blank-node labels are not kept by parsers: compare with blank nodes masked.
        return Counter(
            tuple("_" if isinstance(t, ox.BlankNode) else str(t) for t in q)
            for q in ox.parse(path=str(tmp_path / name), format=fmt)
        )

    nquads = load("linkedalliance.nq", ox.RdfFormat.N_QUADS)
    trig = load("linkedalliance.trig", ox.RdfFormat.TRIG)
    jsonld = load("linkedalliance.jsonld", ox.RdfFormat.JSON_LD)
    assert nquads and nquads == trig == jsonld
    turtle = load("linkedalliance.ttl", ox.RdfFormat.TURTLE)
    assert {q[:3] for q in turtle} == {q[:3] for q in nquads}
    graphs = {q[3] for q in nquads}
    assert "<https://w3id.org/linkedalliance/graph/doc/doc1>" in graphs
    assert "<https://w3id.org/linkedalliance/graph/inferred>" in graphs


def test_jsonld_uses_short_terms_from_the_context(mini_project: Path, tmp_path: Path) -> None:
    build(mini_project, tmp_path)
    context = json.loads((tmp_path / "context.jsonld").read_text())["@context"]
    assert context["memberOrdinal"] == "la:memberOrdinal"
    assert context["evidence"] == {"@id": "la:evidence", "@type": "@id"}
    doc = json.loads((tmp_path / "linkedalliance.jsonld").read_text())
    nodes = [n for g in doc["@graph"] for n in g["@graph"]]
    membership = next(n for n in nodes if n["@id"] == "id:belarus-sco-membership")
    assert membership["organization"] == "id:sco"
    assert membership["startDate"] == {"@value": "2024-07-04", "@type": "xsd:date"}


def test_void_counts_match(mini_project: Path, tmp_path: Path) -> None:
    summary = build(mini_project, tmp_path)
    store = ox.Store()
    store.load(path=str(tmp_path / "void.ttl"), format=ox.RdfFormat.TURTLE)
    rows = list(
        store.query(
            "PREFIX void: <http://rdfs.org/ns/void#> "
            "SELECT ?t WHERE { <https://w3id.org/linkedalliance/dataset> void:triples ?t }"
        )
    )
    assert int(rows[0]["t"].value) == sum(summary.triples_per_graph.values())


def _break_quote(project: Path) -> None:
    ttl = project / "seeds" / "doc1.ttl"
    ttl.write_text(ttl.read_text().replace("becoming its 10th member", "becoming its 9th member"))


def test_quote_not_in_document_fails_and_writes_nothing(mini_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(mini_project, out)
    before = _snapshot(out)
    _break_quote(mini_project)
    with pytest.raises(QuoteNotFound) as info:
        build(mini_project, out)
    assert "doc1.ttl" in str(info.value) and "9th member" in str(info.value)
    assert _snapshot(out) == before


def test_ambiguous_quote_is_refused(mini_project: Path) -> None:
    ttl = mini_project / "seeds" / "doc1.ttl"
    ttl.write_text(
        ttl.read_text().replace('la:militaryRank "Lieutenant-General" ;', 'la:quote "in" ;')
    )
    with pytest.raises(QuoteNotFound, match=r"occurs \d+ times"):
        assemble(mini_project)


def test_malformed_turtle_names_file_and_line(mini_project: Path) -> None:
    ttl = mini_project / "seeds" / "doc1.ttl"
    lines = ttl.read_text().splitlines()
    lines[9] = lines[9] + " ;;; ]"
    ttl.write_text("\n".join(lines))
    with pytest.raises(RdfSyntaxError) as info:
        assemble(mini_project)
    assert info.value.source.endswith("doc1.ttl")
    assert info.value.line == 10


def test_document_without_curation_is_an_error(mini_project: Path) -> None:
    (mini_project / "seeds" / "doc2.txt").write_text("An uncurated text.")
    with pytest.raises(CorpusError, match="doc2.txt"):
        assemble(mini_project)


def test_cli_reports_user_errors_without_traceback(mini_project: Path, tmp_path: Path) -> None:
    _break_quote(mini_project)
    result = CliRunner().invoke(
        main, ["build", "--project-dir", str(mini_project), "-o", str(tmp_path / "o"), "-q"]
    )
    assert result.exit_code == 2
    assert "Error:" in result.output and "9th member" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o" / "linkedalliance.nq").exists()


def test_cli_build_summary(mini_project: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", "--project-dir", str(mini_project), "-o", str(tmp_path / "o"), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert "2 facts, 2 quotes verified, conforms=True" in result.output
