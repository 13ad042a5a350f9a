"""A gazetteer of names built from the graph: labels, alternative and hidden labels,
demonyms and metonyms (a capital for its government), matched on normalised keys.

Two keys are computed per word:

* the *light* key: ASCII-folded, lower-cased, ``x``→``ks``, ``kh``→``h``, ``y``→``i``,
  runs of the same letter collapsed, ``ia``/``ea``/``ie`` collapsed to ``i``, a final ``a``
  or ``o`` dropped ("Pashinian"/"Pashinyan", "Lukashenka"/"Lukashenko", "Harutiunian"/
  "Harutyunyan" meet here);
* the *skeleton*: the first letter and the consonants of the light key
  ("Aleksandr"/"Alexander"/"Alyaksandr"). It is used for names of persons only, and only
  for words of five letters or more, where a collision is unlikely.

>>> light_key("Pashinian") == light_key("Pashinyan")
True
>>> light_key("Lukashenka") == light_key("Lukashenko")
True
>>> len({skeleton("Aleksandr"), skeleton("Alexander"), skeleton("Alyaksandr")})
1
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, RDFS, SKOS
from rdflib.term import Node

from linkedalliance.extract.text import Token, tokenize
from linkedalliance.namespaces import LA, SCHEMA, IriScheme, slugify

#: Mention kinds, from the ontology's classes.
KINDS = ("state", "organisation", "person", "place", "weapon", "event")

_PARENT: dict[str, str] = {
    "State": "state",
    "Organization": "organisation",
    "InternationalOrganization": "organisation",
    "MilitaryAlliance": "organisation",
    "SupranationalUnion": "organisation",
    "GovernmentBody": "organisation",
    "Company": "organisation",
    "Plant": "organisation",
    "MediaOrganization": "organisation",
    "ResearchOrganization": "organisation",
    "Person": "person",
    "Place": "place",
    "City": "place",
    "Region": "place",
    "MilitarySite": "place",
    "WeaponSystem": "weapon",
    "Event": "event",
    "Meeting": "event",
    "OfficialVisit": "event",
    "Summit": "event",
    "Exhibition": "event",
    "Presentation": "event",
    "MilitaryExercise": "event",
    "ArmedConflict": "event",
    "War": "event",
    "MilitaryOffensive": "event",
    "Post": "post",
}

#: When an entity has several types, the most telling kind wins.
_KIND_ORDER = ("state", "person", "weapon", "place", "organisation", "event", "post")


def kind_of_types(types: Iterable[object]) -> str | None:
    kinds = {
        _PARENT[str(t)[len(str(LA)) :]]
        for t in types
        if str(t).startswith(str(LA)) and str(t)[len(str(LA)) :] in _PARENT
    }
    for k in _KIND_ORDER:
        if k in kinds:
            return k
    return None


def _ascii(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


def light_key(word: str) -> str:
    w = _ascii(word)
    w = w.replace("x", "ks").replace("kh", "h").replace("y", "i").replace("j", "i")
    w = re.sub(r"(.)\1+", r"\1", w)
    w = re.sub(r"[ie]a|ie|ii|ei", "i", w)
    if len(w) > 4 and w[-1] in "ao":
        w = w[:-1]
    return w


def skeleton(word: str) -> str:
    w = light_key(word)
    if not w:
        return w
    return w[0] + re.sub(r"[aeiou]", "", w[1:])


#: Words that never start or form a name on their own.
STOP_CAPS = {
    "the",
    "a",
    "an",
    "and",
    "of",
    "in",
    "on",
    "at",
    "for",
    "to",
    "by",
    "with",
    "from",
    "as",
    "but",
    "while",
    "after",
    "before",
    "since",
    "both",
    "neither",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "our",
    "their",
    "his",
    "her",
}


def candidate_iri(scheme: IriScheme, *parts: str) -> URIRef:
    """A one-segment entity IRI for something the extractor proposes:
    ``id/candidate-<slug>``, the slug made of ``parts`` (a part with no ASCII letter or
    digit becomes a short hash of itself, so the IRI stays a well-formed slug).

    >>> str(candidate_iri(IriScheme(), "Yerevan’s Regional Center"))
    'https://w3id.org/linkedalliance/id/candidate-yerevans-regional-center'
    >>> str(candidate_iri(IriScheme(), "003_1cc3", "membership-c6b0"))
    'https://w3id.org/linkedalliance/id/candidate-003-1cc3-membership-c6b0'
    """
    slugs = [slugify(p) or "h" + hashlib.sha256(p.encode()).hexdigest()[:10] for p in parts]
    return scheme.entity("-".join(["candidate", *slugs]))


@dataclass
class Entity:
    iri: URIRef
    kind: str
    label: str
    labels: set[str] = field(default_factory=set)
    new: bool = False
    #: The entity's ``rdf:type`` and ``rdfs:label`` statements in the graph the gazetteer
    #: was built from, (predicate, object) sorted: the candidate output repeats them so
    #: that it validates on its own, and merging it adds nothing to the entity.
    described: tuple[tuple[URIRef, Node], ...] = ()


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str
    entity: Entity
    how: str  # "label", "fuzzy", "surname", "discovered"


class Gazetteer:
    """Names → entities, matched on token sequences."""

    def __init__(self) -> None:
        self.entities: dict[URIRef, Entity] = {}
        self._light: dict[tuple[str, ...], list[tuple[Entity, bool]]] = {}
        self._skel: dict[tuple[str, ...], list[Entity]] = {}
        self._surname: dict[str, list[Entity]] = {}
        self.max_len = 1
        #: Known posts by (la:PostTypes local name, org:postIn IRI), when unambiguous.
        self.posts: dict[tuple[str, str], URIRef] = {}

    # -- building ---------------------------------------------------------------------

    @classmethod
    def from_graph(cls, graph: Graph, exclude: set[URIRef] | None = None) -> Gazetteer:
        gaz = cls()
        exclude = exclude or set()
        for s in sorted(set(graph.subjects(RDF.type, None)), key=str):
            if not isinstance(s, URIRef) or s in exclude:
                continue
            kind = kind_of_types(graph.objects(s, RDF.type))
            if kind is None:
                continue
            names = names_of(graph, s)
            if not names:
                continue
            pref = graph.value(s, RDFS.label) or graph.value(s, SKOS.prefLabel) or names[0][0]
            gaz.add(Entity(s, kind, str(pref), described=_described(graph, s)), names)
        gaz.posts = _posts(graph, exclude)
        return gaz

    def add(self, ent: Entity, names: Iterable[tuple[str, bool]]) -> None:
        """Index ``ent`` under ``names``; the flag marks names that need a capital
        in the text (all but lower-case labels)."""
        self.entities[ent.iri] = ent
        for name, _hidden in names:
            ent.labels.add(name)
            toks = [t.text for t in tokenize(name)]
            if not toks:
                continue
            key = tuple(light_key(t) if t[:1].isalnum() else t for t in toks)
            bucket = self._light.setdefault(key, [])
            if all(e is not ent for e, _ in bucket):
                bucket.append((ent, name[:1].isupper()))
                # a name shared by a state and a place ("Moscow": the city and, as a
                # metonym, Russia) reads as the state: relations need the agent
                bucket.sort(key=lambda x: x[0].kind != "state")
            self.max_len = max(self.max_len, len(toks))
            if ent.kind == "person":
                words = [t for t in toks if t[:1].isalpha() and not t.endswith(".")]
                if len(words) >= 2 and all(len(w) >= 4 for w in words):
                    sk = tuple(skeleton(w) for w in words)
                    if ent not in self._skel.setdefault(sk, []):
                        self._skel[sk].append(ent)
                if len(words) >= 2 and len(words[-1]) >= 4:
                    sur = self._surname.setdefault(light_key(words[-1]), [])
                    if ent not in sur:
                        sur.append(ent)

    def entity_by_key(self, name: str, kind: str | None = None) -> Entity | None:
        """The entity a full name resolves to (light key, then person skeleton)."""
        toks = [t.text for t in tokenize(name)]
        key = tuple(light_key(t) if t[:1].isalnum() else t for t in toks)
        for ent, _ in self._light.get(key, []):
            if kind is None or ent.kind == kind:
                return ent
        if kind in (None, "person"):
            words = [t for t in toks if t[:1].isalpha()]
            cands = self._skel.get(tuple(skeleton(w) for w in words), [])
            if len(cands) == 1:
                return cands[0]
            if len(words) >= 2:
                sur = self._surname.get(light_key(words[-1]), [])
                if len(sur) == 1 and skeleton(words[0]) == skeleton(_first_name(sur[0])):
                    return sur[0]
        return None

    # -- matching ---------------------------------------------------------------------

    def match(self, tokens: list[Token], text: str) -> list[Match]:
        """Longest non-overlapping matches, left to right."""
        out: list[Match] = []
        i = 0
        n = len(tokens)
        while i < n:
            found = self._match_at(tokens, i, text)
            if found is None:
                i += 1
                continue
            m, j = found
            out.append(m)
            i = j
        return out

    def _match_at(self, tokens: list[Token], i: int, text: str) -> tuple[Match, int] | None:
        n = len(tokens)
        first = tokens[i]
        if not first.text[:1].isalnum():
            return None
        for length in range(min(self.max_len, n - i), 0, -1):
            seq = tokens[i : i + length]
            if not seq[-1].text[:1].isalnum() and seq[-1].text != ".":
                continue
            if any(seq[k + 1].start - seq[k].end > 1 for k in range(len(seq) - 1)):
                continue
            key = tuple(light_key(t.text) if t.text[:1].isalnum() else t.text for t in seq)
            for ent, needs_cap in self._light.get(key, []):
                if needs_cap and not first.is_cap:
                    continue
                if not needs_cap and first.is_cap and i > 0 and _mid_sentence(tokens, i):
                    pass
                s, e = first.start, seq[-1].end
                return Match(s, e, text[s:e], ent, "label"), i + length
            if length >= 2 and all(t.is_cap or not t.is_word for t in seq):
                words = [t.text for t in seq if t.is_word]
                if len(words) >= 2 and all(len(w) >= 4 for w in words):
                    cands = self._skel.get(tuple(skeleton(w) for w in words), [])
                    if len(cands) == 1:
                        s, e = first.start, seq[-1].end
                        return Match(s, e, text[s:e], cands[0], "fuzzy"), i + length
        if first.is_cap and first.is_word and len(first.text) >= 4:
            sur = self._surname.get(light_key(first.text), [])
            if len(sur) == 1 and not _followed_by_cap_name(tokens, i):
                return Match(first.start, first.end, first.text, sur[0], "surname"), i + 1
        return None


def _described(graph: Graph, s: URIRef) -> tuple[tuple[URIRef, Node], ...]:
    return tuple(
        sorted(
            ((p, o) for p in (RDF.type, RDFS.label) for o in graph.objects(s, p)),
            key=lambda po: (str(po[0]), str(po[1]), po[1].n3()),
        )
    )


def _posts(graph: Graph, exclude: set[URIRef]) -> dict[tuple[str, str], URIRef]:
    """Posts of the graph keyed by post type and where they are; ambiguous keys dropped."""
    found: dict[tuple[str, str], set[URIRef]] = {}
    for post in graph.subjects(RDF.type, LA.Post):
        if not isinstance(post, URIRef) or post in exclude:
            continue
        for ptype in graph.objects(post, LA.postType):
            for where in graph.objects(post, ORG.postIn):
                key = (str(ptype)[len(str(LA)) :], str(where))
                found.setdefault(key, set()).add(post)
    return {k: next(iter(v)) for k, v in sorted(found.items()) if len(v) == 1}


def _first_name(ent: Entity) -> str:
    words = [t.text for t in tokenize(ent.label) if t.is_word]
    return words[0] if words else ""


def _mid_sentence(tokens: list[Token], i: int) -> bool:
    return tokens[i - 1].text not in '.!?\n“"'


def _followed_by_cap_name(tokens: list[Token], i: int) -> bool:
    return (
        i + 1 < len(tokens)
        and tokens[i + 1].is_cap
        and tokens[i + 1].is_word
        and tokens[i + 1].start - tokens[i].end <= 1
    )


def names_of(graph: Graph, s: URIRef) -> list[tuple[str, bool]]:
    """Every name of ``s`` in English or without language: (name, is hidden)."""
    out: list[tuple[str, bool]] = []
    seen: set[str] = set()
    props = [
        (RDFS.label, False),
        (SKOS.prefLabel, False),
        (SKOS.altLabel, False),
        (SCHEMA.name, False),
        (SCHEMA.alternateName, False),
        (SKOS.hiddenLabel, True),
        (LA.demonym, True),
    ]
    for prop, hidden in props:
        for o in sorted(graph.objects(s, prop), key=str):
            if isinstance(o, Literal) and (
                o.language in (None, "en") or str(o.language).startswith("en")
            ):
                name = str(o).strip()
                if name and name not in seen:
                    seen.add(name)
                    out.append((name, hidden))
    return out
