"""Evaluate extraction against the curated graph, leave-one-document-out.

For each document ``d`` with a curation ``seeds/d.ttl``:

* **Gazetteer.** Built from ``seeds/entities.ttl`` *without the entities known only from
  d*: those whose names (label, altLabel, hiddenLabel, demonym) occur in no other
  document's text and that no other document's curation references. The extractor has
  to discover them from context, as it would in a new article.
* **Publication date.** ``schema:datePublished`` of the document in its curation.

Mentions
    Gold items are (a) every occurrence in the text of a name of a curated entity of the
    six kinds (state, organisation, person, place, weapon, event), case-sensitive, on word
    boundaries, longest first, non-overlapping; one item per span with the set of entities
    whose names match there ("Minsk" is the city and, as a metonym, Belarus); and (b) each
    entity referenced by the document's facts that has no such occurrence, as a
    document-level item. A predicted mention matches a span item when the spans overlap
    and its entity is in the item's set; it matches a document-level item when it names
    that entity. A *new* entity the extractor discovered (candidate IRI) is aligned to the
    gold entity of the same kind its mentions overlap most, provided that gold entity was
    not in the document's gazetteer (so it really was discovered). Matching is one-to-one.

Relations
    Gold facts are the document's fact nodes of the kinds extracted (membership,
    membership events, agreements, ratifications, arms transfers, meetings and visits,
    tenures, statements, diplomatic acts). A predicted fact matches a gold fact when the
    classes are in the same family (e.g. ``la:Treaty`` and ``la:Agreement``;
    ``la:Meeting`` and ``la:OfficialVisit``) and the key participants match, IRIs after
    alignment: membership — member and organisation; membership events — agent and
    organisation; agreements — the parties, each read as its state (``la:countryOf``);
    ratification — the ratifying body's state; arms transfer — supplier and recipient
    (each side matches when equal or absent in gold); meeting — at least two common
    participants (visitor, host, participants), or visitor and host for a visit;
    tenure — holder and post type; statement — speaker, and the evidence spans overlap;
    diplomatic acts — agent (or parties). Matching is one-to-one, greedy in gold order.

Dates
    For every gold date (``dcterms:date``, ``schema:startDate``/``endDate``,
    ``la:signingDate``) whose ``la:dateText`` occurs in one of the fact's quotes, the
    extractor's date expression overlapping that occurrence is *exact* when its value
    and datatype equal the gold literal (for spans, start and end).

How good is extraction (``linkedalliance evaluate`` on the five curated documents)::

    kind                  before (P/R/F1)      now (P/R/F1)
    mentions, all         0.94/0.94/0.94       0.94/0.94/0.94
    membership            0.58/0.44/0.50       1.00/0.88/0.93
    membership events     0.71/0.83/0.77       1.00/0.83/0.91
    agreement             0.75/0.46/0.57       0.75/0.46/0.57
    ratification          1.00/0.50/0.67       1.00/0.50/0.67
    arms transfer         0.40/0.40/0.40       0.67/0.40/0.50
    meeting               0.50/0.64/0.56       0.89/0.73/0.80
    tenure                1.00/0.82/0.90       1.00/0.82/0.90
    statement             0.50/0.32/0.39       0.70/0.91/0.79
    diplomatic            1.00/0.33/0.50       1.00/1.00/1.00
    relations, all        0.66/0.51/0.58       0.84/0.79/0.82
    dates exact           24/27 (0.89)         27/27 (1.00)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF

from linkedalliance.errors import CorpusError
from linkedalliance.extract.candidates import Extraction, extract, load_graph
from linkedalliance.extract.dates import DateMention, Publication
from linkedalliance.extract.gazetteer import KINDS, Gazetteer, kind_of_types, names_of
from linkedalliance.extract.relations import Fact
from linkedalliance.extract.text import read_document
from linkedalliance.namespaces import LA, SCHEMA

FAMILIES: dict[str, str] = {
    "Membership": "membership",
    "Accession": "membership-event",
    "ParticipationSuspension": "membership-event",
    "WithdrawalAnnouncement": "membership-event",
    "Withdrawal": "membership-event",
    "Agreement": "agreement",
    "Treaty": "agreement",
    "Protocol": "agreement",
    "Ratification": "ratification",
    "ArmsTransfer": "arms-transfer",
    "Meeting": "meeting",
    "OfficialVisit": "meeting",
    "Summit": "meeting",
    "Tenure": "tenure",
    "Statement": "statement",
    "AmbassadorSummoned": "diplomatic",
    "EnvoyRecalled": "diplomatic",
    "RelationsSevered": "diplomatic",
    "EmbassyOpening": "diplomatic",
}
REL_KINDS = tuple(dict.fromkeys(FAMILIES.values()))


@dataclass
class Score:
    tp_p: int = 0
    tp_r: int = 0
    n_pred: int = 0
    n_gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp_p / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp_r / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __iadd__(self, o: Score) -> Score:
        self.tp_p += o.tp_p
        self.tp_r += o.tp_r
        self.n_pred += o.n_pred
        self.n_gold += o.n_gold
        return self


@dataclass
class Report:
    mentions: dict[str, Score] = field(default_factory=dict)
    relations: dict[str, Score] = field(default_factory=dict)
    dates_exact: int = 0
    dates_total: int = 0
    misses: list[str] = field(default_factory=list)
    false_hits: list[str] = field(default_factory=list)
    date_errors: list[str] = field(default_factory=list)

    def total(self, table: dict[str, Score]) -> Score:
        t = Score()
        for s in table.values():
            t += s
        return t

    @property
    def date_exactness(self) -> float:
        return self.dates_exact / self.dates_total if self.dates_total else 0.0


# --------------------------------------------------------------------------------------
# Gold
# --------------------------------------------------------------------------------------


@dataclass
class GoldDoc:
    doc_id: str
    text: str
    graph: Graph
    publication: Publication


def _iter_docs(seeds: Path) -> list[GoldDoc]:
    docs = []
    for ttl in sorted(seeds.glob("*.ttl")):
        if ttl.name == "entities.ttl":
            continue
        txt = ttl.with_suffix(".txt")
        if not txt.is_file():
            continue
        g = load_graph([ttl])
        pub = None
        for o in g.objects(None, SCHEMA.datePublished):
            pub = Publication.parse(str(o))
        if pub is None:
            raise CorpusError(f"{ttl}: no schema:datePublished for the document")
        docs.append(GoldDoc(ttl.stem, read_document(txt), g, pub))
    if not docs:
        raise CorpusError(f"{seeds}: no curated documents (<id>.txt with <id>.ttl)")
    return docs


def _occurs(name: str, text: str) -> list[tuple[int, int]]:
    pat = re.compile(rf"(?<![\w$]){re.escape(name)}(?![\w$])")
    return [(m.start(), m.end()) for m in pat.finditer(text)]


def local_entities(entities: Graph, docs: list[GoldDoc]) -> dict[str, set[URIRef]]:
    """For each document, the entities known only from it (see module docstring)."""
    out: dict[str, set[URIRef]] = {d.doc_id: set() for d in docs}
    for s in set(entities.subjects(RDF.type, None)):
        if not isinstance(s, URIRef):
            continue
        names = [n for n, _ in names_of(entities, s)]
        where = {d.doc_id for d in docs if any(_occurs(n, d.text) for n in names)}
        where |= {
            d.doc_id for d in docs if (None, None, s) in d.graph or (s, None, None) in d.graph
        }
        if len(where) == 1:
            out[next(iter(where))].add(s)
    return out


@dataclass
class GoldMention:
    start: int | None
    end: int | None
    entities: list[URIRef]
    kind: str


def gold_mentions(entities: Graph, doc: GoldDoc) -> list[GoldMention]:
    names: list[tuple[str, URIRef, str, int]] = []
    for s in sorted(set(entities.subjects(RDF.type, None)), key=str):
        if not isinstance(s, URIRef):
            continue
        kind = kind_of_types(entities.objects(s, RDF.type))
        if kind not in KINDS:
            continue
        for n, hidden in names_of(entities, s):
            names.append((n, s, kind, 1 if hidden else 0))
    spans: dict[tuple[int, int], list[tuple[int, URIRef, str]]] = {}
    for n, s, kind, pri in names:
        for sp in _occurs(n, doc.text):
            spans.setdefault(sp, []).append((pri, s, kind))
    taken: list[tuple[int, int]] = []
    out: list[GoldMention] = []
    for a, b in sorted(spans, key=lambda sp: (-(sp[1] - sp[0]), sp[0])):
        if any(a < e and s < b for s, e in taken):
            continue
        taken.append((a, b))
        cands = sorted(spans[(a, b)], key=lambda x: (x[0], str(x[1])))
        out.append(GoldMention(a, b, [c[1] for c in cands], cands[0][2]))
    found = {e for m in out for e in m.entities}
    for s in sorted({o for o in doc.graph.objects() if isinstance(o, URIRef)}):
        if s in found:
            continue
        kind = kind_of_types(entities.objects(s, RDF.type))
        if kind in KINDS:
            out.append(GoldMention(None, None, [s], kind))
    out.sort(key=lambda m: (m.start if m.start is not None else 10**9, str(m.entities[0])))
    return out


@dataclass
class GoldFact:
    iri: URIRef
    cls: str
    roles: dict[str, set[URIRef]]
    spans: list[tuple[int, int]]
    post_type: str | None


def _cls(g: Graph, s: URIRef) -> str | None:
    for t in sorted(g.objects(s, RDF.type), key=str):
        local = str(t)[len(str(LA)) :] if str(t).startswith(str(LA)) else ""
        if local in FAMILIES:
            return local
    return None


def gold_facts(entities: Graph, doc: GoldDoc) -> list[GoldFact]:
    g = doc.graph
    out: list[GoldFact] = []
    for s in sorted({x for x in g.subjects(LA.quote, None) if isinstance(x, URIRef)}):
        cls = _cls(g, s)
        if cls is None:
            continue
        roles: dict[str, set[URIRef]] = {}
        for p, o in g.predicate_objects(s):
            if isinstance(o, URIRef) and not isinstance(o, BNode):
                roles.setdefault(_short(p), set()).add(o)
        ms = g.value(s, LA.membership)
        if isinstance(ms, URIRef):
            for p in (ORG.member, ORG.organization):
                for o in list(g.objects(ms, p)) + list(entities.objects(ms, p)):
                    if isinstance(o, URIRef):
                        roles.setdefault(_short(p), set()).add(o)
        spans = []
        for q in g.objects(s, LA.quote):
            i = doc.text.find(str(q))
            if i >= 0:
                spans.append((i, i + len(str(q))))
        post = g.value(s, LA.post)
        ptype = None
        if post is not None:
            pt = entities.value(post, LA.postType) or g.value(post, LA.postType)
            ptype = str(pt)[len(str(LA)) :] if pt is not None else None
        out.append(GoldFact(s, cls, roles, spans, ptype))
    return out


def _short(p: object) -> str:
    for pre, ns in (
        ("la:", str(LA)),
        ("org:", str(ORG)),
        ("dcterms:", str(DCTERMS)),
        ("schema:", str(SCHEMA)),
    ):
        if str(p).startswith(ns):
            return pre + str(p)[len(ns) :]
    return str(p)


# --------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------


def align_new_entities(
    ex: Extraction, gold: list[GoldMention], entities: Graph, gazetteer: Gazetteer
) -> dict[URIRef, URIRef]:
    votes: dict[URIRef, Counter[URIRef]] = {}
    for m in ex.mentions:
        if not m.entity.new:
            continue
        for gm in gold:
            if gm.start is None or gm.end is None:
                continue
            if m.start < gm.end and gm.start < m.end:
                for e in gm.entities:
                    k = kind_of_types(entities.objects(e, RDF.type))
                    if e not in gazetteer.entities and k == m.entity.kind:
                        votes.setdefault(m.entity.iri, Counter())[e] += 1
    return {c: v.most_common(1)[0][0] for c, v in sorted(votes.items())}


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_mentions(
    ex: Extraction, gold: list[GoldMention], align: dict[URIRef, URIRef], report: Report
) -> None:
    used: set[int] = set()
    pred_ok: list[bool] = []
    for m in ex.mentions:
        if m.kind not in KINDS:
            pred_ok.append(True)
            continue
        iri = align.get(m.entity.iri, m.entity.iri)
        hit = None
        for i, gm in enumerate(gold):
            if i in used or iri not in gm.entities:
                continue
            if gm.start is None or gm.end is None or _overlap((m.start, m.end), (gm.start, gm.end)):
                hit = i
                break
        if hit is not None:
            used.add(hit)
        pred_ok.append(hit is not None)
    for m, ok in zip(ex.mentions, pred_ok, strict=True):
        if m.kind not in KINDS:
            continue
        sc = report.mentions.setdefault(m.kind, Score())
        sc.n_pred += 1
        sc.tp_p += ok
        if not ok:
            report.false_hits.append(
                f"{ex.doc_id} mention {m.kind} {m.start}-{m.end} {m.text!r} -> "
                f"{_local(m.entity.iri)}"
            )
    for i, gm in enumerate(gold):
        sc = report.mentions.setdefault(gm.kind, Score())
        sc.n_gold += 1
        sc.tp_r += i in used
        if i not in used:
            where = (
                f"{gm.start}-{gm.end} {ex.text[gm.start : gm.end]!r}"
                if gm.start is not None
                else "(referenced by a fact, name not in text)"
            )
            report.misses.append(
                f"{ex.doc_id} mention {gm.kind} {where} = "
                + "|".join(_local(e) for e in gm.entities)
            )


def _local(iri: URIRef) -> str:
    s = str(iri)
    return s.split("/id/", 1)[-1] if "/id/" in s else s


def _state(e: URIRef, entities: Graph) -> URIRef:
    c = entities.value(e, LA.countryOf)
    return c if isinstance(c, URIRef) else e


def _pred_roles(f: Fact, align: dict[URIRef, URIRef]) -> dict[str, set[URIRef]]:
    return {p: {align.get(e.iri, e.iri) for e in es} for p, es in f.roles.items()}


def _roles_match(p: Fact, pr: dict[str, set[URIRef]], g: GoldFact, entities: Graph) -> bool:
    fam = FAMILIES[p.cls]
    gr = g.roles

    def one(pred_keys: Iterable[str], gold_keys: Iterable[str], optional: bool = False) -> bool:
        a = set().union(*(pr.get(k, set()) for k in pred_keys))
        b = set().union(*(gr.get(k, set()) for k in gold_keys))
        if not b:
            return optional or not a
        return bool(a) and a <= b

    if fam == "membership":
        return one(["org:member"], ["org:member"]) and one(
            ["org:organization"], ["org:organization"]
        )
    if fam == "membership-event":
        return one(["la:agent"], ["la:agent", "org:member"]) and one(
            ["la:counterpart"], ["org:organization", "la:counterpart"]
        )
    if fam == "agreement":
        a = {_state(e, entities) for e in pr.get("la:party", set())}
        b = {_state(e, entities) for e in gr.get("la:party", set())}
        return bool(a) and a == b
    if fam == "ratification":
        a = {_state(e, entities) for e in pr.get("la:ratifiedBy", set())}
        b = {_state(e, entities) for e in gr.get("la:ratifiedBy", set())}
        return bool(a) and a == b
    if fam == "arms-transfer":
        return (
            one(["la:supplier"], ["la:supplier"], True)
            and one(["la:recipient"], ["la:recipient"], True)
            and bool(pr.get("la:supplier") or pr.get("la:recipient"))
        )
    if fam == "meeting":
        keys = ["la:participant", "la:visitor", "la:host"]
        a = set().union(*(pr.get(k, set()) for k in keys))
        b = set().union(*(gr.get(k, set()) for k in keys))
        b |= {_state(e, entities) for e in b}
        if p.cls == "OfficialVisit" and g.cls == "OfficialVisit":
            return one(["la:visitor"], ["la:visitor", "la:onBehalfOf"]) and one(
                ["la:host"], ["la:host", "la:location"]
            )
        return len(a & b) >= min(2, len(a))
    if fam == "tenure":
        return one(["la:holder"], ["la:holder"]) and (
            p.post is not None and p.post.post_type == g.post_type
        )
    if fam == "statement":
        return one(["la:speaker"], ["la:speaker", "la:onBehalfOf"]) and any(
            _overlap((p.start, p.end), s) for s in g.spans
        )
    if fam == "diplomatic":
        keys = ["la:agent", "la:participant", "la:sendingState", "la:counterpart"]
        a = set().union(*(pr.get(k, set()) for k in keys))
        b = set().union(*(gr.get(k, set()) for k in keys))
        return bool(a) and a <= b
    return False


def score_relations(
    ex: Extraction,
    gold: list[GoldFact],
    align: dict[URIRef, URIRef],
    entities: Graph,
    report: Report,
) -> None:
    preds = [f for f in _all_facts(ex.facts) if f.cls in FAMILIES]
    used: set[int] = set()
    gold_hit: set[int] = set()
    for gi, g in enumerate(gold):
        for pi, p in enumerate(preds):
            if pi in used or FAMILIES[p.cls] != FAMILIES[g.cls]:
                continue
            if _roles_match(p, _pred_roles(p, align), g, entities):
                used.add(pi)
                gold_hit.add(gi)
                break
    for pi, p in enumerate(preds):
        sc = report.relations.setdefault(FAMILIES[p.cls], Score())
        sc.n_pred += 1
        sc.tp_p += pi in used
        if pi not in used:
            roles = "; ".join(
                f"{k}={','.join(sorted(_local(e.iri) for e in v))}"
                for k, v in sorted(p.roles.items())
            )
            post = f" post={p.post.post_type}" if p.post else ""
            report.false_hits.append(
                f"{ex.doc_id} relation {p.cls} {roles}{post} <- {ex.text[p.start : p.end][:90]!r}"
            )
    for gi, g in enumerate(gold):
        sc = report.relations.setdefault(FAMILIES[g.cls], Score())
        sc.n_gold += 1
        sc.tp_r += gi in gold_hit
        if gi not in gold_hit:
            report.misses.append(f"{ex.doc_id} relation {g.cls} {_local(g.iri)}")


def _all_facts(facts: list[Fact]) -> list[Fact]:
    out: list[Fact] = []
    seen: set[tuple[object, ...]] = set()
    for f in facts:
        for x in [f, *f.links.values()]:
            k = (x.key(), x.start)
            if k not in seen:
                seen.add(k)
                out.append(x)
    return out


def _lit_parts(lit: Literal) -> tuple[str, str]:
    dt = str(lit.datatype or "")
    return str(lit), dt.rsplit("#", 1)[-1]


def score_dates(ex: Extraction, doc: GoldDoc, report: Report) -> None:
    g = doc.graph
    for s in sorted({x for x in g.subjects(LA.dateText, None) if isinstance(x, URIRef)}):
        dt_text = str(g.value(s, LA.dateText))
        quotes = [str(q) for q in g.objects(s, LA.quote)]
        occ: tuple[int, int] | None = None
        for q in quotes:
            qi = doc.text.find(q)
            j = q.find(dt_text)
            if qi >= 0 and j >= 0:
                occ = (qi + j, qi + j + len(dt_text))
                break
        if occ is None:
            continue
        start = g.value(s, SCHEMA.startDate)
        end = g.value(s, SCHEMA.endDate)
        single = g.value(s, DCTERMS.date) or g.value(s, LA.signingDate)
        if not isinstance(start or single, Literal):
            continue
        report.dates_total += 1
        found = [d for d in ex.dates if _overlap((d.start, d.end), occ)]
        ok = bool(found) and _date_equal(found[0], start, end, single)
        report.dates_exact += ok
        if not ok:
            got = (
                f"{found[0].text!r}={found[0].value}/{found[0].end_value}^{found[0].datatype}"
                if found
                else "nothing"
            )
            want = "/".join(str(x) for x in (start, end, single) if x is not None)
            report.date_errors.append(f"{doc.doc_id} date {dt_text!r}: want {want}, got {got}")


def _date_equal(d: DateMention, start: object, end: object, single: object) -> bool:
    if isinstance(single, Literal) and start is None:
        v, dt = _lit_parts(single)
        return d.end_value is None and (d.value, d.datatype) == (v, dt)
    if isinstance(start, Literal):
        v, dt = _lit_parts(start)
        ev = _lit_parts(end)[0] if isinstance(end, Literal) else v
        got_end = d.end_value or d.value
        return (d.value, d.datatype) == (v, dt) and got_end == ev
    return False


# --------------------------------------------------------------------------------------


def evaluate(seeds: Path) -> Report:
    entities_path = seeds / "entities.ttl"
    if not entities_path.is_file():
        raise CorpusError(f"{entities_path}: missing; evaluation needs the curated entities")
    entities = load_graph([entities_path])
    docs = _iter_docs(seeds)
    local = local_entities(entities, docs)
    report = Report()
    for doc in docs:
        gaz = Gazetteer.from_graph(entities, exclude=local[doc.doc_id])
        ex = extract(doc.text, doc.publication, gaz, doc.doc_id)
        gm = gold_mentions(entities, doc)
        align = align_new_entities(ex, gm, entities, gaz)
        score_mentions(ex, gm, align, report)
        score_relations(ex, gold_facts(entities, doc), align, entities, report)
        score_dates(ex, doc, report)
    return report


def format_report(r: Report, verbose: bool = False) -> str:
    lines = [f"{'kind':<22}{'P':>7}{'R':>7}{'F1':>7}{'pred':>7}{'gold':>7}"]

    def block(title: str, table: dict[str, Score], order: Iterable[str]) -> None:
        lines.append(f"-- {title}")
        for k in order:
            if k in table:
                s = table[k]
                lines.append(
                    f"{k:<22}{s.precision:>7.2f}{s.recall:>7.2f}{s.f1:>7.2f}"
                    f"{s.n_pred:>7}{s.n_gold:>7}"
                )
        t = r.total(table)
        lines.append(
            f"{'ALL ' + title:<22}{t.precision:>7.2f}{t.recall:>7.2f}{t.f1:>7.2f}"
            f"{t.n_pred:>7}{t.n_gold:>7}"
        )

    block("mentions", r.mentions, KINDS)
    block("relations", r.relations, REL_KINDS)
    lines.append(f"-- dates: {r.dates_exact}/{r.dates_total} exact ({r.date_exactness:.2f})")
    if verbose:
        lines.append("-- misses")
        lines.extend(f"  {m}" for m in r.misses)
        lines.append("-- false hits")
        lines.extend(f"  {m}" for m in r.false_hits)
        lines.append("-- date errors")
        lines.extend(f"  {m}" for m in r.date_errors)
    return "\n".join(lines)
