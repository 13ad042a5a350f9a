"""Contributions from the command line: validate --against-graph, contribute, list, show, revert."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkedalliance.cli import main

DATA = Path(__file__).resolve().parent / "data" / "contrib"


@pytest.fixture
def project(tmp_path: Path, seed_build, repo_root: Path) -> Path:  # type: ignore[no-untyped-def]
    """A project directory with the real ontology, shapes and built output (no data/ yet)."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(repo_root / "ontology", root / "ontology")
    shutil.copytree(repo_root / "shapes", root / "shapes")
    out = root / "output"
    out.mkdir()
    shutil.copy(seed_build.output_dir / "linkedalliance.nq", out / "linkedalliance.nq")
    shutil.copytree(seed_build.output_dir / "texts", out / "texts")
    return root


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_validate_against_graph_is_the_default_and_reports_each_problem(project: Path) -> None:
    code, out, _ = run("validate", str(DATA / "rejected.ttl"), "--project-dir", str(project))
    assert code == 1
    expected = (DATA / "rejected.report.txt").read_text()
    assert out == expected
    assert "id:belaruss is not in the graph; did you mean id:belarus?" in out
    assert "The end (2023) is before the start (2024-07)" in out
    assert "This fact has no la:evidence" in out
    assert "<http://w3id.org/linkedalliance/id/russia> looks like a linkedalliance IRI" in out


def test_validate_standalone_does_not_know_the_graph(project: Path) -> None:
    code, out, _ = run(
        "validate", "--standalone", str(DATA / "merged.ttl"), "--project-dir", str(project)
    )
    assert code == 1  # la:speaker id:epoch-times is untyped without the graph
    code, out, _ = run("validate", str(DATA / "merged.ttl"), "--project-dir", str(project))
    assert (code, out) == (0, "Conforms.\n")


def test_contribute_list_show_revert_round_trip(project: Path) -> None:
    p = ("--project-dir", str(project))
    code, out, err = run(
        "contribute", str(DATA / "merged.ttl"), "--by", "Jane Doe", "-m", "doc 004", *p
    )
    assert code == 0, err
    assert out == (
        "merged as contribution 1: 22 triples in "
        "<https://w3id.org/linkedalliance/graph/contribution/1>\n"
    )
    assert (project / "data").is_dir()
    code, out, _ = run("contribute", str(DATA / "merged.ttl"), "--by", "Jane Doe", *p)
    assert code == 0 and out.startswith("already merged as contribution 1 "), err
    code, out, err = run("contribute", str(DATA / "rejected.ttl"), "--by", "Jane Doe", *p)
    assert code == 1 and "rejected: nothing was merged." in err
    code, out, _ = run("contributions", "list", *p)
    assert code == 0 and len(out.splitlines()) == 1 and "Jane Doe: doc 004" in out
    code, out, _ = run("contributions", "show", "1", *p)
    assert code == 0 and "# by: Jane Doe" in out
    assert "<https://w3id.org/linkedalliance/id/epoch-times-south-caucasus-backyard>" in out
    code, out, _ = run("contributions", "revert", "1", "--by", "Maintainer", "-m", "test", *p)
    assert (code, out) == (
        0,
        "reverted contribution 1 "
        "(<https://w3id.org/linkedalliance/graph/contribution/1> removed)\n",
    )
    code, out, err = run("contributions", "revert", "1", "--by", "Maintainer", *p)
    assert code == 2 and "already reverted" in err
    code, out, _ = run("contributions", "show", "1", *p)
    assert "# reverted: True" in out and "epoch-times-south-caucasus-backyard" not in out
    # the same content again after a revert is merged anew, under a new number
    code, out, _ = run("contribute", str(DATA / "merged.ttl"), "--by", "Jane Doe", *p)
    assert code == 0 and out.startswith("merged as contribution 2:")
    code, out, err = run("contributions", "show", "7", *p)
    assert code == 2 and "no contribution 7" in err
