"""``linkedalliance validate``: exit codes 0/1/2, exact messages, report formats."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from linkedalliance.commands.validate import command

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "shapes"


def run(*args: str) -> tuple[int, str, str]:
    # --standalone: these tests are about the shapes, whatever output/ or data/ the
    # checkout happens to hold (against-graph validation is tested in test_contrib_cli).
    result = CliRunner().invoke(command, [*args, "--standalone", "--project-dir", str(ROOT)])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def valid_file(tmp_path: Path) -> Path:
    path = tmp_path / "valid.ttl"
    path.write_text(
        (CASES / "common.ttl").read_text(encoding="utf-8")
        + (CASES / "arms-transfer-valid" / "data.ttl").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    return path


@pytest.fixture()
def invalid_file(tmp_path: Path) -> Path:
    path = tmp_path / "invalid.ttl"
    path.write_text(
        (CASES / "common.ttl").read_text(encoding="utf-8")
        + (CASES / "arms-transfer-supplier-missing" / "data.ttl").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    return path


def test_conforming_file_exits_0(valid_file: Path) -> None:
    assert run(str(valid_file)) == (0, "Conforms.\n", "")


def test_non_conforming_file_exits_1_with_report(invalid_file: Path) -> None:
    code, out, err = run(str(invalid_file))
    assert code == 1
    assert err == ""
    assert out == (
        "Does not conform: 1 violation.\n"
        "Violation  id:t  la:supplier\n"
        "    An arms transfer needs la:supplier: add the state or company that supplied it.\n"
    )


def test_json_format(invalid_file: Path) -> None:
    code, out, _ = run(str(invalid_file), "--format", "json")
    assert code == 1
    payload = json.loads(out)
    assert payload["conforms"] is False
    assert [(r["focus_node"], r["path"]) for r in payload["results"]] == [
        (
            "https://w3id.org/linkedalliance/id/t",
            "https://w3id.org/linkedalliance/ontology#supplier",
        )
    ]


def test_turtle_format_is_a_shacl_report(invalid_file: Path) -> None:
    code, out, _ = run(str(invalid_file), "--format", "turtle")
    assert code == 1
    g = Graph().parse(data=out, format="turtle")
    (report,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(report, SH.conforms) == Literal(False)
    (result,) = g.objects(report, SH.result)
    assert g.value(result, SH.resultSeverity) == SH.Violation
    assert g.value(result, SH.sourceConstraintComponent) == SH.MinCountConstraintComponent


def test_other_rdf_formats_are_accepted(valid_file: Path, tmp_path: Path) -> None:
    nt = tmp_path / "valid.nt"
    nt.write_bytes(Graph().parse(valid_file).serialize(format="nt", encoding="utf-8"))
    assert run(str(nt))[0] == 0


def test_missing_file_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.ttl"
    assert run(str(missing)) == (2, "", f"Error: {missing}: file not found\n")


def test_unknown_extension_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b\n", encoding="utf-8")
    assert run(str(path)) == (
        2,
        "",
        f"Error: {path}: unknown RDF file extension ('.csv'); known: "
        ".ttl, .trig, .nq, .nt, .jsonld, .json, .rdf, .owl, .xml\n",
    )


def test_syntax_error_exits_2_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text("<http://e/a> <http://e/b> <http://e/c> .\n<http://e/a> <http://e/b> .\n")
    code, out, err = run(str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"Error: {path}:2:")
    assert "invalid turtle" in err
    assert "Traceback" not in err


def test_broken_shapes_exit_2(valid_file: Path, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    shutil.copy(ROOT / "shapes" / "linkedalliance-shapes.ttl", shapes / "a.ttl")
    (shapes / "b.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:s> a sh:NodeShape ;\n"
    )
    code, out, err = run(str(valid_file), "--shapes", str(shapes))
    assert (code, out) == (2, "")
    assert err.startswith(f"Error: shapes file {shapes / 'b.ttl'}:")


def test_missing_ontology_exits_2(valid_file: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        command,
        [str(valid_file), "--project-dir", str(tmp_path), "--shapes", str(ROOT / "shapes")],
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path / 'ontology' / 'linkedalliance.ttl'}: ontology not found; "
        "run from the project root or pass --project-dir\n"
    )


def test_help_documents_exit_codes() -> None:
    result = CliRunner().invoke(command, ["--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "0 the data conforms to the shapes" in text
    assert "1 the data does not conform" in text
    assert "2 an input could not be read" in text


def test_registered_in_main_cli() -> None:
    from linkedalliance import cli

    assert cli.main.get_command(None, "validate") is command  # type: ignore[arg-type]
