"""The RDF format registry and the safe parsers."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD

from linkedalliance import rdfio
from linkedalliance.errors import InputFileError, RdfSyntaxError, UnsupportedFormat
from linkedalliance.rdfio import (
    FORMATS,
    format_by_name,
    format_from_media_type,
    format_from_path,
    parse_bytes,
    parse_file,
    serialize,
)

EX = "http://example.org/"
TURTLE = """@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:name "Belarus"@en , "plain" ;
    ex:date "2024-06"^^xsd:gYearMonth ;
    ex:count 3 ;
    ex:link [ ex:value 1.5 ] .
"""


def sample_graph() -> Graph:
    return Graph().parse(data=TURTLE, format="turtle")


def test_registry_is_complete_and_consistent() -> None:
    assert [f.name for f in FORMATS] == ["turtle", "trig", "nquads", "ntriples", "jsonld", "rdfxml"]
    for fmt in FORMATS:
        assert format_by_name(fmt.name) is fmt
        assert format_from_media_type(fmt.media_type) is fmt
        for ext in fmt.extensions:
            assert format_from_path(f"x.{ext}") is fmt
        assert fmt.supports_datasets == fmt.oxigraph.supports_datasets
        assert fmt.media_type == fmt.oxigraph.media_type


def test_lookups_ignore_case_and_parameters() -> None:
    assert format_from_path("A.TTL").name == "turtle"
    assert format_from_media_type("Application/N-Quads; charset=utf-8").name == "nquads"


def test_unknown_media_type() -> None:
    with pytest.raises(UnsupportedFormat, match="unsupported RDF media type 'text/csv'"):
        format_from_media_type("text/csv")


def test_unknown_extension_lists_known_ones() -> None:
    with pytest.raises(InputFileError) as info:
        format_from_path("data.csv")
    assert str(info.value) == (
        "data.csv: unknown RDF file extension ('.csv'); known: "
        ".ttl, .trig, .nq, .nt, .jsonld, .json, .rdf, .owl, .xml"
    )


def test_unknown_format_name() -> None:
    with pytest.raises(UnsupportedFormat, match="unknown RDF format 'n3'"):
        format_by_name("n3")


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_round_trip_through_every_format(fmt: rdfio.RdfFormat, tmp_path: Path) -> None:
    original = sample_graph()
    if fmt.supports_datasets:
        ds = Dataset()
        named = ds.graph(URIRef(EX + "g"))
        for t in original:
            named.add(t)
        payload = serialize(ds, fmt)
    else:
        payload = serialize(original, fmt)
    path = tmp_path / f"data.{fmt.extension}"
    path.write_bytes(payload)
    parsed = parse_file(path)
    union = Graph()
    for s, p, o, _g in parsed.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, original)
    if fmt.supports_datasets:
        assert URIRef(EX + "g") in {g.identifier for g in parsed.graphs()}


def test_literals_and_blank_nodes_convert_like_rdflib() -> None:
    ds = parse_bytes(TURTLE, "turtle", "inline")
    g = ds.graph(DATASET_DEFAULT_GRAPH_ID)
    a = URIRef(EX + "a")
    names = set(g.objects(a, URIRef(EX + "name")))
    assert names == {Literal("Belarus", lang="en"), Literal("plain")}
    assert g.value(a, URIRef(EX + "date")) == Literal("2024-06", datatype=XSD.gYearMonth)
    assert isinstance(g.value(a, URIRef(EX + "link")), BNode)
    assert isomorphic(g, sample_graph())


def test_blank_nodes_are_fresh_per_parse() -> None:
    one = parse_bytes("_:x <http://e/p> <http://e/o> .", "ntriples", "a")
    two = parse_bytes("_:x <http://e/p> <http://e/o> .", "ntriples", "b")
    assert {s for s, *_ in one.quads()}.isdisjoint({s for s, *_ in two.quads()})


def test_turtle_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(
        '@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b "x ;\n', encoding="utf-8"
    )
    with pytest.raises(RdfSyntaxError) as info:
        parse_file(path)
    err = info.value
    assert (err.source, err.line, err.column) == (str(path), 3, 11)
    assert str(err) == f"{path}:3:11: invalid turtle: Unexpected end of file"


def test_ntriples_syntax_error_position() -> None:
    with pytest.raises(RdfSyntaxError) as info:
        data = b"<http://e/a> <http://e/b> <http://e/c> .\n<a> <b> <c> .\n"
        parse_bytes(data, "ntriples", "x.nt")
    assert (info.value.line, info.value.column) == (2, 1)
    assert "No scheme found in an absolute IRI" in info.value.reason


def test_jsonld_syntax_error_position() -> None:
    with pytest.raises(RdfSyntaxError) as info:
        parse_bytes(b'{"@id": "http://e/a",\n "http://e/p": [}', "jsonld", "x.jsonld")
    assert info.value.line == 2


def test_jsonld_remote_context_is_refused_not_fetched() -> None:
    doc = b'{"@context": "http://127.0.0.1:9/never", "@id": "http://e/a", "name": "x"}'
    with pytest.raises(RdfSyntaxError, match="remote @context, which is never fetched"):
        parse_bytes(doc, "jsonld", "x.jsonld")


def test_rdfxml_external_entity_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    doc = f"""<?xml version="1.0"?>
<!DOCTYPE r [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">
  <rdf:Description rdf:about="http://e/a"><ex:p>&xxe;</ex:p></rdf:Description>
</rdf:RDF>"""
    try:
        ds = parse_bytes(doc, "rdfxml", "x.rdf")
    except RdfSyntaxError:
        return
    assert all("TOPSECRET" not in str(o) for *_x, o, _g in ds.quads())


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as info:
        parse_file(tmp_path / "nope.ttl")
    assert str(info.value) == f"{tmp_path / 'nope.ttl'}: file not found"


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    d = tmp_path / "dir.ttl"
    d.mkdir()
    with pytest.raises(InputFileError, match="is a directory"):
        parse_file(d)


def test_unknown_extension_on_parse(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"unknown RDF file extension \('\.txt'\)"):
        parse_file(path)


def test_explicit_format_overrides_extension(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("<http://e/a> <http://e/b> <http://e/c> .\n", encoding="utf-8")
    assert len(parse_file(path, fmt="ntriples")) == 1
