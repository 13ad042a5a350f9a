"""Data-driven SHACL cases: tests/shapes/<case>/{data.ttl, expected.txt}.

Each case is validated merged with tests/shapes/common.ttl (entities, a document and one
valid piece of evidence) and with the ontology mixed in, without inference.
``expected.txt`` holds either the single word ``conforms`` (no result at all, not even a
warning) or one line per expected result::

    Severity  focus-node  path-or-dash  constraint-component

with prefixed names (``:`` is the id/ namespace). Lines starting with ``#`` are comments.
The case passes only when the multiset of results equals the expected lines exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph

from linkedalliance.namespaces import PREFIXES
from linkedalliance.validation import (
    ValidationReport,
    ValidationResult,
    load_shapes,
    validate_graph,
)

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = Path(__file__).resolve().parent / "shapes"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "data.ttl").is_file())
VALID = [
    c for c in CASES if (CASES_DIR / c / "expected.txt").read_text().splitlines()[-1] == "conforms"
]

_NAMESPACES = sorted(
    {**{k: v for k, v in PREFIXES.items() if k != "id"}, "": PREFIXES["id"]}.items(),
    key=lambda kv: -len(kv[1]),
)


def compact(iri: str) -> str:
    for prefix, ns in _NAMESPACES:
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z0-9_-]+", iri[len(ns) :]):
            return f"{prefix}:{iri[len(ns) :]}"
    return f"<{iri}>"


def compact_path(path: str | None) -> str:
    if path is None:
        return "-"
    if path.startswith(("(", "<", "^")):
        return re.sub(r"<([^>]*)>", lambda m: compact(m.group(1)), path)
    return compact(path)


def signature(r: ValidationResult) -> str:
    assert r.constraint_component is not None
    return " ".join(
        (r.severity, compact(r.focus_node), compact_path(r.path), compact(r.constraint_component))
    )


def expected_lines(case: str) -> list[str]:
    text = (CASES_DIR / case / "expected.txt").read_text(encoding="utf-8")
    return [
        " ".join(line.split())
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(ROOT / "shapes")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "linkedalliance.ttl", format="turtle")


def case_graph(case: str) -> Graph:
    g = Graph()
    g.parse(CASES_DIR / "common.ttl", format="turtle")
    g.parse(CASES_DIR / case / "data.ttl", format="turtle")
    return g


def run(
    case: str, shapes: Graph, ontology: Graph | None, inference: bool = False
) -> ValidationReport:
    return validate_graph(case_graph(case), shapes=shapes, ontology=ontology, inference=inference)


def test_there_are_valid_and_invalid_cases() -> None:
    assert len(VALID) >= 20
    assert len(CASES) - len(VALID) >= 40


def test_common_background_conforms(shapes: Graph, ontology: Graph) -> None:
    g = Graph().parse(CASES_DIR / "common.ttl", format="turtle")
    report = validate_graph(g, shapes=shapes, ontology=ontology)
    assert report.results == ()


@pytest.mark.parametrize("case", CASES)
def test_shape_case(case: str, shapes: Graph, ontology: Graph) -> None:
    expected = expected_lines(case)
    report = run(case, shapes, ontology)
    if expected == ["conforms"]:
        assert report.conforms, report.text()
        assert report.results == (), report.text()
        return
    actual = [signature(r) for r in report.results]
    assert Counter(actual) == Counter(expected), report.text()
    has_violation = any(line.startswith("Violation ") for line in expected)
    assert report.conforms is (not has_violation)


@pytest.mark.parametrize("case", CASES)
def test_every_result_has_an_actionable_message(case: str, shapes: Graph, ontology: Graph) -> None:
    for r in run(case, shapes, ontology).results:
        assert "not satisfied (the shape gives no sh:message)" not in r.message, r
        assert len(r.message) > 30, r


def test_every_shape_has_a_message(shapes: Graph) -> None:
    """Every property shape of a targeted node shape, every node-level constraint
    (sh:or, sh:not) and every SPARQL constraint carries an sh:message."""
    from rdflib.namespace import SH

    targets = (SH.targetClass, SH.targetSubjectsOf)
    targeted = {s for t in targets for s in shapes.subjects(t, None)}
    missing = []
    for node_shape in targeted:
        for ps in shapes.objects(node_shape, SH.property):
            if (ps, SH.message, None) not in shapes:
                missing.append(f"{node_shape} property {ps}")
        has_node_constraint = any((node_shape, p, None) in shapes for p in (SH["or"], SH["not"]))
        if has_node_constraint and (node_shape, SH.message, None) not in shapes:
            missing.append(str(node_shape))
        for constraint in shapes.objects(node_shape, SH.sparql):
            if (constraint, SH.message, None) not in shapes:
                missing.append(str(constraint))
    assert len(targeted) >= 30
    assert missing == []


def test_evidence_required_without_ontology(shapes: Graph) -> None:
    """Targets list every FactNode subclass, so no ontology or inference is needed."""
    report = run("evidence-missing", shapes, ontology=None)
    evidence = [r for r in report.results if r.path == PREFIXES["la"] + "evidence"]
    assert [compact(r.focus_node) for r in evidence] == [":acc"]


def test_evidence_required_with_inference(shapes: Graph, ontology: Graph) -> None:
    report = run("evidence-missing", shapes, ontology, inference=True)
    assert [signature(r) for r in report.results] == [
        "Violation :acc la:evidence sh:MinCountConstraintComponent"
    ]


def test_valid_case_stays_valid_with_inference(shapes: Graph, ontology: Graph) -> None:
    assert run("ratification-valid", shapes, ontology, inference=True).conforms
