"""Deterministic generator of a domain-shaped synthetic linkedalliance graph.

    python bench/generate.py --triples 100000 --out bench/data/synth-100k.nq
    python bench/generate.py --triples 1M --out bench/data/synth-1m.nq

The output has the shapes the real build produces (see ``seeds/README.md`` and
``linkedalliance.provenance``): states, organisations, companies, persons, posts and
weapon systems in the entities graph; one named graph per synthetic source document
(``…/graph/doc/synth-N``) holding the ``la:SourceDocument``, its facts (``la:Membership``,
``la:Treaty``, ``la:Ratification``, ``la:ArmsTransfer``, ``la:Tenure``) and, for every
fact, an ``la:Evidence`` node whose ``oa:TextQuoteSelector`` quote stands at the
``oa:TextPositionSelector`` offsets (code points) of the document text. The text itself
is not published (as in the real build); its SHA-256 and length are
(``la:textSha256``, ``la:characterCount``) and :func:`generate` returns it for checks.

Same arguments, same bytes: one seeded :class:`random.Random`, no clock, no hash-order
dependence, lines sorted.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BASE = "https://w3id.org/linkedalliance/"
ID = BASE + "id/"
DOC = BASE + "doc/"
GRAPH = BASE + "graph/"
LA = BASE + "ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
OA = "http://www.w3.org/ns/oa#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"

ENTITIES_GRAPH = GRAPH + "entities"
CONTEXT_CHARS = 32  # as linkedalliance.provenance.CONTEXT_CHARS

#: Fact classes the generator emits (all are subclasses of la:FactNode).
FACT_CLASSES = ("Membership", "Treaty", "Ratification", "ArmsTransfer", "Tenure")

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_ESCAPE_RE = re.compile(r'[\\"\n\r]')


def iri(value: str) -> str:
    return f"<{value}>"


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    text = _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], value)
    if lang:
        return f'"{text}"@{lang}'
    if datatype:
        return f'"{text}"^^<{datatype}>'
    return f'"{text}"'


def nonneg(value: int) -> str:
    return lit(str(value), datatype=XSD + "nonNegativeInteger")


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

_SYLLABLES = (
    "ar",
    "be",
    "ka",
    "lo",
    "mi",
    "no",
    "ra",
    "sa",
    "te",
    "vu",
    "zo",
    "dra",
    "gor",
    "han",
    "is",
    "jen",
    "kor",
    "lan",
    "mor",
    "nes",
    "ost",
    "pal",
    "qua",
    "ren",
    "sil",
    "tor",
    "ul",
    "var",
    "wen",
    "yar",
    "zel",
    "bö",
    "çe",
    "ñu",
    "ša",
    "ré",
    "ø",
    "ły",
)
_STATE_ENDINGS = ("ia", "stan", "land", "ova", "ania", "ey", "ar", "ica")
_GIVEN = (
    "Anna",
    "Aram",
    "Boris",
    "Chen",
    "Dilnoza",
    "Élodie",
    "Farid",
    "Gulnara",
    "Hakan",
    "Ilham",
    "Jana",
    "Karen",
    "Lena",
    "Mikhail",
    "Nikol",
    "Olga",
    "Pavel",
    "Rustam",
    "Siranush",
    "Tomás",
    "Ulan",
    "Viktor",
    "Władysław",
    "Yerlan",
    "Zoë",
)
_ORG_PATTERNS = (
    ("{a} Treaty Organisation", "MilitaryAlliance"),
    ("{a} Collective Security Pact", "MilitaryAlliance"),
    ("{a} Economic Union", "SupranationalUnion"),
    ("{a} Cooperation Council", "InternationalOrganization"),
    ("Union of {a} States", "SupranationalUnion"),
)
_WEAPON_KINDS = (
    ("self-propelled howitzer", "Artillery"),
    ("multiple rocket launcher", "MultipleRocketLauncher"),
    ("tactical missile system", "Missiles"),
    ("electronic-warfare station", "ElectronicWarfare"),
    ("counter-drone complex", "CounterDrone"),
    ("reconnaissance drone", "Drones"),
    ("artillery targeting kit", "TargetingEquipment"),
    ("air defence system", "AirDefenceSystems"),
)
_POST_TYPES = (
    ("HeadOfState", "President of {s}"),
    ("HeadOfGovernment", "Prime Minister of {s}"),
    ("DefenceMinister", "Minister of Defence of {s}"),
    ("ForeignMinister", "Minister of Foreign Affairs of {s}"),
)
_STATUSES = ("Active", "Active", "Active", "Suspended", "WithdrawalAnnounced")
_FILLER = (
    "Analysts said the decision had been expected for months.",
    "The ministry did not respond to a request for comment.",
    "Officials declined to give further details.",
    "The announcement drew sharp criticism from the opposition.",
    "Diplomats described the talks as “constructive” — a familiar word.",
    "Neither side published the full text.",
    "Observers noted that the timing was unusual.",
)


def _slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts))


@dataclass
class Entity:
    slug: str
    label: str

    @property
    def iri(self) -> str:
        return ID + self.slug


@dataclass
class Fact:
    """A fact node: its IRI, its triples (without evidence) and its sentence."""

    slug: str
    kind: str
    pairs: list[tuple[str, str]]
    sentence: str
    variants: int = 0

    @property
    def iri(self) -> str:
        return ID + self.slug


@dataclass
class Dataset:
    lines: list[str]
    texts: dict[str, str] = field(default_factory=dict)  # document IRI -> text
    facts: int = 0
    documents: int = 0


class _Slugs:
    def __init__(self) -> None:
        self.used: set[str] = set()

    def mint(self, base: str) -> str:
        slug = _slug(base) or "x"
        candidate, n = slug, 1
        while candidate in self.used:
            n += 1
            candidate = f"{slug}-{n}"
        self.used.add(candidate)
        return candidate


@dataclass
class _Date:
    year: int
    month: int
    day: int
    precision: str  # "date", "gYearMonth", "gYear"

    def literal(self) -> str:
        if self.precision == "date":
            return lit(f"{self.year:04d}-{self.month:02d}-{self.day:02d}", datatype=XSD + "date")
        if self.precision == "gYearMonth":
            return lit(f"{self.year:04d}-{self.month:02d}", datatype=XSD + "gYearMonth")
        return lit(f"{self.year:04d}", datatype=XSD + "gYear")

    def text(self) -> str:
        months = (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        )
        if self.precision == "date":
            return f"{self.day} {months[self.month - 1]} {self.year}"
        if self.precision == "gYearMonth":
            return f"{months[self.month - 1]} {self.year}"
        return str(self.year)


class Generator:
    def __init__(self, triples: int, seed: int) -> None:
        self.target = triples
        self.rng = random.Random(seed)
        self.slugs = _Slugs()
        self.quads: set[str] = set()
        self.texts: dict[str, str] = {}
        self.facts: list[Fact] = []
        self.fact_slugs: set[str] = set()
        self.fact_count = 0
        self.memberships: dict[tuple[str, str], Fact] = {}
        self.treaties: list[tuple[Fact, list[Entity], int]] = []
        self.post_next_year: dict[str, int] = {}

    # -- output ---------------------------------------------------------------

    def add(self, s: str, p: str, o: str, g: str) -> None:
        self.quads.add(f"<{s}> <{p}> {o} <{g}> .\n")

    # -- dates ----------------------------------------------------------------

    def date(self, year: int, precision: str | None = None) -> _Date:
        rng = self.rng
        if precision is None:
            precision = rng.choices(("date", "gYearMonth", "gYear"), (6, 3, 1))[0]
        return _Date(year, rng.randint(1, 12), rng.randint(1, 28), precision)

    # -- entities -------------------------------------------------------------

    def entities(self) -> None:
        rng, t, g = self.rng, self.target, ENTITIES_GRAPH
        n_states = max(6, min(250, t // 3000))
        n_orgs = max(3, t // 10000)
        n_companies = max(3, t // 10000)
        n_weapons = max(5, t // 5000)
        n_persons = max(6, t // 1000)
        n_publishers = max(2, t // 25000)

        self.states: list[Entity] = []
        for _ in range(n_states):
            name = (_word(rng, rng.randint(1, 2)) + rng.choice(_STATE_ENDINGS)).capitalize()
            e = Entity(self.slugs.mint(name), name)
            self.states.append(e)
            code = (_slug(name).replace("-", "") + "xxx")[:3].upper()
            self.add(e.iri, RDF_TYPE, iri(LA + "State"), g)
            self.add(e.iri, RDFS + "label", lit(name, "en"), g)
            self.add(e.iri, LA + "iso3166Alpha3", lit(code), g)
        self.orgs: list[Entity] = []
        for _ in range(n_orgs):
            pattern, cls = rng.choice(_ORG_PATTERNS)
            name = pattern.format(a=_word(rng, 2).capitalize())
            e = Entity(self.slugs.mint(name), name)
            self.orgs.append(e)
            acronym = "".join(w[0] for w in name.split() if w[0].isupper())
            self.add(e.iri, RDF_TYPE, iri(LA + cls), g)
            self.add(e.iri, RDFS + "label", lit(name, "en"), g)
            self.add(e.iri, SKOS + "altLabel", lit(acronym, "en"), g)
        self.companies: list[Entity] = []
        for _ in range(n_companies):
            name = _word(rng, 2).capitalize() + rng.choice((" Arms", " Defence Works", " Plant"))
            e = Entity(self.slugs.mint(name), name)
            self.companies.append(e)
            self.add(e.iri, RDF_TYPE, iri(LA + "Company"), g)
            self.add(e.iri, RDFS + "label", lit(name, "en"), g)
            self.add(e.iri, LA + "countryOf", iri(rng.choice(self.states).iri), g)
        self.weapons: list[tuple[Entity, str, str]] = []
        for _ in range(n_weapons):
            kind, category = rng.choice(_WEAPON_KINDS)
            name = f"{_word(rng, 2).capitalize()}-{rng.randint(1, 400)}"
            e = Entity(self.slugs.mint(name), name)
            self.weapons.append((e, kind, category))
            self.add(e.iri, RDF_TYPE, iri(LA + "WeaponSystem"), g)
            self.add(e.iri, RDFS + "label", lit(name, "en"), g)
            self.add(e.iri, LA + "weaponCategory", iri(LA + category), g)
            self.add(e.iri, LA + "producer", iri(rng.choice(self.companies).iri), g)
        self.persons: list[Entity] = []
        for _ in range(n_persons):
            surname = _word(rng, 2).capitalize() + rng.choice(("yan", "ov", "enko", "ev", ""))
            name = f"{rng.choice(_GIVEN)} {surname}"
            e = Entity(self.slugs.mint(name), name)
            self.persons.append(e)
            self.add(e.iri, RDF_TYPE, iri(LA + "Person"), g)
            self.add(e.iri, RDFS + "label", lit(name, "en"), g)
        self.posts: list[Entity] = []
        for state in self.states:
            for post_type, pattern in _POST_TYPES:
                label = pattern.format(s=state.label)
                e = Entity(self.slugs.mint(label), label)
                self.posts.append(e)
                self.post_next_year[e.slug] = rng.randint(1960, 1975)
                self.add(e.iri, RDF_TYPE, iri(LA + "Post"), g)
                self.add(e.iri, RDFS + "label", lit(label, "en"), g)
                self.add(e.iri, ORG + "postIn", iri(state.iri), g)
                self.add(e.iri, LA + "postType", iri(LA + post_type), g)
        self.publishers: list[Entity] = []
        for _ in range(n_publishers):
            name = f"The {_word(rng, 2).capitalize()} {rng.choice(('Times', 'Herald', 'Monitor'))}"
            e = Entity(self.slugs.mint(name), name)
            self.publishers.append(e)
            self.add(e.iri, RDF_TYPE, iri(LA + "MediaOrganization"), g)
            self.add(e.iri, RDFS + "label", lit(name, "en"), g)

    # -- facts ----------------------------------------------------------------

    def new_membership(self) -> Fact:
        rng = self.rng
        state, org = rng.choice(self.states), rng.choice(self.orgs)
        known = self.memberships.get((state.slug, org.slug))
        if known is not None:
            return known
        start_year = rng.randint(1950, 2015)
        start = self.date(start_year)
        pairs = [
            (RDF_TYPE, iri(LA + "Membership")),
            (ORG + "member", iri(state.iri)),
            (ORG + "organization", iri(org.iri)),
            (SCHEMA + "startDate", start.literal()),
        ]
        sentence = f"{state.label} joined the {org.label} in {start.text()}"
        status = rng.choice(_STATUSES)
        if rng.random() < 0.3:
            end = self.date(start_year + rng.randint(1, 9))
            pairs.append((SCHEMA + "endDate", end.literal()))
            status = "Withdrawn"
            sentence += f" and left it in {end.text()}"
        pairs.append((LA + "membershipStatus", iri(LA + status)))
        fact = Fact(
            self.slugs.mint(f"{state.slug}-{org.slug}-membership"),
            "Membership",
            pairs,
            sentence + ".",
        )
        self.memberships[(state.slug, org.slug)] = fact
        return fact

    def new_treaty(self) -> Fact:
        rng = self.rng
        parties = rng.sample(self.states, k=min(len(self.states), rng.choice((2, 2, 2, 3, 4))))
        year = rng.randint(1955, 2022)
        signed = self.date(year, "date")
        topic = rng.choice(
            (
                "Friendship and Mutual Assistance",
                "Military-Technical Cooperation",
                "Joint Air Defence",
                "Border Security",
                "Collective Security",
            )
        )
        title = f"Treaty on {topic} between " + " and ".join(p.label for p in parties)
        pairs = [
            (RDF_TYPE, iri(LA + "Treaty")),
            (RDFS + "label", lit(f"{title} ({year})", "en")),
            (LA + "signingDate", signed.literal()),
        ] + [(LA + "party", iri(p.iri)) for p in parties]
        if rng.random() < 0.5:
            pairs.append(
                (
                    LA + "validityPeriod",
                    lit(f"P{rng.choice((5, 10, 25))}Y", datatype=XSD + "duration"),
                )
            )
        sentence = f"On {signed.text()}, the {title} was signed."
        fact = Fact(self.slugs.mint(f"{_slug(topic)}-treaty-{year}"), "Treaty", pairs, sentence)
        self.treaties.append((fact, parties, year))
        return fact

    def new_ratification(self) -> Fact:
        rng = self.rng
        if not self.treaties:
            return self.new_treaty()
        treaty, parties, year = rng.choice(self.treaties)
        state = rng.choice(parties)
        date = self.date(year + rng.randint(1, 3), "date")
        pairs = [
            (RDF_TYPE, iri(LA + "Ratification")),
            (LA + "ratifiedAgreement", iri(treaty.iri)),
            (LA + "ratifiedBy", iri(state.iri)),
            (DCTERMS + "date", date.literal()),
        ]
        topic = treaty.slug.rsplit("-treaty-", 1)[0].replace("-", " ")
        sentence = (
            f"The parliament of {state.label} ratified the {year} treaty on {topic} "
            f"on {date.text()}."
        )
        return Fact(
            self.slugs.mint(f"{state.slug}-ratification-{treaty.slug}"),
            "Ratification",
            pairs,
            sentence,
        )

    def new_transfer(self) -> Fact:
        rng = self.rng
        supplier, recipient = rng.sample(self.states, k=2)
        weapon, kind, category = rng.choice(self.weapons)
        year = rng.randint(1990, 2024)
        start = self.date(year)
        status = rng.choice(("Ordered", "Delivered"))
        pairs = [
            (RDF_TYPE, iri(LA + "ArmsTransfer")),
            (LA + "supplier", iri(supplier.iri)),
            (LA + "recipient", iri(recipient.iri)),
            (LA + "item", iri(weapon.iri)),
            (LA + "itemCategory", iri(LA + category)),
            (SCHEMA + "startDate", start.literal()),
            (LA + "transferStatus", iri(LA + status)),
        ]
        verb = "ordered" if status == "Ordered" else "received"
        sentence = (
            f"In {start.text()}, {recipient.label} {verb} {weapon.label} {kind}s "
            f"from {supplier.label}, according to the report."
        )
        slug = self.slugs.mint(f"{supplier.slug}-{recipient.slug}-{weapon.slug}-{year}")
        return Fact(slug, "ArmsTransfer", pairs, sentence)

    def new_tenure(self) -> Fact:
        rng = self.rng
        person, post = rng.choice(self.persons), rng.choice(self.posts)
        start_year = self.post_next_year[post.slug]
        end_year = start_year + rng.randint(1, 6)
        self.post_next_year[post.slug] = end_year + 1
        start, end = self.date(start_year), self.date(end_year)
        pairs = [
            (RDF_TYPE, iri(LA + "Tenure")),
            (LA + "holder", iri(person.iri)),
            (LA + "post", iri(post.iri)),
            (SCHEMA + "startDate", start.literal()),
            (SCHEMA + "endDate", end.literal()),
        ]
        sentence = f"{person.label} served as {post.label} from {start.text()} to {end.text()}."
        return Fact(
            self.slugs.mint(f"{person.slug}-{post.slug}-{start_year}"), "Tenure", pairs, sentence
        )

    def next_fact(self, used: set[str]) -> Fact:
        rng = self.rng
        if self.facts and rng.random() < 0.1:
            fact = rng.choice(self.facts)
            if fact.slug not in used:
                return fact
        makers: tuple[Callable[[], Fact], ...] = (
            self.new_membership,
            self.new_treaty,
            self.new_ratification,
            self.new_transfer,
            self.new_tenure,
        )
        maker = rng.choices(makers, (20, 12, 10, 33, 25))[0]
        fact = maker()
        if fact.slug in used:  # a membership already reported by this document
            fact = self.new_transfer()
        if fact.slug not in self.fact_slugs:
            self.fact_slugs.add(fact.slug)
            self.facts.append(fact)
        return fact

    # -- documents ------------------------------------------------------------

    def document(self, number: int, budget: int) -> None:
        rng = self.rng
        doc_id = f"synth-{number}"
        doc, graph = DOC + doc_id, GRAPH + "doc/" + doc_id
        year = rng.randint(2000, 2025)
        published = self.date(year)
        title = f"Report {number}: {rng.choice(self.states).label} and its neighbours"
        header = [
            (RDF_TYPE, iri(LA + "SourceDocument")),
            (RDF_TYPE, iri(SCHEMA + "NewsArticle")),
            (DCTERMS + "title", lit(title)),
            (SCHEMA + "publisher", iri(rng.choice(self.publishers).iri)),
            (SCHEMA + "datePublished", published.literal()),
        ]
        wanted = rng.randint(4, 14)
        parts: list[str] = [title, "\n\n"]
        chosen: list[tuple[Fact, str]] = []
        used: set[str] = set()
        spent = len(header) + 2
        while len(chosen) < wanted and spent < budget:
            fact = self.next_fact(used)
            used.add(fact.slug)
            sentence = fact.sentence
            for prefix in ("", "Separately, ", "Again, ", "As noted earlier, "):
                candidate = prefix + sentence if prefix else sentence
                text_so_far = "".join(parts)
                if candidate not in text_so_far and not any(q in candidate for _, q in chosen):
                    break
            else:  # pragma: no cover - four phrasings all taken
                continue
            if rng.random() < 0.5:
                parts.append(rng.choice(_FILLER) + " ")
            chosen.append((fact, candidate))
            parts.append(candidate)
            parts.append("\n\n" if rng.random() < 0.3 else " ")
            spent += len(fact.pairs) + 16
        parts.append("Subscribe to our newsletter.\n")
        text = "".join(parts)
        for key, value in header:
            self.add(doc, key, value, graph)
        self.add(doc, LA + "textSha256", lit(hashlib.sha256(text.encode()).hexdigest()), graph)
        self.add(doc, LA + "characterCount", lit(str(len(text)), datatype=XSD + "integer"), graph)
        for fact, quote in chosen:
            start = text.index(quote)
            if text.find(quote, start + 1) >= 0:
                raise AssertionError(f"quote not unique in {doc_id}: {quote!r}")
            for key, value in fact.pairs:
                self.add(fact.iri, key, value, graph)
            evidence = self.evidence(doc_id, text, start, start + len(quote), graph)
            self.add(fact.iri, LA + "evidence", iri(evidence), graph)
        self.texts[doc] = text
        self.fact_count += len(chosen)

    def evidence(self, doc_id: str, text: str, start: int, end: int, graph: str) -> str:
        """The la:Evidence node, as linkedalliance.provenance.add_evidence_node writes it."""
        doc = DOC + doc_id
        node = f"{doc}#char={start},{end}"
        quote_sel = f"{doc}#quote={start},{end}"
        pos_sel = f"{doc}#position={start},{end}"
        add = self.add
        add(node, RDF_TYPE, iri(LA + "Evidence"), graph)
        add(node, RDF_TYPE, iri(OA + "SpecificResource"), graph)
        add(node, OA + "hasSource", iri(doc), graph)
        add(node, OA + "hasSelector", iri(quote_sel), graph)
        add(node, OA + "hasSelector", iri(pos_sel), graph)
        add(node, NIF + "beginIndex", nonneg(start), graph)
        add(node, NIF + "endIndex", nonneg(end), graph)
        add(node, NIF + "referenceContext", iri(doc), graph)
        add(quote_sel, RDF_TYPE, iri(OA + "TextQuoteSelector"), graph)
        add(quote_sel, OA + "exact", lit(text[start:end]), graph)
        add(quote_sel, OA + "prefix", lit(text[max(0, start - CONTEXT_CHARS) : start]), graph)
        add(quote_sel, OA + "suffix", lit(text[end : end + CONTEXT_CHARS]), graph)
        add(pos_sel, RDF_TYPE, iri(OA + "TextPositionSelector"), graph)
        add(pos_sel, OA + "start", nonneg(start), graph)
        add(pos_sel, OA + "end", nonneg(end), graph)
        return node

    def run(self) -> Dataset:
        self.entities()
        number = 0
        while True:
            remaining = self.target - len(self.quads)
            if remaining < 30:
                break
            number += 1
            self.document(number, remaining)
        return Dataset(sorted(self.quads), self.texts, self.fact_count, number)


def generate(triples: int, seed: int = 42) -> Dataset:
    """Generate about ``triples`` quads (within a few tens) deterministically."""
    if triples < 300:
        raise ValueError("ask for at least 300 triples")
    return Generator(triples, seed).run()


def parse_size(text: str) -> int:
    """``100000``, ``100k``, ``1M`` -> an integer."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM]?)", text.strip().replace("_", ""))
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r}")
    number, unit = float(match.group(1)), match.group(2).lower()
    return int(number * {"": 1, "k": 1_000, "m": 1_000_000}[unit])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=parse_size, required=True, help="e.g. 100000, 100k, 1M")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True, help="N-Quads file to write")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    data = generate(args.triples, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="\n") as out:
        out.writelines(data.lines)
    print(
        f"{args.out}: {len(data.lines)} quads, {data.documents} documents, {data.facts} fact "
        f"reports in {time.perf_counter() - began:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
