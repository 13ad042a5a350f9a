"""Validation of contributions against the graph: the checks, and agreement between the
neighbourhood validation and a full validation of graph + contribution."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from linkedalliance.contrib import GraphContext, make_context, parse_contribution
from linkedalliance.contrib.incremental import check_contribution
from linkedalliance.contrib.inference import entail
from linkedalliance.contrib.parse import ContributionRefused, ContributionTooLarge
from linkedalliance.errors import RdfSyntaxError
from linkedalliance.rdfio import TRIG, TURTLE, parse_file
from linkedalliance.store import OxigraphStore

DATA = Path(__file__).resolve().parent / "data" / "contrib"
PREFIXES = """
@prefix : <https://w3id.org/linkedalliance/id/> .
@prefix doc: <https://w3id.org/linkedalliance/doc/> .
@prefix la: <https://w3id.org/linkedalliance/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
EVIDENCE = (
    'la:quote "A former Soviet republic of less than 3 million people" ; '
    "prov:wasDerivedFrom doc:004_d7e9a36df2ad22de"
)


@pytest.fixture(scope="module")
def ctx(seed_build, repo_root: Path) -> GraphContext:  # type: ignore[no-untyped-def]
    store = OxigraphStore()
    store.load(seed_build.output_dir / "linkedalliance.nq")
    return make_context(store, project_dir=repo_root, texts_dir=seed_build.output_dir / "texts")


def check(ctx: GraphContext, turtle: str, *, scope: str = "neighbourhood"):  # type: ignore[no-untyped-def]
    parsed = parse_contribution((PREFIXES + turtle).encode(), TURTLE, "test", scheme=ctx.scheme)
    return check_contribution(parsed, ctx, scope=scope)  # type: ignore[arg-type]


def messages(checked) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.message for r in checked.report.results if r.severity == "Violation"]


# ---------------------------------------------------------------------------


def test_fast_owl_rl_gives_exactly_what_owlrl_gave_the_build(seed_build, ctx) -> None:  # type: ignore[no-untyped-def]
    ds = parse_file(seed_build.output_dir / "linkedalliance.nq")
    asserted, inferred = set(), set()
    for s, p, o, g in ds.quads((None, None, None, None)):
        if str(g).endswith("/graph/ontology"):
            continue
        (inferred if str(g).endswith("/graph/inferred") else asserted).add((s, p, o))
    result = entail(ctx.compiled, asserted, ctx.scheme)
    assert result.clashes == ()
    assert result.triples == inferred


CASES = {
    "merged-sample": (DATA / "merged.ttl").read_text(),
    "rejected-sample": (DATA / "rejected.ttl").read_text(),
    "end-before-start-on-existing-membership": f"""
        :armenia-csto-membership schema:endDate "1990"^^xsd:gYear ; {EVIDENCE} .""",
    "ratification-before-signing-two-hops": f"""
        :armenia-ratification-early a la:Ratification ;
            la:ratifiedAgreement :armenia-belarus-mutual-military-assistance-treaty-1999 ;
            la:ratifiedBy :armenia ; dcterms:date "1998"^^xsd:gYear ; {EVIDENCE} .""",
    "retype-a-state-as-a-person": ":belarus a la:Person .",
    "second-holder-of-a-tenure": f"""
        :pavel-grachev-minister-of-defence-of-russia la:holder :leonid-maltsev ; {EVIDENCE} .""",
    "second-quote-selector-on-existing-evidence": """
        <https://w3id.org/linkedalliance/doc/004_d7e9a36df2ad22de#position=1071,1129>
            a oa:TextQuoteSelector .""",
    "new-membership-typed-through-the-ontology": f"""
        :armenia-sco-observer a la:Membership ; org:member :armenia ;
            org:organization :sco ; {EVIDENCE} .""",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_neighbourhood_and_full_validation_agree(ctx: GraphContext, name: str) -> None:
    small = check(ctx, CASES[name])
    full = check(ctx, CASES[name], scope="full")
    assert small.conforms == full.conforms
    assert small.report.results == full.report.results
    assert small.neighbourhood_triples < full.neighbourhood_triples
    print(
        f"\n{name}: conforms={small.conforms}, {len(small.report.results)} results, "
        f"neighbourhood {small.neighbourhood_triples} of {full.neighbourhood_triples} triples"
    )


def test_agreement_cases_cover_both_verdicts(ctx: GraphContext) -> None:
    verdicts = {name: check(ctx, text).conforms for name, text in CASES.items()}
    assert verdicts["merged-sample"] and verdicts["new-membership-typed-through-the-ontology"]
    assert not any(
        v
        for k, v in verdicts.items()
        if k not in {"merged-sample", "new-membership-typed-through-the-ontology"}
    )


def test_each_problem_names_node_property_and_fix(ctx: GraphContext) -> None:
    got = check(ctx, CASES["end-before-start-on-existing-membership"])
    assert any("The end (1990) is before the start (1991)" in m for m in messages(got))
    got = check(ctx, CASES["retype-a-state-as-a-person"])
    assert any("cannot retype it as la:Person" in m for m in messages(got))
    assert any("disjoint" in m for m in messages(got))
    got = check(ctx, CASES["second-holder-of-a-tenure"])
    assert any("already has la:holder" in m for m in messages(got))
    got = check(ctx, CASES["second-quote-selector-on-existing-evidence"])
    # the existing evidence node that points at the selector now has two quote selectors
    assert any(
        r.focus_node.endswith("#char=1071,1129") and "oa:TextQuoteSelector" in r.message
        for r in got.report.results
    ), got.report.text()


def test_unknown_entities_get_the_closest_slug(ctx: GraphContext) -> None:
    got = check(
        ctx,
        f":belarus-sco-membership-x a la:Membership ; org:member :armenja ; "
        f"org:organization :sco ; {EVIDENCE} .",
    )
    assert "id:armenja is not in the graph; did you mean id:armenia?" in messages(got)


def test_fact_without_evidence_and_addition_without_evidence(ctx: GraphContext) -> None:
    got = check(
        ctx, ":x-membership a la:Membership ; org:member :armenia ; org:organization :sco ."
    )
    assert any(m.startswith("This fact has no la:evidence") for m in messages(got))
    got = check(ctx, ":armenia-csto-membership la:memberOrdinal 3 .")
    assert any("without evidence" in m for m in messages(got))


def test_duplicates_are_reported(ctx: GraphContext) -> None:
    got = check(
        ctx,
        f":belarus-in-csto a la:Membership ; org:member :belarus ; "
        f"org:organization :csto ; {EVIDENCE} .",
    )
    assert any(
        "duplicates the existing <https://w3id.org/linkedalliance/id/belarus-csto-membership>" in m
        for m in messages(got)
    )
    got = check(ctx, ":belarus a la:State .")
    assert messages(got) == [
        "Every triple of this contribution is already in the graph: there is nothing to merge."
    ]


def test_quotes_are_verified_against_the_document(ctx: GraphContext) -> None:
    got = check(
        ctx,
        ":x-statement a la:Statement ; la:speaker :epoch-times ; "
        'la:quote "Armenia is located in the North Caucasus" ; '
        "prov:wasDerivedFrom doc:004_d7e9a36df2ad22de .",
    )
    assert any("is not found verbatim" in m for m in messages(got))
    got = check(
        ctx,
        """:x-statement a la:Statement ; la:speaker :epoch-times ;
        la:evidence [ a la:Evidence ; oa:hasSource doc:004_d7e9a36df2ad22de ;
            oa:hasSelector [ a oa:TextQuoteSelector ;
                oa:exact "A former Soviet republic of less than 3 million people" ] ] .""",
    )
    assert got.conforms, got.report.text()
    assert any(str(s).endswith("#char=1502,1556") or "#char=" in str(s) for s, _, _ in got.triples)


@pytest.mark.parametrize(
    "turtle, expected",
    [
        (
            "<https://w3id.org/linkedalliance/id/x> owl:imports <http://example.org/evil> .",
            "owl:imports is refused",
        ),
        ('<http://w3id.org/linkedalliance/id/belarus> rdfs:label "x" .', "looks like a linked"),
        (
            '<https://w3id.org.evil.com/linkedalliance/id/belarus> rdfs:label "x" .',
            "looks like a linked",
        ),
        ('<https://w3ld.org/linkedalliance/id/belarus> rdfs:label "x" .', "looks like a linked"),
        ("la:State rdfs:subClassOf la:Person .", "not vocabulary"),
        (":belarus owl:sameAs :russia .", "not vocabulary"),
        ('<https://w3id.org/linkedalliance/graph/entities> rdfs:label "x" .', "cannot write to"),
        (":belarus la:memberr :csto .", "did you mean la:member"),
        (':Belarus rdfs:label "x" .', "not a well-formed entity IRI"),
    ],
)
def test_hostile_contributions_are_refused(ctx: GraphContext, turtle: str, expected: str) -> None:
    got = check(ctx, turtle)
    assert not got.conforms
    assert any(expected in m for m in messages(got)), messages(got)


def test_sparql_update_and_size_limits(ctx: GraphContext) -> None:
    with pytest.raises(RdfSyntaxError, match="looks like a SPARQL Update"):
        parse_contribution(b"DELETE WHERE { ?s ?p ?o }", TURTLE, "x", scheme=ctx.scheme)
    with pytest.raises(ContributionTooLarge):
        parse_contribution(
            b'<http://e/a> <http://e/b> "' + b"x" * 200_000 + b'" .', TURTLE, "x", scheme=ctx.scheme
        )
    deep = "<http://e/a> <http://e/p> " + "[ <http://e/p> " * 3000 + "1" + " ]" * 3000 + " ."
    with pytest.raises(ContributionRefused, match="2998 blank nodes that cannot be told apart"):
        parse_contribution(deep.encode(), TURTLE, "x", scheme=ctx.scheme)


def test_named_graphs_are_merged_and_said_so(ctx: GraphContext) -> None:
    trig = (
        PREFIXES
        + "<https://w3id.org/linkedalliance/graph/mine> { "
        + (DATA / "merged.ttl").read_text().split("\n:", 1)[1].join([":", ""])
        + " }"
    )
    parsed = parse_contribution(trig.encode(), TRIG, "x", scheme=ctx.scheme)
    assert parsed.notes and "merged" in parsed.notes[0]
    assert check_contribution(parsed, ctx).conforms


def test_report_graph_is_shacl(ctx: GraphContext) -> None:
    got = check(ctx, (DATA / "rejected.ttl").read_text())
    g = Graph().parse(data=got.report.to_turtle(), format="turtle")
    assert "sh:conforms false" in got.report.to_turtle()
    assert len(g) > 20
