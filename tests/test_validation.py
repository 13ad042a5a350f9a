"""The typed validation API: results, renderings, shapes loading errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from linkedalliance.errors import ShapesError
from linkedalliance.namespaces import LA
from linkedalliance.validation import (
    ValidationReport,
    ValidationResult,
    load_shapes,
    validate_graph,
)

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/linkedalliance/id/"

DATA = """
@prefix : <https://w3id.org/linkedalliance/id/> .
@prefix la: <https://w3id.org/linkedalliance/ontology#> .
:z a la:State ; la:iso3166Alpha2 "zz" .
:a a la:State ; la:iso3166Alpha2 "aa", "AA" ; la:wikidata <https://www.wikidata.org/wiki/Q1> .
"""

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix la: <https://w3id.org/linkedalliance/ontology#> .
<urn:shape> a sh:NodeShape ; sh:targetClass la:State ;
    sh:property [ sh:path la:iso3166Alpha2 ; sh:pattern "^[A-Z]{2}$" ;
                  sh:message "use an upper-case two-letter code" ] ,
                [ sh:path la:wikidata ; sh:pattern "^http://www" ; sh:severity sh:Warning ;
                  sh:message "use a wikidata entity IRI" ] .
"""


@pytest.fixture(scope="module")
def report() -> ValidationReport:
    data = Graph().parse(data=DATA, format="turtle")
    shapes = Graph().parse(data=SHAPES, format="turtle")
    return validate_graph(data, shapes=shapes)


def test_results_are_typed_and_sorted(report: ValidationReport) -> None:
    assert report.conforms is False
    assert [(r.severity, r.focus_node, r.value) for r in report.results] == [
        ("Violation", ID + "a", '"aa"'),
        ("Violation", ID + "z", '"zz"'),
        ("Warning", ID + "a", "<https://www.wikidata.org/wiki/Q1>"),
    ]
    first = report.results[0]
    assert isinstance(first, ValidationResult)
    assert first.path == str(LA.iso3166Alpha2)
    assert first.message == "use an upper-case two-letter code"
    assert first.constraint_component == str(SH.PatternConstraintComponent)
    assert (
        first.source_shape
        == "urn:shape [sh:path <https://w3id.org/linkedalliance/ontology#iso3166Alpha2>]"
    )


def test_text_rendering_is_exact(report: ValidationReport) -> None:
    assert report.text() == (
        "Does not conform: 2 violations, 1 warning.\n"
        "Violation  id:a  la:iso3166Alpha2\n"
        "    use an upper-case two-letter code\n"
        '    value: "aa"\n'
        "Violation  id:z  la:iso3166Alpha2\n"
        "    use an upper-case two-letter code\n"
        '    value: "zz"\n'
        "Warning  id:a  la:wikidata\n"
        "    use a wikidata entity IRI\n"
        "    value: <https://www.wikidata.org/wiki/Q1>"
    )


def test_text_is_stable_across_runs(report: ValidationReport) -> None:
    data = Graph().parse(data=DATA, format="turtle")
    shapes = Graph().parse(data=SHAPES, format="turtle")
    again = validate_graph(data, shapes=shapes)
    assert again.text() == report.text()
    assert again.to_json() == report.to_json()


def test_warnings_alone_conform() -> None:
    data = Graph().parse(data=DATA.replace('"zz"', '"ZZ"').replace('"aa", ', ""), format="turtle")
    rep = validate_graph(data, shapes=Graph().parse(data=SHAPES, format="turtle"))
    assert rep.conforms is True
    assert [r.severity for r in rep.results] == ["Warning"]
    assert rep.text().startswith("Conforms: 1 warning.\n")


def test_conforming_text() -> None:
    rep = validate_graph(Graph(), shapes=Graph().parse(data=SHAPES, format="turtle"))
    assert rep.conforms and rep.results == ()
    assert rep.text() == "Conforms."


def test_json_rendering(report: ValidationReport) -> None:
    payload = json.loads(report.to_json())
    assert payload["conforms"] is False
    assert [r["focus_node"] for r in payload["results"]] == [ID + "a", ID + "z", ID + "a"]
    assert set(payload["results"][0]) == {
        "focus_node",
        "path",
        "severity",
        "message",
        "source_shape",
        "value",
        "constraint_component",
    }


def test_turtle_rendering_is_a_shacl_report(report: ValidationReport) -> None:
    g = Graph().parse(data=report.to_turtle(), format="turtle")
    (rep,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(rep, SH.conforms) == Literal(False)
    assert len(list(g.objects(rep, SH.result))) == 3
    assert (None, SH.focusNode, URIRef(ID + "z")) in g


def test_validation_does_not_modify_data() -> None:
    data = Graph().parse(data=DATA, format="turtle")
    ontology = Graph().parse(ROOT / "ontology" / "linkedalliance.ttl", format="turtle")
    before = len(data)
    validate_graph(data, shapes=load_shapes(ROOT / "shapes"), ontology=ontology, inference=True)
    assert len(data) == before


def test_load_shapes_from_dir_file_and_list(tmp_path: Path) -> None:
    (tmp_path / "a.ttl").write_text(SHAPES, encoding="utf-8")
    (tmp_path / "b.ttl").write_text(SHAPES.replace("urn:shape", "urn:shape2"), encoding="utf-8")
    assert len(load_shapes(tmp_path)) == len(load_shapes([tmp_path / "a.ttl", tmp_path / "b.ttl"]))
    assert len(load_shapes(tmp_path / "a.ttl")) < len(load_shapes(tmp_path))


def test_project_shapes_load() -> None:
    shapes = load_shapes(ROOT / "shapes")
    assert len(list(shapes.subjects(RDF.type, SH.NodeShape))) >= 30


def test_broken_shapes_file_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:s> a sh:NodeShape ;\n"
        "    sh:targetClass <urn:C> ;\n"
        "    sh:property [ sh:path <urn:p> ; sh:minCount 1 \n"
        "<urn:t> a sh:NodeShape .\n",
        encoding="utf-8",
    )
    with pytest.raises(ShapesError) as info:
        load_shapes(tmp_path)
    message = str(info.value)
    assert message.startswith(f"shapes file {bad}:5:")
    assert "invalid turtle" in message


def test_missing_shapes_path(tmp_path: Path) -> None:
    with pytest.raises(ShapesError, match="shapes file or directory not found"):
        load_shapes(tmp_path / "nope")


def test_empty_shapes_dir(tmp_path: Path) -> None:
    with pytest.raises(ShapesError, match=r"no shapes \(\*\.ttl\) found"):
        load_shapes(tmp_path)


def test_file_without_shapes(tmp_path: Path) -> None:
    (tmp_path / "x.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    with pytest.raises(ShapesError, match="no sh:NodeShape or sh:PropertyShape found"):
        load_shapes(tmp_path)
