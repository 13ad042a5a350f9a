"""Malformed and hostile contributions (hypothesis): the parser, the validator and the HTTP
endpoint answer each with a clear error, never a crash or a 500, and leave the store unchanged.

Run with ``-s`` to see how many cases each test ran (they are also in hypothesis' statistics,
``--hypothesis-show-statistics``)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from linkedalliance.contrib import GraphContext, make_context, open_data_store
from linkedalliance.contrib.incremental import check_contribution
from linkedalliance.contrib.parse import parse_contribution
from linkedalliance.errors import LinkedAllianceError
from linkedalliance.namespaces import IriScheme
from linkedalliance.rdfio import JSONLD, TRIG, TURTLE
from linkedalliance.server.app import create_app
from linkedalliance.settings import Settings
from linkedalliance.store import OxigraphStore

DATA = Path(__file__).resolve().parent / "data" / "contrib"
COUNTS: Counter[str] = Counter()
SCHEME = IriScheme()
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# -- building blocks of hostile Turtle -------------------------------------------------------

SLUGS = [
    "belarus",
    "armenia",
    "csto",
    "sco",
    "russia",
    "armenia-csto-membership",
    "pavel-grachev-minister-of-defence-of-russia",
    "belaruss",
    "armenja",
    "new-thing",
    "Bad Slug",
    "a--b",
    "",
]
BASES = [
    "https://w3id.org/linkedalliance/",
    "http://w3id.org/linkedalliance/",
    "https://w3id.org.evil.example/linkedalliance/",
    "https://w3ld.org/linkedalliance/",
    "https://w3id.org/linkedaliance/",
    "https://example.org/",
    "https://W3ID.org/linkedalliance/",
]
AREAS = ["id/", "id/", "doc/", "graph/", "contribution/", "ontology#", ".well-known/genid/"]
PREDICATES = [
    "la:member",
    "org:member",
    "org:organization",
    "la:holder",
    "la:post",
    "schema:startDate",
    "schema:endDate",
    "dcterms:date",
    "la:evidence",
    "la:quote",
    "prov:wasDerivedFrom",
    "rdf:type",
    "rdfs:label",
    "owl:imports",
    "owl:sameAs",
    "rdfs:subClassOf",
    "sh:targetClass",
    "la:memberr",
    "la:signingDate",
    "oa:hasSource",
    "oa:exact",
    "oa:start",
    "la:memberCount",
    "<http://e/p>",
]
TYPES = [
    "la:Membership",
    "la:State",
    "la:Person",
    "la:Tenure",
    "la:Evidence",
    "la:Ratification",
    "owl:Class",
    "sh:NodeShape",
    "la:Statement",
    "la:Nonsense",
]
PREFIXES = """@prefix la: <https://w3id.org/linkedalliance/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> . @prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix oa: <http://www.w3.org/ns/oa#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

iris = st.builds(
    lambda b, a, s: f"<{b}{a}{s}>",
    st.sampled_from(BASES),
    st.sampled_from(AREAS),
    st.sampled_from(SLUGS),
)
literals = st.one_of(
    st.builds(
        lambda v, d: f'"{v}"^^xsd:{d}',
        st.sampled_from(
            ["abc", "-1", "2024-13-45", "1991", "2024-06", "true", "1e999", "", "0x10"]
        ),
        st.sampled_from(
            [
                "integer",
                "date",
                "gYear",
                "gYearMonth",
                "boolean",
                "decimal",
                "nonNegativeInteger",
                "duration",
            ]
        ),
    ),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters='"\\\r\n'),
        max_size=40,
    ).map(lambda t: f'"{t}"'),
    st.integers(min_value=1_000, max_value=150_000).map(lambda n: '"' + "x" * n + '"'),
    st.sampled_from(
        [
            '"A former Soviet republic of less than 3 million people"',
            '"Belarus joined the Shanghai Cooperation Organization (SCO) last week"',
        ]
    ),
)


def nested(depth: int) -> str:
    return "[ <http://e/p> " * depth + "1" + " ]" * depth


objects = st.one_of(
    iris, literals, st.sampled_from(TYPES), st.integers(min_value=1, max_value=400).map(nested)
)
triples = st.builds(lambda s, p, o: f"{s} {p} {o} .", iris, st.sampled_from(PREDICATES), objects)
documents = st.lists(triples, min_size=1, max_size=8).map(lambda ts: PREFIXES + "\n".join(ts))
SMUGGLED = [
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX la: <https://w3id.org/linkedalliance/ontology#> DELETE DATA { <a> <b> <c> }",
    "DROP ALL",
    "INSERT DATA { GRAPH <https://w3id.org/linkedalliance/graph/entities> "
    "{ <https://w3id.org/linkedalliance/id/belarus> a "
    "<https://w3id.org/linkedalliance/ontology#Person> } }",
    "LOAD <http://example.org/evil.ttl>",
    "CLEAR GRAPH <https://w3id.org/linkedalliance/graph/entities>",
    '{"@context": "http://example.org/context.jsonld", "@id": "x"}',
    '{"@context": {"@import": "http://example.org/c.jsonld"}, "@id": "x"}',
]


def mutate(data: bytes, positions: list[int], byte: int) -> bytes:
    out = bytearray(data)
    for p in positions:
        if out:
            out[p % len(out)] = byte
    return bytes(out)


VALID = (DATA / "merged.ttl").read_bytes()


@pytest.fixture(scope="module")
def ctx(seed_build, repo_root: Path) -> GraphContext:  # type: ignore[no-untyped-def]
    store = OxigraphStore()
    store.load(seed_build.output_dir / "linkedalliance.nq")
    return make_context(store, project_dir=repo_root, texts_dir=seed_build.output_dir / "texts")


@pytest.fixture(scope="module", autouse=True)
def report_counts():  # type: ignore[no-untyped-def]
    yield
    print("\nfuzz cases run: " + ", ".join(f"{k}={v}" for k, v in sorted(COUNTS.items())))


# -- the parser ------------------------------------------------------------------------------


@settings(FUZZ, max_examples=400)
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.builds(
            mutate,
            st.just(VALID),
            st.lists(st.integers(0, 10_000), max_size=6),
            st.integers(0, 255),
        ),
        st.sampled_from(SMUGGLED).map(str.encode),
        documents.map(str.encode),
    ),
    fmt=st.sampled_from([TURTLE, TRIG, JSONLD]),
)
def test_parser_answers_every_input_with_triples_or_a_clear_error(data: bytes, fmt) -> None:  # type: ignore[no-untyped-def]
    COUNTS["parser"] += 1
    try:
        parsed = parse_contribution(data, fmt, "fuzz", scheme=SCHEME)
    except LinkedAllianceError as exc:
        COUNTS["parser-refused"] += 1
        assert exc.message and 400 <= exc.status < 500
        return
    assert parsed.triples and len(parsed.sha256) == 64


# -- the validator ---------------------------------------------------------------------------


@settings(FUZZ, max_examples=200)
@given(doc=documents)
def test_validator_reports_hostile_documents_without_crashing(ctx: GraphContext, doc: str) -> None:
    COUNTS["validator"] += 1
    before = len(ctx.store)
    try:
        parsed = parse_contribution(doc.encode(), TURTLE, "fuzz", scheme=SCHEME)
    except LinkedAllianceError:
        COUNTS["validator-unparsable"] += 1
        return
    checked = check_contribution(parsed, ctx)
    for r in checked.report.results:
        assert r.focus_node and r.message
    if any(
        x in doc
        for x in (
            "owl:imports",
            "owl:sameAs",
            "rdfs:subClassOf",
            "sh:targetClass",
            "http://w3id.org/linkedalliance/",
            "w3ld.org",
            "evil.example",
        )
    ):
        assert not checked.conforms, doc
    COUNTS["validator-rejected" if not checked.conforms else "validator-conforms"] += 1
    assert len(ctx.store) == before


# -- the HTTP endpoint -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(seed_build, tmp_path_factory) -> TestClient:  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("fuzz") / "data"
    store = open_data_store(data, seed_build.output_dir / "linkedalliance.nq", scheme=SCHEME)
    app = create_app(
        store,
        Settings(data_dir=str(data), output_dir=str(seed_build.output_dir), write_token="fuzz"),
    )
    return TestClient(app, raise_server_exceptions=False)


@settings(FUZZ, max_examples=250)
@given(
    body=st.one_of(
        documents.map(str.encode),
        st.binary(max_size=300),
        st.sampled_from(SMUGGLED).map(str.encode),
        st.builds(
            mutate,
            st.just(VALID),
            st.lists(st.integers(0, 10_000), min_size=1, max_size=4),
            st.integers(0, 255),
        ),
    ),
    media=st.sampled_from(
        [
            "text/turtle",
            "application/trig",
            "application/ld+json",
            "text/turtle; charset=utf-8",
            "application/sparql-update",
            "text/plain",
            "",
            "application/rdf+xml",
        ]
    ),
    auth=st.sampled_from(["Bearer fuzz"] * 6 + ["Bearer nope", "", "Basic fuzz"]),
)
def test_endpoint_never_answers_500_and_keeps_the_store_on_refusal(
    client: TestClient, body: bytes, media: str, auth: str
) -> None:
    COUNTS["http"] += 1
    store = client.app.state.la.store  # type: ignore[attr-defined]
    before = len(store)
    headers = {"Content-Type": media} if media else {}
    if auth:
        headers["Authorization"] = auth
    r = client.post("/contributions", content=body, headers=headers)
    COUNTS[f"http-{r.status_code}"] += 1
    assert r.status_code in {200, 201, 400, 401, 403, 413, 415, 422}, r.text
    if r.status_code != 201:
        assert len(store) == before
    if r.status_code >= 400:
        assert r.json().get("error") or r.json().get("conforms") is False
