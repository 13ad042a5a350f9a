"""Unit tests of the extractor: dates, name keys, mentions, output shape, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from linkedalliance.commands.extract import command as extract_command
from linkedalliance.extract.dates import DateFormatError, Publication, find_dates
from linkedalliance.extract.gazetteer import Gazetteer, light_key, skeleton
from linkedalliance.extract.mentions import find_mentions
from linkedalliance.namespaces import LA, OA

PUB = Publication.parse("2024-06-14")

ENTITIES = """
@prefix : <https://w3id.org/linkedalliance/id/> .
@prefix la: <https://w3id.org/linkedalliance/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
:belarus a la:State ; rdfs:label "Belarus"@en ; skos:hiddenLabel "Minsk"@en ;
    la:demonym "Belarusan"@en, "Belarusian"@en .
:russia a la:State ; rdfs:label "Russia"@en ; skos:hiddenLabel "Moscow"@en, "the Kremlin"@en .
:armenia a la:State ; rdfs:label "Armenia"@en ; la:demonym "Armenian"@en .
:csto a la:MilitaryAlliance ; rdfs:label "Collective Security Treaty Organization"@en ;
    skos:altLabel "CSTO"@en .
:lukashenko a la:Person ; rdfs:label "Aleksandr Lukashenko"@en .
:pashinyan a la:Person ; rdfs:label "Nikol Pashinyan"@en .
"""


def _gaz() -> Gazetteer:
    return Gazetteer.from_graph(Graph().parse(data=ENTITIES, format="turtle"))


@pytest.mark.parametrize(
    ("text", "value", "end", "dtype"),
    [
        ("June 12", "2024-06-12", None, "date"),
        ("February 8-10", "2024-02-08", "2024-02-10", "date"),
        ("May 1999", "1999-05", None, "gYearMonth"),
        ("between 2018 and 2022", "2018", "2022", "gYear"),
        ("last year", "2023", None, "gYear"),
        ("last month", "2024-05", None, "gYearMonth"),
        ("early September 2016", "2016-09", None, "gYearMonth"),
        ("Wednesday, June 12", "2024-06-12", None, "date"),
        ("December 8 and 9", "2023-12-08", "2023-12-09", "date"),
        ("Sept. 13, 2022", "2022-09-13", None, "date"),
        ("in 1999", "1999", None, "gYear"),
    ],
)
def test_dates(text: str, value: str, end: str | None, dtype: str) -> None:
    found = find_dates(f"It happened {text}.", PUB)
    assert len(found) == 1, found
    d = found[0]
    assert (d.value, d.end_value, d.datatype) == (value, end, dtype)
    assert f"It happened {text}."[d.start : d.end] in text


def test_weekday_picks_year() -> None:
    (d,) = find_dates("on Thursday, June 13", Publication.parse("2025-01-10"))
    assert d.value == "2024-06-13" and d.year_resolved


@pytest.mark.parametrize("bad", ["14/06/2024", "June 2024", "2024-13-01", ""])
def test_bad_publication_date(bad: str) -> None:
    with pytest.raises(DateFormatError):
        Publication.parse(bad)


def test_transliteration_keys() -> None:
    assert light_key("Lukashenka") == light_key("Lukashenko")
    assert light_key("Pashinian") == light_key("Pashinyan")
    assert light_key("Harutiunian") == light_key("Harutyunyan")
    assert len({skeleton(w) for w in ("Aleksandr", "Alexander", "Alyaksandr")}) == 1
    assert light_key("Armenia") != light_key("Armenian")


def test_mentions_variants_and_metonyms() -> None:
    text = (
        "Alyaksandr Lukashenka met Pashinian in Minsk. The Kremlin and Moscow watched; "
        "Belarusan and Belarusian officers joined the CSTO."
    )
    ms, _ = find_mentions(text, _gaz())
    got = {(m.text, str(m.entity.iri).rsplit("/", 1)[-1]) for m in ms}
    assert ("Alyaksandr Lukashenka", "lukashenko") in got
    assert ("Pashinian", "pashinyan") in got
    assert ("Minsk", "belarus") in got
    assert ("Kremlin", "russia") in got or ("The Kremlin", "russia") in got
    assert ("Moscow", "russia") in got
    assert ("Belarusan", "belarus") in got and ("Belarusian", "belarus") in got


def test_discovery_of_new_names() -> None:
    text = (
        "Armenian Prime Minister Aram Sarkisian spoke. Armenia’s defense minister, "
        'Lieutenant-General Vagharshak Harutiunian, agreed. "No," said Ivana Stradner, '
        "a research fellow at the Foundation for Defense of Democracies."
    )
    ms, gaz = find_mentions(text, _gaz())
    new = {m.entity.label: m.kind for m in ms if m.entity.new}
    assert new.get("Aram Sarkisian") == "person"
    assert new.get("Vagharshak Harutiunian") == "person"
    assert new.get("Ivana Stradner") == "person"
    assert new.get("Foundation for Defense of Democracies") == "organisation"
    assert all("/id/candidate-" in str(m.entity.iri) for m in ms if m.entity.new)


ARTICLE = (
    "On Wednesday, June 12, Armenian Prime Minister Nikol Pashinyan announced his government "
    "would begin the process of withdrawing from the CSTO. Belarus joined the Shanghai "
    "Cooperation Organization last week. Russia supplied the Iskander-E tactical missile "
    "systems to Armenia in 2016.\n"
)


def _run(tmp_path: Path, *args: str) -> tuple[int, str]:
    art = tmp_path / "article.txt"
    if not art.exists():
        art.write_text(ARTICLE, encoding="utf-8")
    ent = tmp_path / "entities.ttl"
    ent.write_text(ENTITIES, encoding="utf-8")
    res = CliRunner().invoke(extract_command, [*args, "--entities", str(ent)])
    return res.exit_code, res.output


def test_extract_output_shape(tmp_path: Path) -> None:
    code, out = _run(
        tmp_path,
        str(tmp_path / "article.txt"),
        "--published",
        "2024-06-14",
        "--publisher",
        "Politico",
    )
    assert code == 0, out
    ds = Dataset()
    ds.parse(data=out, format="trig")
    g = ds.graph(URIRef("https://w3id.org/linkedalliance/graph/candidates/article"))
    facts = set(g.subjects(RDF.type, LA.Candidate))
    classes = {o for f in facts for o in g.objects(f, RDF.type)}
    assert LA.WithdrawalAnnouncement in classes and LA.Accession in classes
    assert LA.ArmsTransfer in classes and LA.Tenure in classes
    text = ARTICLE
    for f in facts:
        if (f, RDF.type, LA.Person) in g:
            continue
        ev = g.value(f, LA.evidence)
        assert ev is not None and g.value(f, LA.confidence) is not None
        sels = list(g.objects(ev, OA.hasSelector))
        pos = next(s for s in sels if (s, RDF.type, OA.TextPositionSelector) in g)
        quote = next(s for s in sels if (s, RDF.type, OA.TextQuoteSelector) in g)
        start, end = int(g.value(pos, OA.start)), int(g.value(pos, OA.end))
        assert text[start:end] == str(g.value(quote, OA.exact))
        assert str(ev).endswith(f"#char={start},{end}")
    code2, out2 = _run(
        tmp_path,
        str(tmp_path / "article.txt"),
        "--published",
        "2024-06-14",
        "--publisher",
        "Politico",
    )
    assert out2 == out  # deterministic


@pytest.mark.parametrize(
    ("content", "published", "fragment"),
    [
        (b"", "2024-06-14", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "2024-06-14", "binary"),
        (ARTICLE.encode(), "14 June 2024", "unknown date format"),
    ],
)
def test_bad_input_exit_2(tmp_path: Path, content: bytes, published: str, fragment: str) -> None:
    from linkedalliance.cli import main

    art = tmp_path / "a.txt"
    art.write_bytes(content)
    res = CliRunner().invoke(main, ["extract", str(art), "--published", published])
    assert res.exit_code == 2, res.output
    assert fragment in res.output
    assert "Traceback" not in res.output
