"""Mentions of states, organisations, persons, places, weapon systems and events.

Two sources of names:

1. the gazetteer (labels of the graph, see :mod:`linkedalliance.extract.gazetteer`), plus
   a background list of the world's sovereign states;
2. discovery from context, for names the graph does not know yet: a title or role before
   a name ("Prime Minister X", "defense minister, Lieutenant-General X", "President X"), an
   apposition after it ("X, a research fellow at Y", "X, Russia's deputy prime minister"),
   organisation names built around a head noun ("... Foundation", "... Organization
   (SCO)"), weapon names next to a weapon noun ("the Iskander-E tactical missile
   systems", "MLRS Polonaise"), places after a locative ("near X", "X training ground"),
   and events named with a year ("ADEX-2016").

Discovered names become new entities (``new=True``) with candidate IRIs; they are added
to the document's gazetteer so later short forms ("Harutiunian", "SCO") match them too.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from linkedalliance.extract.countries import COUNTRIES
from linkedalliance.extract.gazetteer import (
    STOP_CAPS,
    Entity,
    Gazetteer,
    Match,
    candidate_iri,
)
from linkedalliance.extract.text import tokenize
from linkedalliance.namespaces import DEFAULT_SCHEME, IriScheme


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    entity: Entity
    how: str
    confidence: float

    @property
    def kind(self) -> str:
        return self.entity.kind


_CONF = {"label": 0.95, "fuzzy": 0.8, "surname": 0.75, "discovered": 0.7, "country": 0.9}

_MONTHS = {
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
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
}

# A capitalised name word: "Syarhey", "Mirzoyan", "O'Neil", "Noyan-Tapan".
_NAME_WORD = r"[A-Z][a-zà-ÿ]+(?:['’][A-Z][a-zà-ÿ]+)?(?:-[A-Z][a-zà-ÿ]+)?"
_PERSON = rf"(?P<name>{_NAME_WORD}(?:\s+[A-Z]\.)?(?:\s+{_NAME_WORD}){{1,2}})"

_RANK = (
    r"(?:(?:Colonel|Lieutenant|Major|Brigadier)[- ]General|General|Admiral|Marshal|"
    r"Col\.\s*General|Lt\.\s*General|Maj\.\s*General|Gen\.|Col\.|Lt\.|Colonel|Major|"
    r"Captain)"
)
_TITLE = (
    r"(?:[Pp]resident|[Pp]rime [Mm]inister|[Dd]eputy [Pp]rime [Mm]inister|"
    r"(?:[Ff]oreign|[Dd]efen[cs]e|[Ii]nterior|[Ee]conomy|[Ff]inance)\s+[Mm]inister|"
    r"[Mm]inister(?: of [A-Z][a-z]+(?: [A-Z][a-z]+)?)?|[Aa]mbassador|[Ss]ecretary[- ]General|"
    r"[Ss]ecretary of State|[Ss]ecretary|[Cc]hancellor|[Ss]peaker|[Ss]enator|[Pp]atriarch|"
    r"[Cc]ommander|[Cc]hief|[Ss]pokes(?:man|woman|person)|[Aa]nalyst|[Ll]eader|"
    r"[Cc]ounterpart|[Gg]overnor|[Mm]ayor|[Kk]ing|[Qq]ueen|[Pp]ope|Mr\.|Mrs\.|Ms\.|Dr\.)"
)
_ROLE_NOUN = (
    r"(?:analyst|fellow|expert|researcher|professor|scholar|director|adviser|advisor|"
    r"official|minister|commander|ambassador|editor|correspondent|spokes(?:man|woman|person)|"
    r"president|chairman|chairwoman|chair|head|leader|envoy|general|diplomat|journalist|"
    r"deputy|secretary|economist|historian|lawmaker|member|officer|representative)"
)

_PERSON_PATTERNS = [
    # Prime Minister Syarhey Linh; defense minister, Lieutenant-General Vagharshak X
    re.compile(rf"\b{_TITLE}(?:,?\s+{_RANK})?,?\s+{_PERSON}"),
    re.compile(rf"\b{_RANK}\s+{_PERSON}"),
    # Eduard Arakelyan, a military analyst at ...; Alexey Overchuk, Russia's deputy ...
    re.compile(
        rf"(?:^|(?<=[.\n“\"]\s)|(?<=\n)|(?<=^)|(?<=, )|(?<=\. )){_PERSON},\s+(?:an?|the|"
        rf"[A-Z][a-z]+(?:’s|'s))\s+(?:[a-z-]+\s+){{0,4}}{_ROLE_NOUN}\b",
        re.M,
    ),
    # By Gabriel Gavin (bylines)
    re.compile(rf"^By\s+{_PERSON}\s*$", re.M),
    # said X, / according to X
    re.compile(rf"\b(?:said|says|told|added|according to)\s+{_PERSON}\b(?!\s+[A-Z])"),
    # X said / X told / X added
    re.compile(rf"{_PERSON}\s+(?:said|says|told|added|stressed|noted)\b"),
]

_ORG_HEAD = (
    r"(?:Organi[sz]ation|Foundation|Cent(?:er|re)|Institute|Ministry|Ministries|Department|"
    r"Agency|Council|Commission|Committee|Union|Alliance|Bank|Church|Service|Parliament|"
    r"Assembly|Commonwealth|University|Fund|Corporation|Company|Group|Forces|Army|Navy|"
    r"Guard|Office|Bureau|Party|Pact|Times|News|Press|Network|Enterprise|Association|"
    r"Federation|Movement|Cooperation Organization|Mirror-Spectator|Monitor)"
)
_CAPW = r"(?:[A-Z][\w’'.-]*)"
_ORG = re.compile(
    rf"\b(?P<org>(?:{_CAPW}\s+)*?(?:{_CAPW}\s+)?{_ORG_HEAD}"
    rf"(?:\s+(?:of|for|on)\s+(?:the\s+)?{_CAPW}(?:\s+(?:and\s+)?{_CAPW})*)*)"
    rf"(?:\s+\((?P<acr>[A-Z]{{2,6}})\))?"
)
_ORG_LOWER = re.compile(
    r"\bthe\s+(?P<org>[A-Z][\w-]+)\s+(?:[a-z]+\s+)?(?P<head>plant|factory|works|company|"
    r"enterprise|agency|institute)\b"
)

_WEAPON_HEAD = (
    r"(?:systems?|missiles?|launchers?|stations?|tanks?|howitzers?|drones?|aircraft|"
    r"jets?|fighters?|helicopters?|rifles?|radars?|complex(?:es)?|vehicles?|guns?|"
    r"rockets?|MLRS|UAVs?)"
)
_WEAPON = [
    re.compile(
        rf"\b(?P<w>[A-Z][A-Za-z]*(?:-[A-Z0-9][A-Za-z0-9]*)+)\s+(?:[a-z-]+\s+){{0,4}}"
        rf"{_WEAPON_HEAD}\b"
    ),
    re.compile(r"\b(?:MLRS|SAM|UAV|ATGM|MANPADS|drone|missile system)\s+(?P<w>[A-Z][a-z]+)\b"),
]
_EVENT = re.compile(r"\b(?P<e>[A-Z]{2,}[A-Za-z]*-(?:19|20)\d\d)\b")
_PLACE = [
    re.compile(
        r"\b(?P<p>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+(?P<head>training ground|base|airfield|"
        r"air base|range|region|province|oblast|district)\b"
    ),
    re.compile(r"\b(?:near|outside|in the town of|in the city of)\s+(?P<p>[A-Z][a-z]{3,})\b"),
]


def _new_entity(scheme: IriScheme, kind: str, name: str) -> Entity:
    iri = candidate_iri(scheme, name)
    return Entity(iri, kind, name, {name}, new=True)


def _clean_person(name: str) -> str | None:
    words = name.split()
    while words and (words[0] in _MONTHS or words[0].lower() in STOP_CAPS):
        words = words[1:]
    words = [w.rstrip("’'") for w in words]
    if len(words) < 2 or any(w in _MONTHS for w in words):
        return None
    return " ".join(words)


class _Discovery:
    def __init__(self, gaz: Gazetteer, scheme: IriScheme) -> None:
        self.gaz = gaz
        self.scheme = scheme
        self.known_names: set[str] = set()

    def add(self, kind: str, name: str, extra: tuple[str, ...] = ()) -> Entity | None:
        name = name.strip(" ,.’'")
        if len(name) < 2:
            return None
        if name in self.known_names:
            ent = self.gaz.entity_by_key(name)
            for alias in extra:
                if ent is not None and self.gaz.entity_by_key(alias) is None:
                    self.gaz.add(ent, [(alias, False)])
            return ent
        existing = self.gaz.entity_by_key(name)
        if existing is not None:
            for alias in extra:
                if self.gaz.entity_by_key(alias) is None:
                    self.gaz.add(existing, [(alias, False)])
            return existing
        if kind != "person" and self._overlaps_known_person(name):
            return None
        ent = _new_entity(self.scheme, kind, name)
        self.gaz.add(ent, [(name, False)] + [(a, False) for a in extra])
        self.known_names.add(name)
        return ent

    def _overlaps_known_person(self, name: str) -> bool:
        return False


def _is_known_non_person(gaz: Gazetteer, name: str) -> bool:
    """True when the words of ``name`` are a known non-person (or start with one)."""
    words = name.split()
    for n in range(len(words), 0, -1):
        ent = gaz.entity_by_key(" ".join(words[:n]))
        if ent is not None and ent.kind != "person":
            return True
    return False


def discover(text: str, gaz: Gazetteer, scheme: IriScheme = DEFAULT_SCHEME) -> None:
    """Add names found from context to ``gaz`` (in place)."""
    disc = _Discovery(gaz, scheme)
    # states first, so that "Armenia's" is never taken for a person
    known_states = {e.label for e in gaz.entities.values() if e.kind == "state"}
    for country in COUNTRIES:
        if re.search(rf"\b{re.escape(country)}\b", text) and country not in known_states:
            if gaz.entity_by_key(country) is None:
                disc.add("state", country)
    for m in _EVENT.finditer(text):
        disc.add("event", m.group("e"))
    _discover_things(text, gaz, disc)
    for pat in _PERSON_PATTERNS:
        for m in pat.finditer(text):
            name = _clean_person(m.group("name"))
            if name is None or _is_known_non_person(gaz, name):
                continue
            disc.add("person", name)


def _discover_things(text: str, gaz: Gazetteer, disc: _Discovery) -> None:
    for pat in _WEAPON:
        for m in pat.finditer(text):
            w = m.group("w")
            known = gaz.entity_by_key(w)
            if known is None or known.kind == "weapon":
                disc.add("weapon", w)
    for m in _ORG.finditer(text):
        org = _trim_org(m.group("org"))
        if org is None:
            continue
        acr = m.group("acr")
        disc.add("organisation", org, (acr,) if acr else ())
    for m in _ORG_LOWER.finditer(text):
        name = f"{m.group('org')} {m.group('head')}"
        if gaz.entity_by_key(m.group("org")) is None:
            disc.add("organisation", name, (m.group("org"),))
    for pat in _PLACE:
        for m in pat.finditer(text):
            p = m.group("p")
            if p in _MONTHS or gaz.entity_by_key(p) is not None:
                continue
            head = m.groupdict().get("head")
            name = (
                f"{p} {head}"
                if head and head not in ("region", "province", "oblast", "district")
                else p
            )
            disc.add("place", name)


_ORG_STOP = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "As",
    "But",
    "And",
    "Both",
    "If",
    "While",
    "Since",
    "After",
    "Before",
    "According",
    "Despite",
    "Speaking",
    "Neither",
}


def _trim_org(org: str) -> str | None:
    words = org.split()
    while words and words[0] in _ORG_STOP:
        words = words[1:]
    if not words:
        return None
    if len(words) == 1 and words[0] in (
        "Ministry",
        "Department",
        "Service",
        "Union",
        "Alliance",
        "Parliament",
        "Church",
        "Party",
        "Army",
        "Office",
        "Forces",
        "Council",
        "Press",
        "News",
    ):
        return None
    return " ".join(words)


def find_mentions(
    text: str, gazetteer: Gazetteer, scheme: IriScheme = DEFAULT_SCHEME
) -> tuple[list[Mention], Gazetteer]:
    """Mentions of ``text``, left to right, and the document's gazetteer (with the
    entities discovered in it)."""
    gaz = copy.deepcopy(gazetteer)
    discover(text, gaz, scheme)
    tokens = tokenize(text)
    out: list[Mention] = []
    for m in gaz.match(tokens, text):
        if m.entity.kind == "post":
            continue
        how = "discovered" if m.entity.new and m.how == "label" else m.how
        out.append(Mention(m.start, m.end, m.text, m.entity, how, _confidence(m)))
    return out, gaz


def _confidence(m: Match) -> float:
    if m.entity.new:
        return _CONF["discovered"] if m.how == "label" else _CONF["surname"] - 0.1
    return _CONF.get(m.how, 0.7)
