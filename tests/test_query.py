"""`linkedalliance query` and the result renderers, checked with independent parsers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.query import Result

from linkedalliance.cli import main
from linkedalliance.query import graph_format, render, render_table, results_format
from linkedalliance.store import OxigraphStore
from serverdata import SCHEME, dataset_quads, write_output

LABELS = (
    "SELECT ?s ?label WHERE { ?s a <https://w3id.org/linkedalliance/ontology#State> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
)


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    s = OxigraphStore()
    s.bulk_add(dataset_quads())
    return s


@pytest.fixture
def output(tmp_path: Path) -> Path:
    return write_output(tmp_path / "output")


@pytest.mark.parametrize("name", ["json", "xml", "csv", "tsv"])
def test_select_formats_parse_back_with_pyoxigraph(store: OxigraphStore, name: str) -> None:
    result = store.query(LABELS + " LIMIT 2", max_rows=10)
    rendered = render(result, results_format(name))
    if name == "csv":  # lossy by design (no language tags); pyoxigraph refuses it, use rdflib
        table = Result.parse(io.BytesIO(rendered.body), format="csv")
        assert [(str(r[0]), str(r[1])) for r in table] == [
            (str(SCHEME.entity("armenia")), "Armenia"),
            (str(SCHEME.entity("belarus")), "Belarus"),
        ]
        return
    parsed = ox.parse_query_results(
        rendered.body, format=ox.QueryResultsFormat.from_media_type(rendered.media_type)
    )
    assert isinstance(parsed, ox.QuerySolutions)
    rows = [[s["s"], s["label"]] for s in parsed]
    if True:
        assert rows == [
            [ox.NamedNode(str(SCHEME.entity("armenia"))), ox.Literal("Armenia", language="en")],
            [ox.NamedNode(str(SCHEME.entity("belarus"))), ox.Literal("Belarus", language="en")],
        ]


@pytest.mark.parametrize("name", ["json", "xml", "csv", "tsv"])
def test_ask_formats_parse_back(store: OxigraphStore, name: str) -> None:
    rendered = render(store.query("ASK { ?s a ?t }"), results_format(name))
    fmt = ox.QueryResultsFormat.from_media_type(rendered.media_type)
    if name == "csv":  # pyoxigraph does not read boolean CSV; rdflib neither: check the text
        assert rendered.body == b"_askResult\r\ntrue\r\n"
        return
    assert bool(ox.parse_query_results(rendered.body, format=fmt)) is True


def test_truncated_json_is_flagged_and_still_parses(store: OxigraphStore) -> None:
    rendered = render(
        store.query("SELECT * WHERE { ?s ?p ?o }", max_rows=3), results_format("json")
    )
    assert rendered.truncated and json.loads(rendered.body)["truncated"] is True
    assert len(list(ox.parse_query_results(rendered.body, format=ox.QueryResultsFormat.JSON))) == 3
    bindings = Result.parse(io.BytesIO(rendered.body), format="json").bindings
    assert len(bindings) == 3


@pytest.mark.parametrize("name", ["turtle", "jsonld", "ntriples"])
def test_construct_formats_are_isomorphic(store: OxigraphStore, name: str) -> None:
    result = store.query(
        "CONSTRUCT { ?s a ?t ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        " WHERE { ?s a ?t ; <http://www.w3.org/2000/01/rdf-schema#label> ?l "
        "FILTER(STRSTARTS(STR(?s), 'https://w3id.org/linkedalliance/id/')) }"
    )
    rendered = render(result, graph_format(name))
    expected = Graph().parse(
        data=render(result, graph_format("ntriples")).body.decode(), format="nt"
    )
    got = Graph().parse(
        data=rendered.body.decode(),
        format={"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt"}[name],
    )
    assert len(got) == len(expected) == 10 and got.isomorphic(expected)


def test_table_output() -> None:
    s = OxigraphStore()
    s.bulk_add(dataset_quads())
    text = render_table(s.query(LABELS))
    assert text.splitlines() == [
        "s           label",
        "----------  ------------",
        "id:armenia  'Armenia'@en",
        "id:belarus  'Belarus'@en",
        "id:russia   'Russia'@en",
        "3 rows",
    ]


def test_cli_query_table_and_formats(output: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["query", LABELS, "--output-dir", str(output)])
    assert result.exit_code == 0, result.output
    assert "id:belarus  'Belarus'@en" in result.output
    q = tmp_path / "cq.rq"
    q.write_text("# Which states are there?\n" + LABELS, encoding="utf-8")
    result = runner.invoke(
        main, ["query", "-f", str(q), "--format", "csv", "--output-dir", str(output)]
    )
    assert result.exit_code == 0
    assert list(csv.reader(io.StringIO(result.stdout)))[1] == [
        str(SCHEME.entity("armenia")),
        "Armenia",
    ]
    result = runner.invoke(
        main,
        [
            "query",
            "CONSTRUCT WHERE { ?s a ?t } LIMIT 2",
            "--format",
            "turtle",
            "--output-dir",
            str(output),
        ],
    )
    assert result.exit_code == 0
    assert len(Graph().parse(data=result.stdout, format="turtle")) == 2


def test_cli_bad_query_exits_2_with_one_message(output: Path) -> None:
    result = CliRunner().invoke(
        main, ["query", "SELECT * WHERE { ?s ?p }", "--output-dir", str(output)]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: SPARQL syntax error: error at 1:25: expected one of LATERAL, SERVICE, [_]\n"
    )


def test_cli_wrong_format_for_kind_exits_2(output: Path) -> None:
    result = CliRunner().invoke(
        main, ["query", "ASK {}", "--format", "turtle", "--output-dir", str(output)]
    )
    assert result.exit_code == 2
    assert "cannot be written as turtle" in result.stderr


def test_cli_missing_output_says_build_first(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["query", "ASK {}", "--output-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "run `linkedalliance build` first" in result.stderr
