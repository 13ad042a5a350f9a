"""Relations between mentions, sentence by sentence, from trigger words and the roles
around them.

Each rule looks for a trigger (a verb or noun of the relation) in a sentence and fills the
roles from the mentions of the sentence: the agent is the closest state, organisation or
person before the trigger (a person stands for their state when the sentence says which,
"Armenian Prime Minister X"), the other side the closest fitting mention after it, dates
are the date expressions of the sentence. Simple anaphora is resolved from the preceding
text: "the bloc"/"the organization" is the alliance last mentioned, "he" the person last
mentioned, "his country"/"his government" that person's state.

Relations produced: memberships and their changes (``la:Membership``, ``la:Accession``,
``la:ParticipationSuspension``, ``la:WithdrawalAnnouncement``, ``la:Withdrawal``),
agreements (``la:Agreement``/``la:Treaty``/``la:Protocol``) and ``la:Ratification``,
``la:ArmsTransfer``, ``la:Meeting``/``la:OfficialVisit``, ``la:Tenure`` (with a
``la:Post``), ``la:Statement`` and diplomatic acts (``la:AmbassadorSummoned``,
``la:EnvoyRecalled``, ``la:RelationsSevered``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from linkedalliance.extract.dates import DateMention
from linkedalliance.extract.gazetteer import Entity, light_key
from linkedalliance.extract.mentions import Mention
from linkedalliance.extract.text import Sentence, sentences

AGENT_KINDS = ("state", "organisation", "person")


@dataclass
class Fact:
    """A candidate fact: its class, its roles (property CURIE → entities), literal
    values, dates (property CURIE → date mention) and the span it was read from."""

    cls: str
    start: int
    end: int
    confidence: float
    roles: dict[str, list[Entity]] = field(default_factory=dict)
    literals: dict[str, str] = field(default_factory=dict)
    dates: dict[str, DateMention] = field(default_factory=dict)
    post: Post | None = None
    links: dict[str, Fact] = field(default_factory=dict)

    def add(self, prop: str, *ents: Entity | None) -> None:
        for e in ents:
            if e is None:
                continue
            bucket = self.roles.setdefault(prop, [])
            if all(x.iri != e.iri for x in bucket):
                bucket.append(e)

    def key(self) -> tuple[object, ...]:
        return (
            self.cls,
            tuple(
                sorted((p, tuple(sorted(str(e.iri) for e in es))) for p, es in self.roles.items())
            ),
            self.post.key() if self.post else None,
        )


@dataclass(frozen=True)
class Post:
    label: str
    post_type: str  # local name in la:PostTypes
    state: Entity | None

    def key(self) -> tuple[str, str]:
        return (self.post_type, str(self.state.iri) if self.state else "")


# --------------------------------------------------------------------------------------
# Context: the mentions of one sentence, with anaphora resolved against the document
# --------------------------------------------------------------------------------------


@dataclass
class Ctx:
    sent: Sentence
    mentions: list[Mention]
    dates: list[DateMention]
    text: str
    last_person: Entity | None
    last_org: Entity | None
    last_state: Entity | None
    person_state: dict[str, Entity]
    publisher: Entity | None = None
    recent_states: list[Entity] = field(default_factory=list)
    memory: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.quotes = _quote_spans(self.sent)
        self.appositions = _apposition_spans(self.sent)

    def in_quote(self, m: Mention | int) -> bool:
        pos = m if isinstance(m, int) else m.start
        return any(a <= pos < b for a, b in self.quotes)

    def in_closed_apposition(self, m: Mention, pos: int) -> bool:
        """Inside an apposition ("Belarus — a staunch ally of Russia — to supply",
        "X, Russia's deputy prime minister, said") that closes before ``pos``."""
        return any(a <= m.start and m.end <= b <= pos for a, b in self.appositions)

    def after_preposition(self, m: Mention) -> bool:
        """Object of a preposition ("in Belarus"), unless it names whom a spokesman or
        an official speaks for ("a spokesman for Russia's foreign ministry")."""
        pre = self.text[max(self.sent.start, m.start - 40) : m.start]
        w = re.search(r"(\w+)\s+(?:the\s+)?$", pre)
        if w is None or w.group(1).lower() not in _PREPOSITIONS:
            return False
        return (
            re.search(
                r"(?:spokes\w+|officials?|representatives?|envoys?)\s+\w+\s+"
                r"(?:the\s+)?$",
                pre,
            )
            is None
        )

    def the_two(self) -> list[Entity]:
        """ "the two countries/sides/ministries ...": the last two states mentioned."""
        return self.recent_states[:2] if len(self.recent_states) >= 2 else []

    def before(self, pos: int, kinds: Iterable[str] = AGENT_KINDS) -> list[Mention]:
        ks = set(kinds)
        return [m for m in self.mentions if m.end <= pos and m.kind in ks]

    def after(self, pos: int, kinds: Iterable[str] = AGENT_KINDS) -> list[Mention]:
        ks = set(kinds)
        return [m for m in self.mentions if m.start >= pos and m.kind in ks]

    def rel(self, m: re.Match[str]) -> tuple[int, int]:
        return self.sent.start + m.start(), self.sent.start + m.end()

    def state_of(self, ent: Entity) -> Entity | None:
        if ent.kind == "state":
            return ent
        return self.person_state.get(str(ent.iri))

    def subject(self, pos: int, kinds: Iterable[str] = AGENT_KINDS) -> Entity | None:
        """The agent before ``pos``: the last fitting mention in the same clause, not
        quoted, not in a closed apposition, not a possessor, not the object of a
        preposition; else a pronoun's antecedent."""
        cands = [
            m
            for m in self.before(pos, kinds)
            if not self.in_quote(m) and not self.in_closed_apposition(m, pos)
        ]
        clause_start = self.sent.start
        seg = self.text[self.sent.start : pos]
        for sep in re.finditer(r"[;:]|\bwhile\b|\bbut\b|[”\"],?\s", seg):
            clause_start = self.sent.start + sep.end()
        cands = [m for m in cands if m.start >= clause_start] or cands
        for m in reversed(cands):
            tail = self.text[m.end : m.end + 3]
            if tail.startswith(("’s", "'s", "’ ", "' ")) and (
                m.kind == "state" and "state" not in kinds or m.kind == "person"
            ):
                continue
            if self.after_preposition(m):
                continue
            return m.entity
        seg_low = seg.lower()
        ks = set(kinds)
        if re.search(r"\b(he|she)\b", seg_low) and "person" in ks and self.last_person:
            return self.last_person
        if re.search(r"\b(his|her) (country|government)\b", seg_low) and self.last_person:
            return self.person_state.get(str(self.last_person.iri))
        return None

    def obj(self, pos: int, kinds: Iterable[str]) -> Entity | None:
        cands = self.after(pos, kinds)
        if cands:
            return cands[0].entity
        return None

    def anaphoric_org(self, start: int) -> Entity | None:
        seg = self.text[start : self.sent.end].lower()
        if re.match(
            r"\s*(?:from\s+|with\s+|to\s+|of\s+)?the (?:bloc|alliance|organi[sz]ation|"
            r"pact)\b",
            seg,
        ) or re.search(r"\bthe (?:bloc|alliance|organi[sz]ation)\b", seg[:60]):
            return self.last_org
        return None


_PREPOSITIONS = {
    "in",
    "to",
    "at",
    "from",
    "of",
    "with",
    "for",
    "on",
    "into",
    "near",
    "against",
    "toward",
    "towards",
    "than",
    "like",
    "over",
    "about",
    "between",
    "among",
    "inside",
    "within",
}


def _quote_spans(sent: Sentence) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"“[^”]*”?|\"[^\"]*\"?", sent.text):
        out.append((sent.start + m.start(), sent.start + m.end()))
    return out


def _apposition_spans(sent: Sentence) -> list[tuple[int, int]]:
    """Dash pairs ("— a staunch ally of Russia —") and comma pairs opening with a
    determiner or a possessor (", Russia's deputy prime minister,", ", a military analyst
    at Y,")."""
    out = []
    t = sent.text
    for m in re.finditer(r"\s?[—–][^—–]{2,90}?[—–]\s?", t):
        out.append((sent.start + m.start(), sent.start + m.end()))
    for m in re.finditer(r",\s+(?:an?|the|[A-Z][\w.-]*(?:’s|'s|’))\s+[^,;:“”\"]{2,90}?,", t):
        out.append((sent.start + m.start(), sent.start + m.end()))
    return out


def _date_in(ctx: Ctx, start: int | None = None, end: int | None = None) -> DateMention | None:
    s = ctx.sent.start if start is None else start
    e = ctx.sent.end if end is None else end
    ds = [d for d in ctx.dates if d.start >= s and d.end <= e]
    return ds[0] if ds else None


def _closest_date(ctx: Ctx, pos: int) -> DateMention | None:
    ds = [d for d in ctx.dates if d.start >= ctx.sent.start and d.end <= ctx.sent.end]
    if not ds:
        return None
    return min(ds, key=lambda d: min(abs(d.start - pos), abs(d.end - pos)))


# --------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------

_ORG_KINDS = ("organisation",)

_ACCESSION = re.compile(
    r"\b(?:joined|joins|join|joining|accession to|accede[sd]? to|admitted (?:to|into)|"
    r"became (?:a |the )?(?:\w+ )?(?:organi[sz]ation’s |organi[sz]ation's )?(?:\d+\w* )?"
    r"member)\b"
)
_MEMBER = re.compile(
    r"\b(?:(?:is|are|was|were|been|be|remain(?:s|ed)?) (?:already )?(?:a |the )?"
    r"(?:full |founding |formal )?members?(?: states?)? of|are (?:the |both )?\w* ?members\b|"
    r"members? (?:states? )?of)\b"
)
_SUSPEND = re.compile(r"\b(?:suspend(?:ed|s|ing)?|froze|frozen|freez(?:e|es|ing))\b")
_ANNOUNCE_LEAVE = re.compile(
    r"\b(?:will (?:be )?leav(?:e|ing)|planned to (?:exit|leave|withdraw)|plans? to (?:exit|"
    r"leave|withdraw)|(?:begin|start)\w* the process of withdrawing|intends? to (?:exit|"
    r"leave|withdraw)|intention to (?:exit|leave|withdraw)|decided to (?:exit|leave|"
    r"withdraw)|announced? (?:its |his |her )?(?:withdrawal|exit))\b"
)
_LEAVE = re.compile(r"\b(?:quit|left|withdrew from|exited|pulled out of|has withdrawn from)\b")

_AGREEMENT_NOUN = re.compile(
    r"\b(?:(?P<treaty>treat(?:y|ies))|(?P<protocol>protocols?(?: of intent)?)|"
    r"(?P<agreement>agreements?|pacts?|memorand(?:um|a)|accords?|deal))\b",
    re.I,
)
_SIGN = re.compile(r"\b(?:sign(?:ed|s|ing)?|conclud(?:ed|e)|struck)\b")
_RATIFY = re.compile(r"\bratif(?:ied|y|ies|ication)\b")

_TRANSFER = re.compile(
    r"\b(?P<v>suppl(?:ied|y|ies|ying)|deliver(?:ed|s|ing|y|ies)?|s(?:old|ells?|elling)|"
    r"purchas(?:e|ed|es|ing)|bought|buy(?:s|ing)?|provid(?:ed|e|es|ing)|export(?:ed|s)?|"
    r"transfer(?:red|s)?|aided|arm(?:ed|ing))\b"
)
_MILITARY_GOODS = re.compile(
    r"\b(?:weapons?|arms|hardware|equipment|systems?|missiles?|artillery|drones?|gear|"
    r"launchers?|stations?|tanks?|aircraft|munitions|ammunition|armed forces)\b"
)

_VISIT = re.compile(r"\b(?:official visit|state visit|working visit|visit(?:ed|ing|s)?)\b")
_MEET = re.compile(
    r"\b(?:met|meets?|meeting|meetings|talks|conferred|received|hosted|discussed with|"
    r"summit)\b"
)


_SUMMON = re.compile(r"\bsummon(?:ed|s)?\b")
_RECALL = re.compile(
    r"\b(?:recall(?:ed|s)?(?: to| from)?|returned (?:to|from)|withdr[ae]wn? "
    r"(?:to|from))\b",
    re.I,
)
_SEVER = re.compile(r"\b(?:sever(?:ed|ing)?|broke off|cut) (?:of )?(?:diplomatic )?relations\b")
_EMBASSY = re.compile(
    r"\bembass(?:y|ies)\b[^.;]{0,60}?\b(?:open(?:ed|s|ing)?|establish\w*)"
    r"\s+(?:in\s+)?"
)


def _ents(ms: Iterable[Mention]) -> list[Entity]:
    out: list[Entity] = []
    for m in ms:
        if all(e.iri != m.entity.iri for e in out):
            out.append(m.entity)
    return out


def _states_in(ctx: Ctx, start: int | None = None, end: int | None = None) -> list[Entity]:
    s = ctx.sent.start if start is None else start
    e = ctx.sent.end if end is None else end
    return _ents(m for m in ctx.mentions if m.kind == "state" and m.start >= s and m.end <= e)


def _span(ctx: Ctx) -> tuple[int, int]:
    return ctx.sent.start, ctx.sent.end


def rule_membership(ctx: Ctx) -> list[Fact]:
    out: list[Fact] = []
    s = ctx.sent.text
    specs = [
        (_ACCESSION, "Accession", "Active", 0.7),
        (_SUSPEND, "ParticipationSuspension", "Suspended", 0.6),
        (_ANNOUNCE_LEAVE, "WithdrawalAnnouncement", "WithdrawalAnnounced", 0.6),
        (_LEAVE, "Withdrawal", "Withdrawn", 0.55),
    ]
    for pattern, cls, status, conf in specs:
        for m in pattern.finditer(s):
            a, b = ctx.rel(m)
            if re.match(
                r"\s*(?:from\s+|of\s+)?(?:an?|the)\s+(?:\w+\s+)?(?:precursor|"
                r"predecessor|forerunner)\b",
                s[m.end() :],
            ):
                continue  # "quit a precursor to the bloc": not the bloc itself
            org = ctx.obj(b, _ORG_KINDS)
            if org is None or _far(ctx, b, org):
                org = ctx.anaphoric_org(b) or (org if org and not _far(ctx, b, org, 80) else None)
            if org is None and cls == "WithdrawalAnnouncement":
                org = ctx.last_org
            if org is None:
                continue
            agent = ctx.subject(a, ("state", "person"))
            if agent is None:
                continue
            person = agent if agent.kind == "person" else None
            state = ctx.state_of(agent)
            if state is None:
                continue
            f = Fact(cls, *_span(ctx), conf)
            f.add("la:agent", state)
            f.add("la:counterpart", org)
            if person is not None and cls != "Accession":
                f.add("la:announcedBy", person)
            d = _closest_date(ctx, a)
            if d is not None:
                f.dates["dcterms:date"] = d
            ms = Fact("Membership", *_span(ctx), conf - 0.1)
            ms.add("org:member", state)
            ms.add("org:organization", org)
            ms.literals["status"] = status
            f.links["la:membership"] = ms
            out.extend([f, ms])
            break
    return out + _memberships(ctx)


def _memberships(ctx: Ctx) -> list[Fact]:
    out: list[Fact] = []
    s = ctx.sent.text
    out.extend(_memberships_implied(ctx))
    for m in _MEMBER.finditer(s):
        a, b = ctx.rel(m)
        inside = [x for x in ctx.mentions if x.kind == "organisation" and a <= x.start < b]
        org = inside[0].entity if inside else ctx.obj(b, _ORG_KINDS)
        if org is None:
            continue
        members = [
            x.entity
            for x in ctx.mentions
            if x.kind == "state"
            and ctx.sent.start <= x.start
            and x.end <= a
            and not ctx.text[x.end : x.end + 2].startswith(("’s", "'s"))
            and not ctx.in_quote(x)
        ]
        members = _ents_unique(members)
        after_org = [x for x in ctx.after(b, ("organisation",))]
        orgs = _ents(after_org[:3]) if re.search(r"\b(two|three|both)\b.*:", s) else [org]
        if not members:
            subj = ctx.subject(a, ("state",))
            members = [subj] if subj else []
        for member in members:
            for o in orgs:
                ms = Fact("Membership", *_span(ctx), 0.6)
                ms.add("org:member", member)
                ms.add("org:organization", o)
                ms.literals["status"] = "Active"
                d = _date_in(ctx, ctx.sent.start, a)
                if d is not None and (d.qualifier == "since" or d.text.lower().startswith("since")):
                    ms.dates["schema:startDate"] = d
                out.append(ms)
        break
    return out


def _ents_unique(es: Iterable[Entity]) -> list[Entity]:
    out: list[Entity] = []
    for e in es:
        if all(x.iri != e.iri for x in out):
            out.append(e)
    return out


_LED_BY = re.compile(
    r"\b(?:alliance|bloc|organi[sz]ation|pact|union|grouping)\s+"
    r"(?:led|dominated|headed)\s+by\s+"
)
_FOUNDED_BY = re.compile(r"\b(?:[Ff]ounded|[Cc]reated|[Ee]stablished|[Ss]et up)\s+by\s+")
_MEMBERS_INCLUDE = re.compile(r"\bmembers\s+(?:include|including|are)\b")


def _memberships_implied(ctx: Ctx) -> list[Fact]:
    """Memberships said in passing: "an alliance led by Moscow" (the leader is a
    member), "Founded by Moscow and Beijing in 2001, the SCO" (founders are members),
    "whose other members include India, Pakistan" (the bloc just named)."""
    out: list[Fact] = []
    s = ctx.sent.text

    def add(member: Entity, org: Entity, role: str, pos: int) -> None:
        ms = Fact("Membership", *_span(ctx), 0.5)
        ms.add("org:member", member)
        ms.add("org:organization", org)
        ms.literals["status"] = "Active"
        ms.literals["role"] = role
        d = _date_in(ctx, pos, ctx.sent.end) if role == "FounderRole" else None
        if d is not None:
            ms.dates["schema:startDate"] = d
        out.append(ms)

    def states_from(pos: int, stop: str = r"[.;:]|,\s+(?:the|a|an|which|who)\b") -> list[Mention]:
        seg = s[pos - ctx.sent.start :]
        cut = re.search(stop, seg)
        end = pos + (cut.start() if cut else len(seg))
        return [x for x in ctx.mentions if x.kind == "state" and pos <= x.start < end]

    for m in _LED_BY.finditer(s):
        a, b = ctx.rel(m)
        orgs = [x for x in ctx.before(a, _ORG_KINDS) if not ctx.in_quote(x)]
        leaders = [x for x in ctx.after(b, ("state",)) if x.start - b < 5]
        if orgs and leaders:
            add(leaders[0].entity, orgs[-1].entity, "LeadingMemberRole", a)
    for m in _FOUNDED_BY.finditer(s):
        a, b = ctx.rel(m)
        founders = states_from(b, r"[.;:]|,|\bin\b")
        orgs = [x for x in ctx.mentions if x.kind == "organisation" and x.start >= b] or [
            x for x in ctx.before(a, _ORG_KINDS)
        ][-1:]
        for f in founders:
            if orgs:
                add(f.entity, orgs[0].entity, "FounderRole", a)
    for m in _MEMBERS_INCLUDE.finditer(s):
        a, b = ctx.rel(m)
        orgs = [x for x in ctx.before(a, _ORG_KINDS) if not ctx.in_quote(x)]
        org = orgs[-1].entity if orgs else ctx.last_org
        if org is None:
            continue
        for x in states_from(b, r"[.;:]"):
            add(x.entity, org, "MemberRole", a)
    return out


def _far(ctx: Ctx, pos: int, ent: Entity, limit: int = 45) -> bool:
    for m in ctx.mentions:
        if m.entity is ent and m.start >= pos:
            return m.start - pos > limit
    return True


def rule_agreement(ctx: Ctx) -> list[Fact]:
    out: list[Fact] = []
    s = ctx.sent.text
    ratify = _RATIFY.search(s)
    signed = _SIGN.search(s)
    nouns = list(_AGREEMENT_NOUN.finditer(s))
    if not nouns or not (signed or ratify or re.search(r"\b(?:between|bilateral|with)\b", s)):
        return out
    parties = _states_in(ctx)
    bodies = _ents(m for m in ctx.mentions if m.kind == "organisation")
    if len(parties) < 2 and not (signed and parties):
        return out
    agreements: list[Fact] = []
    seen: set[str] = set()
    for n in nouns:
        cls = "Treaty" if n.group("treaty") else "Protocol" if n.group("protocol") else "Agreement"
        if cls in seen:
            continue
        seen.add(cls)
        a, b = ctx.rel(n)
        f = Fact(cls, *_span(ctx), 0.55 if signed else 0.45)
        for p in parties:
            f.add("la:party", p)
        if signed:
            sd = _closest_date(ctx, ctx.sent.start + signed.end())
            if sd is not None and not (ratify and sd.start < ctx.sent.start + ratify.start()):
                f.dates["la:signingDate"] = sd
        words = s[max(0, n.start() - 40) : n.end()].split()
        f.literals["name"] = " ".join(words[-4:])
        agreements.append(f)
    out.extend(agreements)
    if ratify:
        a, _ = ctx.rel(ratify)
        by = [m for m in ctx.before(a, ("organisation", "state"))]
        body = by[-1].entity if by else (bodies[0] if bodies else None)
        if body is not None:
            r = Fact("Ratification", *_span(ctx), 0.6)
            r.add("la:ratifiedBy", body)
            d = _date_in(ctx, ctx.sent.start, a) or _date_in(ctx)
            if d is not None:
                r.dates["dcterms:date"] = d
            for ag in agreements:
                r.links.setdefault("la:ratifiedAgreement", ag)
            out.append(r)
    return out


def rule_transfer(ctx: Ctx) -> list[Fact]:
    out: list[Fact] = []
    s = ctx.sent.text
    for m in _TRANSFER.finditer(s):
        a, b = ctx.rel(m)
        window = s[m.end() : m.end() + 120]
        weapons = [x for x in ctx.after(b, ("weapon",)) if x.start - b < 120]
        if not weapons and not _MILITARY_GOODS.search(window):
            continue
        verb = m.group("v").lower()
        buying = verb.startswith(("purchas", "bought", "buy"))
        supplier = ctx.subject(a, ("state", "organisation"))
        recipient: Entity | None = None
        rm = re.search(r"\b(?:to|for)\s+(?:the\s+)?", window)
        after_states = [x for x in ctx.after(b, ("state",))]
        if rm is not None:
            pos = b + rm.end()
            cands = [x for x in after_states if x.start >= pos]
            if (
                cands
                and cands[0].start - pos < 30
                and not re.match(
                    r"[’']s?\s+(?:arch|main|old|long|bitter|chief)?\s*(?:enemy|rival|foe|"
                    r"adversary|neighbou?r)",
                    ctx.text[cands[0].end : cands[0].end + 30],
                )
            ):
                recipient = cands[0].entity
        if recipient is None and verb.startswith("aided") and after_states:
            recipient = after_states[0].entity
        if buying:
            supplier, recipient = None, recipient or supplier
        if supplier is not None and supplier.kind == "person":
            supplier = ctx.state_of(supplier)
        if recipient is None or supplier is None or recipient is supplier:
            if recipient is None or not buying:
                continue
        f = Fact("ArmsTransfer", *_span(ctx), 0.55)
        f.add("la:supplier", supplier)
        f.add("la:recipient", recipient)
        for w in weapons[:2]:
            f.add("la:item", w.entity)
        if not weapons:
            g = _MILITARY_GOODS.search(window)
            if g is not None:
                f.literals["itemDescription"] = re.split(r"\bto\b|\bfor\b", window)[0].strip(" ,")
        d = _closest_date(ctx, a)
        if d is not None:
            prop = "schema:startDate" if d.is_span else "dcterms:date"
            f.dates[prop] = d
        f.literals["status"] = "Ordered" if buying else "Delivered"
        out.append(f)
        break
    return out


def rule_meeting(ctx: Ctx) -> list[Fact]:
    out: list[Fact] = []
    s = ctx.sent.text
    visit = _VISIT.search(s)
    meet = None
    for cand in _MEET.finditer(s):
        pre = s[max(0, cand.start() - 30) : cand.start()].lower()
        post = s[cand.end() : cand.end() + 4]
        # "the Minsk talks", "at the summit": an event already told; "to hold meetings":
        # a plan; "hosted by": an exhibition's host; "to a meeting" after "summoned"
        if re.search(r"\bthe\s+(?:[A-Z]\w+\s+)?$", s[max(0, cand.start() - 20) : cand.start()]):
            continue
        if (
            re.search(r"\bto (?:hold|have)\s+$", pre)
            or post.startswith(" by")
            or (_SUMMON.search(s))
        ):
            continue
        meet = cand
        break
    if visit:
        a, b = ctx.rel(visit)
        visitor = ctx.subject(a, ("person", "state"))
        host: Entity | None = None
        hm = re.search(r"\b(?:in|to)\s+(\w+)", s)
        for x in ctx.mentions:
            if (
                x.kind in ("state",)
                and visitor is not None
                and x.entity is not ctx.state_of(visitor)
                and (hm is None or x.start >= ctx.sent.start + hm.start())
            ):
                host = x.entity
                break
        if visitor is not None and host is not None and visitor is not host:
            f = Fact("OfficialVisit", *_span(ctx), 0.55)
            f.add("la:visitor", visitor)
            f.add("la:host", host)
            d = _date_in(ctx)
            if d is not None:
                f.dates["schema:startDate" if d.is_span else "dcterms:date"] = d
            out.append(f)
            return out
    if meet:
        a, _ = ctx.rel(meet)
        people = _ents(m for m in ctx.mentions if m.kind == "person")
        if len(people) < 2:
            people = _ents(m for m in ctx.mentions if m.kind in ("person", "state"))
        if len(people) >= 2:
            f = Fact("Meeting", *_span(ctx), 0.45)
            for p in people[:4]:
                f.add("la:participant", p)
            loc = [m for m in ctx.mentions if m.kind == "place"]
            if loc:
                f.add("la:location", loc[0].entity)
            d = _date_in(ctx)
            if d is not None:
                f.dates["schema:startDate" if d.is_span else "dcterms:date"] = d
            out.append(f)
    return out


_POST_TYPES: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(r"\bdeputy prime minister\b", re.I),
        "DeputyHeadOfGovernment",
        "Deputy Prime Minister",
    ),
    (re.compile(r"\bprime minister\b|\bpremier\b", re.I), "HeadOfGovernment", "Prime Minister"),
    (re.compile(r"\bpresident\b", re.I), "HeadOfState", "President"),
    (
        re.compile(r"\bdefen[cs]e minister\b|\bminister of defen[cs]e\b", re.I),
        "DefenceMinister",
        "Minister of Defence",
    ),
    (
        re.compile(r"\bforeign minister\b|\bminister of foreign affairs\b", re.I),
        "ForeignMinister",
        "Minister of Foreign Affairs",
    ),
    (re.compile(r"\bambassador\b", re.I), "Ambassador", "Ambassador"),
    (
        re.compile(r"\bcommander\b|\bchief of (?:the )?general staff\b", re.I),
        "MilitaryCommander",
        "Commander",
    ),
    (re.compile(r"\b(?:analyst|research fellow|researcher|expert)\b", re.I), "Analyst", "Analyst"),
    (re.compile(r"\bspokes(?:man|woman|person)\b", re.I), "Spokesperson", "Spokesperson"),
]
_RANK_WORDS = re.compile(
    r"(?:(?:Colonel|Lieutenant|Major|Brigadier)[- ]General|Col\.\s*General|Lt\.\s*General|"
    r"General|Admiral|Marshal)"
)


def rule_tenure(ctx: Ctx) -> list[Fact]:
    """'Armenian Prime Minister X', 'Armenia's defense minister, Lt.-Gen. X',
    'X, Russia's deputy prime minister', 'Belarus president X', 'X, a research fellow at Y'."""
    out: list[Fact] = []
    persons = [m for m in ctx.mentions if m.kind == "person"]
    for p in persons:
        pre = ctx.text[max(ctx.sent.start, p.start - 70) : p.start]
        post = ctx.text[p.end : min(ctx.sent.end, p.end + 90)]
        state: Entity | None = None
        title: str | None = None
        rank = None
        # title before the name
        for pat, ptype, label in _POST_TYPES:
            found = list(pat.finditer(pre))
            tm = found[-1] if found else None
            if tm is None:
                continue
            between = pre[tm.end() :]
            rm = _RANK_WORDS.search(between)
            if rm and rm.end() >= len(between.rstrip()) - 1:
                rank = rm.group(0)
            if re.fullmatch(r"[\s,]*(?:" + _RANK_WORDS.pattern + r")?\s*", between) is None and (
                re.fullmatch(r"\s*", between) is None
            ):
                continue
            title = ptype
            head = pre[: tm.start()]
            st = [
                m
                for m in ctx.mentions
                if m.kind == "state"
                and m.end <= p.start - len(pre) + tm.start()
                and m.start >= p.start - len(pre) + tm.start() - 25
            ]
            if st:
                state = st[-1].entity
            org = [
                m
                for m in ctx.mentions
                if m.kind == "organisation" and m.start >= p.end and m.start - p.end < 60
            ]
            if ptype == "Analyst" and org:
                state = org[0].entity
            del head
            f = _tenure(ctx, p, ptype, label, state, rank, 0.6 if state else 0.45)
            out.append(f)
            break
        if title:
            continue
        # apposition after the name
        am = re.match(
            r",\s+(?:(?P<st>[A-Z][\w.]+(?:\s[A-Z]\w+)?)(?:’s|'s)|an?|the)\s+(?P<role>[^,;.]{3,60})",
            post,
        )
        if am:
            role = am.group("role")
            for pat, ptype, label in _POST_TYPES:
                if pat.search(role):
                    st_ms = [
                        m
                        for m in ctx.mentions
                        if m.start >= p.end
                        and m.start < p.end + len(am.group(0))
                        and m.kind in ("state", "organisation")
                    ]
                    state = st_ms[0].entity if st_ms else None
                    out.append(_tenure(ctx, p, ptype, label, state, None, 0.55 if state else 0.4))
                    break
    return out


def _tenure(
    ctx: Ctx,
    p: Mention,
    ptype: str,
    label: str,
    state: Entity | None,
    rank: str | None,
    conf: float,
) -> Fact:
    f = Fact("Tenure", *_span(ctx), conf)
    f.add("la:holder", p.entity)
    where = state.label if state else ""
    f.post = Post(f"{label} of {where}".strip().removesuffix(" of"), ptype, state)
    if rank:
        f.literals["rank"] = rank
    if state is not None and state.kind == "state":
        ctx.person_state.setdefault(str(p.entity.iri), state)
    return f


def _speaker(ctx: Ctx, m: re.Match[str]) -> Entity | None:
    """Who says: "according to X"; "“...,” said X"; "he said"/"she added" (the person
    last mentioned); "the spokesman said" (the body that spoke last); else the subject."""
    s = ctx.sent.text
    a, b = ctx.rel(m)
    verb = m.group(0).lower()
    if verb == "according to":
        window = re.split(r"[.;)“\"]", s[m.end() : m.end() + 90])[0]
        wa, wb = b, b + len(window)
        inside = [x for x in ctx.mentions if wa <= x.start and x.end <= wb]
        people = [x for x in inside if x.kind == "person"]
        if people:
            return people[-1].entity
        if re.search(r"(?i)spokes\w+|official|minist|commander|department|office", window):
            bodies = [x for x in inside if x.kind in ("organisation", "state")]
            if bodies:
                return bodies[0].entity
        return None
    before = s[: m.start()]
    if re.search(r"[”\"],?\s*$", before):
        after = [x for x in ctx.after(b, ("person",)) if x.start - b < 25]
        if after:
            return after[0].entity
    if re.search(r"\b(?:he|she)\s+(?:\w+\s+)?$", before, re.I):
        ppl = [x for x in ctx.before(a, ("person",)) if not ctx.in_quote(x)]
        return ppl[-1].entity if ppl else ctx.last_person
    if re.search(r"\bthe\s+(?:\w+\s+)?(?:spokes\w+|officials?)\s+(?:\w+\s+)?$", before, re.I):
        last = ctx.memory.get("last_body_speaker")
        return last if isinstance(last, Entity) else None
    return ctx.subject(a, ("person", "organisation", "state"))


_SAY = re.compile(
    r"\b(?:said|says|told|tells|stressed|added|asserted|noted|declared|complained|hailed|"
    r"described|called|announced|stated|warned|warning|criticized|criticised|verified|"
    r"voiced|repeated|blamed|confirmed|accused|accusing|dismissed|thank(?:s|ed)?|"
    r"talked about|pronounced|claimed|insisted|argued|emphasi[sz]ed|denied|urged|"
    r"according to)\b",
    re.I,
)


def rule_statement(ctx: Ctx) -> list[Fact]:
    """One statement per speaker and clause: a saying verb outside quotes, its speaker
    (see :func:`_speaker`); coordinated verbs without a subject ("called on X ..., but
    later accused") keep the speaker of the verb before."""
    out: list[Fact] = []
    s = ctx.sent.text
    quotes = list(re.finditer(r"[“\"]([^”\"]{8,})[”\"]", s))
    clauses = [0] + [x.end() for x in re.finditer(r",?\s+but\s+|;", s)]
    seen: set[tuple[str, int]] = set()
    prev: Entity | None = None
    for m in _SAY.finditer(s):
        a, b = ctx.rel(m)
        if ctx.in_quote(a):
            continue
        low = s[max(0, m.start() - 8) : m.end() + 4].lower()
        if re.search(r"\b(?:is|are|was|were|be) said to|that said", low):
            continue
        speaker = _speaker(ctx, m)
        if speaker is None:
            after = ctx.after(b, ("person",))
            speaker = after[0].entity if after and after[0].start - b < 40 else prev
        if speaker is None:
            continue
        clause = max(i for i, c in enumerate(clauses) if c <= m.start())
        key = (str(speaker.iri), clause)
        prev = speaker
        if key in seen:
            continue
        seen.add(key)
        f = Fact("Statement", *_span(ctx), 0.5)
        f.add("la:speaker", speaker)
        if speaker.kind == "person":
            f.add("la:onBehalfOf", ctx.state_of(speaker))
        else:
            ctx.memory["last_body_speaker"] = speaker
        if quotes:
            f.literals["statementText"] = " … ".join(q.group(1).strip() for q in quotes)
        d = _closest_date(ctx, a)
        if d is not None:
            f.dates["dcterms:date"] = d
        out.append(f)
    return out


def _recalls(ctx: Ctx) -> list[Fact]:
    """ "The envoy was recalled to Yerevan" (the state of the destination recalls him),
    "Belarus' ambassador returned to Minsk" (the possessor's state)."""
    out: list[Fact] = []
    s = ctx.sent.text
    for m in _RECALL.finditer(s):
        a, b = ctx.rel(m)
        if not re.search(
            r"(?i)ambassador|envoy|charg|diplomat", s[max(0, m.start() - 60) : m.start()]
        ):
            continue
        dest = [x for x in ctx.after(b, ("state",)) if x.start - b < 12]
        owner = [
            x
            for x in ctx.before(a, ("state",))
            if ctx.text[x.end : x.end + 2] in ("’s", "'s", "’ ", "' ")
        ]
        if dest and m.group(0).lower().endswith(" to"):
            agent: Entity | None = dest[0].entity
        else:
            agent = owner[-1].entity if owner else None
        if agent is None:
            continue
        f = Fact("EnvoyRecalled", *_span(ctx), 0.5)
        f.add("la:agent", agent)
        f.add("la:sendingState", agent)
        d = _date_in(ctx)
        if d is not None:
            f.dates["dcterms:date"] = d
        out.append(f)
    return out


def _embassies(ctx: Ctx) -> list[Fact]:
    """ "embassies are about to be opened in Yerevan and Minsk": each in the other's
    capital; "X opened an embassy in Y"."""
    out: list[Fact] = []
    m = _EMBASSY.search(ctx.sent.text)
    if m is None:
        return out
    a, b = ctx.rel(m)
    where = _ents_unique(x.entity for x in ctx.after(b, ("state",)) if x.start - b < 40)
    pairs: list[tuple[Entity, Entity]] = []
    if len(where) == 2:
        pairs = [(where[1], where[0]), (where[0], where[1])]
    elif len(where) == 1:
        agent = ctx.subject(a, ("state",))
        if agent is not None and agent is not where[0]:
            pairs = [(agent, where[0])]
    for agent, host in pairs:
        f = Fact("EmbassyOpening", *_span(ctx), 0.45)
        f.add("la:agent", agent)
        f.add("la:sendingState", agent)
        f.add("la:counterpart", host)
        d = _date_in(ctx)
        if d is not None:
            f.dates["dcterms:date"] = d
        out.append(f)
    return out


def rule_diplomatic(ctx: Ctx) -> list[Fact]:
    out: list[Fact] = []
    s = ctx.sent.text
    m = _SUMMON.search(s)
    if m and re.search(r"ambassador|envoy|charg", s[m.end() : m.end() + 40], re.I):
        a, b = ctx.rel(m)
        agent = ctx.subject(a, ("state",))
        sending = ctx.obj(b, ("state",))
        if agent and sending and agent is not sending:
            f = Fact("AmbassadorSummoned", *_span(ctx), 0.6)
            f.add("la:agent", agent)
            f.add("la:sendingState", sending)
            d = _date_in(ctx)
            if d is not None:
                f.dates["dcterms:date"] = d
            out.append(f)
    out.extend(_recalls(ctx))
    out.extend(_embassies(ctx))
    m = _SEVER.search(s)
    if m:
        states = _states_in(ctx)
        if len(states) < 2 and re.search(
            r"\bthe two (?:nations|countries|states|sides)\b", s[m.end() :]
        ):
            states = ctx.the_two()
        if len(states) >= 2:
            f = Fact("RelationsSevered", *_span(ctx), 0.5)
            f.add("la:participant", *states[:2])
            out.append(f)
    return out


RULES = (
    rule_membership,
    rule_agreement,
    rule_transfer,
    rule_meeting,
    rule_tenure,
    rule_statement,
    rule_diplomatic,
)


def _demonym_state(ctx_mentions: list[Mention], p: Mention, text: str) -> Entity | None:
    pre = text[max(0, p.start - 60) : p.start]
    if not re.search(
        r"(?i)(?:president|minister|ambassador|leader|general|commander)\W*"
        r"(?:[A-Z][\w.-]+\s+){0,2}$",
        pre,
    ):
        return None
    st = [
        m
        for m in ctx_mentions
        if m.kind == "state" and m.end <= p.start and m.start >= p.start - 60
    ]
    return st[-1].entity if st else None


def find_relations(
    text: str,
    mentions: list[Mention],
    dates: list[DateMention],
    skip: Iterable[tuple[int, int]] = (),
) -> list[Fact]:
    """Candidate facts of a document, in text order, duplicates merged."""
    out: list[Fact] = []
    last_person: Entity | None = None
    last_org: Entity | None = None
    last_state: Entity | None = None
    person_state: dict[str, Entity] = {}
    recent_states: list[Entity] = []
    memory: dict[str, object] = {}
    skip_spans = list(skip)
    prev_statement: Fact | None = None
    for sent in sentences(text):
        if any(s <= sent.start < e for s, e in skip_spans):
            continue
        if prev_statement is not None and _quote_only(sent):
            # a quotation continuing the one just attributed ("“We will leave,” he told
            # lawmakers. “We will decide when to exit.”") belongs to that statement
            prev_statement.end = sent.end
            continue
        ms = [m for m in mentions if m.start >= sent.start and m.end <= sent.end]
        ds = [d for d in dates if d.start >= sent.start and d.end <= sent.end]
        for m in ms:
            if m.kind == "person":
                st = _demonym_state(ms, m, text)
                if st is not None:
                    person_state.setdefault(str(m.entity.iri), st)
        ctx = Ctx(
            sent,
            ms,
            ds,
            text,
            last_person,
            last_org,
            last_state,
            person_state,
            recent_states=list(recent_states),
            memory=memory,
        )
        facts = [f for rule in RULES for f in rule(ctx)]
        out.extend(facts)
        prev_statement = next((f for f in reversed(facts) if f.cls == "Statement"), None)
        for m in ms:
            if m.kind == "state" and not ctx.in_quote(m):
                recent_states[:] = [m.entity] + [e for e in recent_states if e is not m.entity]
            if m.kind == "person":
                last_person = m.entity
            elif m.kind == "organisation" and re.search(
                r"(?i)organi[sz]ation|alliance|treaty|bloc|union|pact|\b[A-Z]{3,5}\b",
                m.entity.label + " " + " ".join(m.entity.labels),
            ):
                last_org = m.entity
            elif m.kind == "state":
                last_state = m.entity
    return merge(out)


def _quote_only(sent: Sentence) -> bool:
    t = sent.text
    return bool(re.fullmatch(r"[“\"][^“”\"]+[”\"]\.?", t))


def merge(facts: list[Fact]) -> list[Fact]:
    """One fact per key; the first keeps its span, the others add confidence."""
    seen: dict[tuple[object, ...], Fact] = {}
    out: list[Fact] = []
    canon: dict[tuple[object, ...], Fact] = {}
    for f in facts:
        if f.cls == "Membership" and f.key() in canon:
            canon[f.key()].confidence = min(0.95, round(canon[f.key()].confidence + 0.1, 2))
            continue
        link = f.links.get("la:membership")
        if link is not None:
            if link.key() in canon:
                f.links["la:membership"] = canon[link.key()]
            else:
                canon[link.key()] = link
        if f.cls == "Membership":
            canon[f.key()] = f
        k = f.key()
        if f.cls in ("Accession", "Withdrawal"):
            # a state joins (or leaves) an organisation once: later mentions add dates
            if k in seen:
                old = seen[k]
                for p, d in f.dates.items():
                    if p not in old.dates or len(d.value) > len(old.dates[p].value):
                        old.dates[p] = d
                continue
            seen[k] = f
            out.append(f)
            continue
        if (
            f.cls
            in (
                "Statement",
                "Meeting",
                "OfficialVisit",
                "Accession",
                "Withdrawal",
                "WithdrawalAnnouncement",
                "ParticipationSuspension",
                "Ratification",
                "ArmsTransfer",
                "AmbassadorSummoned",
            )
            and f.dates
        ):
            k = k + tuple(sorted((p, d.value) for p, d in f.dates.items()))
        if f.cls == "Statement":
            k = k + (f.start,)
        if k in seen:
            old = seen[k]
            old.confidence = min(0.95, round(old.confidence + 0.1, 2))
            for p, d in f.dates.items():
                old.dates.setdefault(p, d)
            continue
        seen[k] = f
        out.append(f)
    return out


__all__ = ["Fact", "Post", "find_relations", "light_key"]
