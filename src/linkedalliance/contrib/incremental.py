"""Validating a contribution in the context of the existing graph, on its neighbourhood only.

A contribution is checked against what the graph already says, but the work grows with the
contribution, not with the graph:

1. *Contribution rules* on its own triples: no ``owl:imports`` (nothing is ever fetched), no
   vocabulary or shapes, no IRIs that pretend to be ours (``http://w3id.org/linkedalliance/``,
   look-alike hosts), no IRIs under our base outside ``id/`` and ``doc/``.
2. *Evidence* is expanded exactly like the build (:mod:`linkedalliance.provenance`): the
   ``la:quote`` + ``prov:wasDerivedFrom <doc>`` shorthand, or an ``la:Evidence`` node whose
   quote is verified against the text of a document the graph holds.
3. *The neighbourhood*: every triple (all graphs, including materialised inferences) whose
   subject is a node the contribution mentions or a node one hop further, plus the nodes that
   point at an existing node whose type or chain-relevant properties the contribution changes.
4. *Checks against the graph*: unknown entity IRIs (with the closest existing slug), retyping an
   existing node, a second value for a single-valued property, new statements on an existing fact
   without new evidence, duplicates of existing facts.
5. *OWL 2 RL* on neighbourhood + contribution (:mod:`.inference`), then *SHACL* with the shapes,
   restricted to the focus nodes the contribution can affect.

``scope="full"`` validates the whole graph plus the contribution instead (same rules, every node
as focus); the tests check that both give the same verdicts.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from typing import Literal as TypingLiteral

import pyoxigraph as ox
import pyshacl
from pyshacl.graph_abstraction import DataGraph
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SH, XSD
from rdflib.term import Node

from ..corpus import Document, normalise_text
from ..errors import QuoteNotFound
from ..namespaces import LA, OA, ONTOLOGY_IRI, IriScheme, is_slug, slugify
from ..provenance import Span, add_evidence_node, locate_quote, verify_span
from ..store import Store
from ..validation import ValidationReport, ValidationResult, _results
from .inference import CompiledOntology, entail
from .parse import ParsedContribution, normalise, to_rdflib

LASH = Namespace("https://w3id.org/linkedalliance/shapes#")
Triple = tuple[Node, Node, Node]
Scope = TypingLiteral["neighbourhood", "full"]

#: Predicates a contribution may not use: they change the vocabulary, fetch or merge things.
_SCHEMA_PREDICATES = {
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    RDFS.isDefinedBy,
}
_ALLOWED_OWL_PREDICATES: set[Node] = set()
_SCHEMA_TYPES = {
    OWL.Class,
    RDFS.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
    OWL.Ontology,
    OWL.Restriction,
    OWL.FunctionalProperty,
    OWL.TransitiveProperty,
    OWL.SymmetricProperty,
    OWL.InverseFunctionalProperty,
}
#: Properties whose new values on an existing node change the verdict on nodes pointing at it
#: (value types; the second step of a property chain; the second hop of a SPARQL constraint).
_PULL_IN_PREDICATES = {
    RDF.type,
    OA.hasSource,
    LA.post,
    LA.signingDate,
    URIRef("http://www.w3.org/ns/org#organization"),
}
#: Statements on an existing fact that need no new evidence.
_EDITORIAL = {
    RDFS.label,
    RDFS.comment,
    URIRef("http://www.w3.org/2004/02/skos/core#altLabel"),
    LA.evidence,
}
#: The properties that identify a fact of a class: another node of the class with the same
#: values is the same fact (events and statements share participants without being the same).
_IDENTIFYING: dict[Node, tuple[Node, ...]] = {
    LA.Membership: (
        URIRef("http://www.w3.org/ns/org#member"),
        URIRef("http://www.w3.org/ns/org#organization"),
    ),
    LA.Tenure: (LA.holder, LA.post),
    LA.Ratification: (LA.ratifiedAgreement, LA.ratifiedBy),
}
_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}$")


@dataclass(frozen=True)
class GraphContext:
    """What validation needs from the project: the store, ontology, shapes and document texts."""

    store: Store
    scheme: IriScheme
    ontology: Graph
    shapes: Graph
    texts_dir: Path
    excluded_graphs: frozenset[str]
    compiled: CompiledOntology = field(init=False)
    single_valued: frozenset[Node] = field(init=False)
    vocabulary: frozenset[Node] = field(init=False)

    def __post_init__(self) -> None:
        compiled = CompiledOntology.from_graph(self.ontology)
        object.__setattr__(self, "compiled", compiled)
        single: set[Node] = set(compiled.functional)
        for shape in self.shapes.subjects(SH.maxCount, Literal(1)):
            path = self.shapes.value(shape, SH.path)
            if isinstance(path, URIRef):
                single.add(path)
        object.__setattr__(self, "single_valued", frozenset(single))
        vocab = {s for s in self.ontology.subjects() if isinstance(s, URIRef)}
        object.__setattr__(self, "vocabulary", frozenset(vocab))


@dataclass(frozen=True)
class Checked:
    """The outcome of validating one contribution."""

    report: ValidationReport
    triples: frozenset[Triple]  # what would be merged (evidence expanded)
    inferred: frozenset[Triple]  # OWL RL entailments the contribution adds
    sha256: str
    notes: tuple[str, ...]
    focus_nodes: int
    neighbourhood_triples: int

    @property
    def conforms(self) -> bool:
        return self.report.conforms


@dataclass
class _Problems:
    items: list[ValidationResult] = field(default_factory=list)

    def add(
        self,
        check: str,
        node: Node,
        path: Node | None,
        message: str,
        value: Node | None = None,
        severity: str = "Violation",
    ) -> None:
        self.items.append(
            ValidationResult(
                focus_node=str(node) if not isinstance(node, BNode) else f"_:{node}",
                path=str(path) if path is not None else None,
                severity=severity,
                message=message,
                source_shape=str(LASH[f"Contribution-{check}"]),
                value=value.n3() if value is not None else None,
                constraint_component=None,
            )
        )


# ---------------------------------------------------------------------------


def _ox(node: Node) -> ox.NamedNode:
    return ox.NamedNode(str(node))


class _Graph:
    """Read access to the existing graph, skipping the ontology and the contributions log."""

    def __init__(self, ctx: GraphContext) -> None:
        self.ctx = ctx
        self._out: dict[Node, list[Triple]] = {}

    def _keep(self, quad: ox.Quad) -> bool:
        g = quad.graph_name
        return not (isinstance(g, ox.NamedNode) and g.value in self.ctx.excluded_graphs)

    def outgoing(self, node: Node) -> list[Triple]:
        cached = self._out.get(node)
        if cached is not None:
            return cached
        out: list[Triple] = []
        if isinstance(node, URIRef):
            seen: set[Triple] = set()
            for q in self.ctx.store.quads(subject=_ox(node)):
                if self._keep(q):
                    t = (node, to_rdflib(q.predicate), to_rdflib(q.object))
                    if t not in seen:
                        seen.add(t)
                        out.append(t)
        self._out[node] = out
        return out

    def exists(self, node: Node) -> bool:
        return bool(self.outgoing(node))

    def pointing_at(self, node: Node) -> set[Node]:
        return {
            to_rdflib(q.subject) for q in self.ctx.store.quads(object=_ox(node)) if self._keep(q)
        }

    def subjects_with(self, predicate: Node, obj: Node) -> set[Node]:
        o = to_rdflib_ox(obj)
        return {
            to_rdflib(q.subject)
            for q in self.ctx.store.quads(predicate=_ox(predicate), object=o)
            if self._keep(q)
        }

    def has(self, t: Triple) -> bool:
        return t in set(self.outgoing(t[0]))

    def all_triples(self) -> Iterator[Triple]:
        for q in self.ctx.store.quads():
            if self._keep(q):
                yield (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))

    def slugs(self) -> list[str]:
        prefix = f"{self.ctx.scheme.base}id/"
        found = {
            q.subject.value[len(prefix) :]
            for q in self.ctx.store.quads(predicate=ox.NamedNode(str(RDF.type)))
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(prefix)
        }
        return sorted(found)


def to_rdflib_ox(node: Node) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    from .parse import to_ox

    return to_ox(node)


# ---------------------------------------------------------------------------


_HOST_LOOKALIKE = re.compile(r"w[3e]id|linked-?al+i?an", re.IGNORECASE)


def _looks_like_ours(iri: str, scheme: IriScheme) -> bool:
    if scheme.is_ours(iri):
        return False
    low = iri.lower()
    base = scheme.base.lower()
    stripped = re.sub(r"^[a-z][a-z0-9+.-]*://", "", low)
    base_stripped = re.sub(r"^[a-z][a-z0-9+.-]*://", "", base)
    if stripped.startswith(base_stripped) or "linkedalliance" in low:
        return True
    host = stripped.split("/", 1)[0]
    base_host = base_stripped.split("/", 1)[0]
    if host != base_host and difflib.SequenceMatcher(None, host, base_host).ratio() > 0.75:
        return True
    return bool(_HOST_LOOKALIKE.search(host)) and host != base_host


def _contribution_rules(  # noqa: C901
    triples: Iterable[Triple], ctx: GraphContext, problems: _Problems
) -> None:
    scheme = ctx.scheme
    la_ns = str(LA)
    reported: set[tuple[str, str]] = set()
    for s, p, o in sorted(triples):
        if p == OWL.imports:
            problems.add(
                "imports",
                s,
                p,
                "owl:imports is refused: a contribution is never "
                "fetched or followed, and nothing it names is loaded; remove the "
                "triple and put the facts themselves in the contribution.",
                o,
            )
            continue
        if p in _SCHEMA_PREDICATES or (
            str(p).startswith(str(OWL)) and p not in _ALLOWED_OWL_PREDICATES
        ):
            problems.add(
                "vocabulary",
                s,
                p,
                "Contributions add facts, not vocabulary: "
                "class and property axioms (rdfs:subClassOf, owl:*, ...) and "
                "owl:sameAs are refused; propose ontology changes in an issue.",
                o,
            )
            continue
        if str(p).startswith(str(SH)) or (p == RDF.type and str(o).startswith(str(SH))):
            problems.add(
                "shapes",
                s,
                p,
                "Contributions cannot carry SHACL shapes or reports; remove the sh: triples.",
                o,
            )
            continue
        if p == RDF.type and o in _SCHEMA_TYPES:
            problems.add(
                "vocabulary",
                s,
                p,
                "Contributions cannot declare classes or "
                "properties; use the terms of the ontology.",
                o,
            )
            continue
        if isinstance(s, URIRef) and (str(s).startswith(la_ns) or s == ONTOLOGY_IRI):
            problems.add(
                "vocabulary",
                s,
                p,
                "Contributions cannot describe ontology terms; "
                "statements about la: terms belong in the ontology.",
                o,
            )
            continue
        for pos, term in (("subject", s), ("predicate", p), ("object", o)):
            if isinstance(term, Literal) and term.datatype is not None:
                term = URIRef(term.datatype)
            if not isinstance(term, URIRef):
                continue
            iri = str(term)
            key = (iri, pos)
            if key in reported:
                continue
            if _looks_like_ours(iri, scheme):
                reported.add(key)
                problems.add(
                    "lookalike-iri",
                    s,
                    p if pos != "subject" else None,
                    f"<{iri}> looks like a linkedalliance IRI but is not under "
                    f"{scheme.base}: write our IRIs exactly (https, host, path), "
                    f"e.g. <{scheme.base}id/...>.",
                    term,
                )
                continue
            if not scheme.is_ours(iri):
                continue
            if iri.startswith(la_ns):
                if term not in ctx.vocabulary:
                    reported.add(key)
                    local = iri[len(la_ns) :]
                    close = difflib.get_close_matches(
                        local,
                        [str(v)[len(la_ns) :] for v in ctx.vocabulary if str(v).startswith(la_ns)],
                        n=1,
                    )
                    hint = f"; did you mean la:{close[0]}?" if close else ""
                    problems.add(
                        "unknown-term",
                        s,
                        p if pos != "subject" else None,
                        f"la:{local} is not a term of the ontology{hint}",
                        term,
                    )
                continue
            rest = iri[len(scheme.base) :]
            area = rest.split("/", 1)[0]
            if area == "id":
                slug = scheme.entity_slug(iri) or ""
                if not is_slug(slug):
                    reported.add(key)
                    problems.add(
                        "bad-slug",
                        s,
                        p if pos != "subject" else None,
                        f"<{iri}> is not a well-formed entity IRI: slugs are "
                        f"lower-case ASCII words joined by '-', e.g. "
                        f"id:{slugify(slug) or 'belarus'}.",
                        term,
                    )
            elif area == "doc":
                doc_id = rest[4:].split("#", 1)[0]
                if not _DOC_ID.match(doc_id):
                    reported.add(key)
                    problems.add(
                        "bad-iri",
                        s,
                        p if pos != "subject" else None,
                        f"<{iri}> is not a well-formed document IRI ({scheme.base}doc/<id>).",
                        term,
                    )
            elif area == ".well-known" and rest.startswith(".well-known/genid/"):
                continue
            elif term != ONTOLOGY_IRI:
                reported.add(key)
                problems.add(
                    "reserved-iri",
                    s,
                    p if pos != "subject" else None,
                    f"<{iri}> is in a part of {scheme.base} a contribution cannot "
                    "write to (graphs, contributions, the dataset): describe "
                    "entities under id/ and documents under doc/.",
                    term,
                )


# ---------------------------------------------------------------------------
# Evidence


def _doc_id(iri: Node, scheme: IriScheme) -> str | None:
    prefix = f"{scheme.base}doc/"
    if isinstance(iri, URIRef) and str(iri).startswith(prefix):
        doc_id = str(iri)[len(prefix) :]
        if _DOC_ID.match(doc_id):
            return doc_id
    return None


def _document(doc_id: str, ctx: GraphContext) -> Document | None:
    path = ctx.texts_dir / f"{doc_id}.txt"
    try:
        if not path.resolve().is_relative_to(ctx.texts_dir.resolve()) or not path.is_file():
            return None
        text = normalise_text(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    return Document(doc_id=doc_id, text=text, text_path=path, curation_path=path)


def _int(node: Node | None) -> int | None:
    if isinstance(node, Literal):
        try:
            return int(str(node))
        except ValueError:
            return None
    return None


def _expand_evidence(g: Graph, ctx: GraphContext, problems: _Problems) -> None:  # noqa: C901
    """Turn ``la:quote``/``prov:wasDerivedFrom`` and contributed evidence into build evidence."""
    scheme = ctx.scheme
    for s, _, quote in sorted(g.triples((None, LA.quote, None))):
        docs = sorted((d for d in g.objects(s, PROV.wasDerivedFrom) if _doc_id(d, scheme)), key=str)
        if not docs:
            problems.add(
                "quote-source",
                s,
                LA.quote,
                "la:quote needs the document it is taken from: add "
                "prov:wasDerivedFrom <https://w3id.org/linkedalliance/doc/<id>> "
                "(a document the graph holds), or use la:evidence with "
                "oa:hasSource.",
                quote,
            )
            continue
        placed = False
        for doc in docs:
            doc_id = _doc_id(doc, scheme)
            assert doc_id is not None
            document = _document(doc_id, ctx)
            if document is None:
                problems.add(
                    "quote-source",
                    s,
                    PROV.wasDerivedFrom,
                    f"The graph holds no text for <{doc}>, so the quote cannot be "
                    "checked: cite a document of the graph, or give la:evidence "
                    "with an oa:TextPositionSelector on a new la:SourceDocument.",
                    doc,
                )
                placed = True
                continue
            try:
                span = locate_quote(document, str(quote), source="contribution")
            except QuoteNotFound as exc:
                problems.add(
                    "quote",
                    s,
                    LA.quote,
                    f"{exc.message.removeprefix('contribution: ')}: copy the words "
                    "exactly as the document has them (quotes, dashes, spaces).",
                    quote,
                )
                placed = True
                continue
            evidence = add_evidence_node(g, scheme, document, span)
            g.remove((s, LA.quote, quote))
            g.remove((s, PROV.wasDerivedFrom, doc))
            g.add((s, LA.evidence, evidence))
            placed = True
            break
        del placed
    for _s, _, ev in sorted(g.triples((None, LA.evidence, None))):
        source = g.value(ev, OA.hasSource)
        if source is None:
            continue  # existing evidence or one described elsewhere; the shapes judge it
        exact: str | None = None
        start = end = None
        selectors = list(g.objects(ev, OA.hasSelector))
        for sel in selectors:
            if (sel, RDF.type, OA.TextQuoteSelector) in g:
                value = g.value(sel, OA.exact)
                exact = str(value) if value is not None else None
            if (sel, RDF.type, OA.TextPositionSelector) in g:
                start, end = _int(g.value(sel, OA.start)), _int(g.value(sel, OA.end))
        doc_id = _doc_id(source, scheme)
        document = _document(doc_id, ctx) if doc_id else None
        if exact is None:
            problems.add(
                "evidence",
                ev,
                OA.hasSelector,
                "Evidence needs an oa:TextQuoteSelector with oa:exact: the words of "
                "the source that support the fact.",
            )
            continue
        if document is None:
            if start is None or end is None:
                problems.add(
                    "evidence",
                    ev,
                    OA.hasSelector,
                    f"The graph holds no text for <{source}>, so this evidence needs "
                    "an oa:TextPositionSelector with oa:start and oa:end (code points "
                    "of the NFC text, 0-based, end-exclusive).",
                )
            elif end - start != len(exact):
                problems.add(
                    "evidence",
                    ev,
                    OA.hasSelector,
                    f"oa:end - oa:start is {end - start} but oa:exact has "
                    f"{len(exact)} characters: the offsets must span the quote.",
                )
            else:
                for pred, num in ((NIF_BEGIN, start), (NIF_END, end)):
                    if g.value(ev, pred) is None:
                        g.add((ev, pred, Literal(num, datatype=XSD.nonNegativeInteger)))
                if g.value(ev, NIF_CONTEXT) is None:
                    g.add((ev, NIF_CONTEXT, source))
            continue
        try:
            if start is not None and end is not None:
                if not verify_span(document.text, start, end, exact):
                    found = document.text.find(exact)
                    hint = (
                        f"; the quote stands at {found},{found + len(exact)}" if found >= 0 else ""
                    )
                    raise QuoteNotFound(
                        "contribution",
                        document.doc_id,
                        exact,
                        f"is not at offsets {start},{end}{hint}",
                    )
                span = Span(start, end)
            else:
                span = locate_quote(document, exact, source="contribution")
        except QuoteNotFound as exc:
            problems.add(
                "quote",
                ev,
                OA.exact,
                f"{exc.message.removeprefix('contribution: ')}: copy the words "
                "exactly as the document has them.",
                Literal(exact),
            )
            continue
        for sel in selectors:
            for t in list(g.triples((sel, None, None))):
                g.remove(t)
        for t in list(g.triples((ev, None, None))):
            g.remove(t)
        canonical = add_evidence_node(g, scheme, document, span)
        for subj in list(g.subjects(LA.evidence, ev)):
            g.remove((subj, LA.evidence, ev))
            g.add((subj, LA.evidence, canonical))


NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
NIF_BEGIN, NIF_END, NIF_CONTEXT = NIF.beginIndex, NIF.endIndex, NIF.referenceContext


# ---------------------------------------------------------------------------
# Checks against the existing graph


def _types(triples: Iterable[Triple], node: Node) -> set[Node]:
    return {o for s, p, o in triples if s == node and p == RDF.type}


def _check_against_graph(  # noqa: C901
    contribution: Graph, existing: _Graph, ctx: GraphContext, problems: _Problems
) -> None:
    scheme = ctx.scheme
    fact_classes = {c for c, sups in ctx.compiled.superclasses.items() if LA.FactNode in sups} | {
        LA.FactNode
    }
    contributed_types: dict[Node, set[Node]] = defaultdict(set)
    for s, o in contribution.subject_objects(RDF.type):
        contributed_types[s].add(o)
    # unknown IRIs under our base
    mentioned: set[URIRef] = set()
    for s, _p, o in contribution:
        for term in (s, o):
            if (
                isinstance(term, URIRef)
                and scheme.is_ours(str(term))
                and not str(term).startswith(str(LA))
                and term != ONTOLOGY_IRI
            ):
                mentioned.add(term)
    slugs: list[str] | None = None
    for term in sorted(mentioned):
        iri = str(term)
        if existing.exists(term) or term in contributed_types:
            continue
        if (term, None, None) in contribution:
            if scheme.entity_slug(iri) is not None or _doc_id(term, scheme):
                problems.add(
                    "untyped-new-node",
                    term,
                    RDF.type,
                    f"<{iri}> is new to the graph and has no rdf:type: say what it "
                    "is (e.g. a la:State, la:Membership, la:SourceDocument).",
                )
            continue
        slug = scheme.entity_slug(iri)
        if slug is not None:
            if slugs is None:
                slugs = existing.slugs()
            close = difflib.get_close_matches(slug, slugs, n=1, cutoff=0.6)
            hint = (
                f"; did you mean id:{close[0]}?"
                if close
                else "; if it is new, describe it in the contribution (rdf:type, rdfs:label)"
            )
            problems.add("unknown-entity", term, None, f"id:{slug} is not in the graph{hint}", term)
        elif _doc_id(term, scheme):
            problems.add(
                "unknown-document",
                term,
                None,
                f"<{iri}> is not a document of the graph: cite an existing document "
                "or describe it (a la:SourceDocument with schema:publisher and "
                "schema:datePublished).",
                term,
            )
        elif not iri.startswith(f"{scheme.base}.well-known/genid/"):
            problems.add("unknown-entity", term, None, f"<{iri}> is not in the graph", term)
    # statements on existing nodes
    by_subject: dict[Node, list[Triple]] = defaultdict(list)
    for t in contribution:
        by_subject[t[0]].append(t)
    for s in sorted(by_subject, key=str):
        old = existing.outgoing(s)
        if not old:
            continue
        old_set = set(old)
        new = [t for t in by_subject[s] if t not in old_set]
        old_types = {o for _, p, o in old if p == RDF.type}
        for _, p, o in new:
            if p == RDF.type and old_types:
                if o not in old_types:
                    listed = ", ".join(
                        sorted(_short(t) for t in old_types if str(t).startswith(str(LA)))
                        or sorted(_short(t) for t in old_types)
                    )
                    problems.add(
                        "retype",
                        s,
                        RDF.type,
                        f"<{s}> is already in the graph as {listed}; a contribution "
                        f"cannot retype it as {_short(o)}. Remove the rdf:type "
                        "triple (or use a new IRI for a different thing).",
                        o,
                    )
                continue
            if p in ctx.single_valued:
                values = sorted({ov for _, op, ov in old if op == p}, key=str)
                if values and o not in values:
                    problems.add(
                        "single-valued",
                        s,
                        p,
                        f"<{s}> already has {_short(p)} {values[0].n3()}; a "
                        f"contribution can only add, not change a single-valued "
                        f"property. If the existing value is wrong, say so in an "
                        f"issue with the source.",
                        o,
                    )
        if old_types & fact_classes:
            substantive = [t for t in new if t[1] not in _EDITORIAL]
            new_evidence = [t for t in new if t[1] == LA.evidence]
            if substantive and not new_evidence:
                problems.add(
                    "evidence-for-addition",
                    s,
                    substantive[0][1],
                    f"This contribution adds statements to the existing fact <{s}> "
                    "without evidence for them: add la:evidence (or la:quote with "
                    "prov:wasDerivedFrom <document>) supporting what you add.",
                    substantive[0][2],
                )
    # duplicates
    new_triples = [t for t in contribution if not existing.has(t)]
    if not new_triples:
        first = sorted(by_subject, key=str)[0]
        problems.add(
            "duplicate",
            first,
            None,
            "Every triple of this contribution is already in the graph: there is nothing to merge.",
        )
        return
    for s, types in sorted(contributed_types.items(), key=lambda kv: str(kv[0])):
        if not (types & fact_classes):
            continue
        if existing.exists(s):
            if all(existing.has(t) for t in by_subject[s]):
                problems.add(
                    "duplicate",
                    s,
                    None,
                    f"<{s}> is already in the graph with every statement given "
                    "here (duplicate fact).",
                    severity="Warning",
                )
            continue
        key_props = {k for c in types for k in _IDENTIFYING.get(c, ())}
        keys = [(p, o) for _, p, o in by_subject[s] if p in key_props and isinstance(o, URIRef)]
        if not key_props or {p for p, _ in keys} != key_props:
            continue
        candidates: set[Node] | None = None
        for p, o in keys:
            found = existing.subjects_with(p, o)
            candidates = found if candidates is None else candidates & found
            if not candidates:
                break
        for cand in sorted(candidates or (), key=str):
            if types <= {o for _, p, o in existing.outgoing(cand) if p == RDF.type}:
                problems.add(
                    "duplicate",
                    s,
                    None,
                    f"This fact duplicates the existing <{cand}> (same type and same "
                    f"{', '.join(_short(p) for p, _ in keys)}): use its IRI and add "
                    "your evidence to it.",
                    cand,
                )
                break


def _short(term: Node) -> str:
    for prefix, ns in (
        ("la", str(LA)),
        ("rdf", str(RDF)),
        ("rdfs", str(RDFS)),
        ("schema", "https://schema.org/"),
        ("org", "http://www.w3.org/ns/org#"),
        ("dcterms", "http://purl.org/dc/terms/"),
        ("oa", str(OA)),
    ):
        if str(term).startswith(ns):
            return f"{prefix}:{str(term)[len(ns) :]}"
    return term.n3() if isinstance(term, Literal) else f"<{term}>"


# ---------------------------------------------------------------------------


def check_contribution(
    parsed: ParsedContribution, ctx: GraphContext, *, scope: Scope = "neighbourhood"
) -> Checked:
    """Validate a parsed contribution against the graph of ``ctx``."""
    problems = _Problems()
    _contribution_rules(parsed.triples, ctx, problems)
    contribution = Graph()
    for t in parsed.triples:
        contribution.add(t)
    _expand_evidence(contribution, ctx, problems)
    expanded = normalise(set(contribution))
    contribution = Graph()
    for t in expanded:
        contribution.add(t)
    existing = _Graph(ctx)
    _check_against_graph(contribution, existing, ctx, problems)
    contributed = set(contribution)
    subjects = {s for s, _, _ in contributed}
    if scope == "full":
        context = set(existing.all_triples())
        focus: set[Node] | None = None
    else:
        focus = set(subjects)
        for s, p, _ in contributed:
            if p in _PULL_IN_PREDICATES and existing.exists(s):
                focus |= existing.pointing_at(s)
        context = set()
        hop1: set[Node] = set(focus)
        hop1 |= {o for _, _, o in contributed if isinstance(o, URIRef)}
        for node in hop1:
            context.update(existing.outgoing(node))
        hop2 = {o for _, _, o in context | contributed if isinstance(o, URIRef)} - hop1
        for node in hop2:
            context.update(existing.outgoing(node))
    entailment = entail(ctx.compiled, context | contributed, ctx.scheme)
    for clash in entailment.clashes:
        problems.add(
            "inconsistent",
            clash.node,
            clash.predicate,
            f"With this contribution <{clash.node}> {clash.message} (OWL RL): remove "
            "the conflicting statement.",
        )
    data = Graph()
    for t in context | contributed | entailment.triples:
        data.add(t)
    shacl = _shacl(data, ctx, focus)
    if focus is not None:
        kept = [r for r in shacl.results if URIRef(r.focus_node) in focus]
    else:
        kept = list(shacl.results)
    results = tuple(sorted({*kept, *problems.items}, key=ValidationResult.sort_key))
    conforms = not any(r.severity == "Violation" for r in results)
    report_graph = _report_graph(shacl.report_graph, problems.items, conforms)
    return Checked(
        report=ValidationReport(conforms=conforms, results=results, report_graph=report_graph),
        triples=frozenset(contributed),
        inferred=frozenset(t for t in entailment.triples if t not in context),
        sha256=parsed.sha256,
        notes=parsed.notes,
        focus_nodes=len(focus) if focus is not None else -1,
        neighbourhood_triples=len(context),
    )


class _TargetFilter(list[URIRef]):
    """The ``focus_nodes`` pyshacl's executor checks: restricts the *targets* of each shape.

    pyshacl tests ``node in executor.focus_nodes`` in :meth:`pyshacl.shape.Shape.validate`,
    both for a shape's own targets (called with ``focus=None``) and for the value nodes of
    nested shapes (``sh:node``, ``sh:qualifiedValueShape``, ``sh:or``...; called with
    ``focus=...``). Filtering the latter changes verdicts, so membership is only tested for
    the former, in a set (O(1)). ``tests/test_contrib_validation.py`` pins the behaviour:
    neighbourhood and full validation must agree."""

    def __init__(self, members: frozenset[Node]) -> None:
        super().__init__(sorted(m for m in members if isinstance(m, URIRef)))
        self._members = members

    def __contains__(self, item: object) -> bool:
        caller = sys._getframe(1)
        if caller.f_locals.get("focus", None) is not None:
            return True  # the value node of a nested shape: never filtered
        return item in self._members


class _FocusedValidator(pyshacl.Validator):
    def __init__(
        self,
        data: DataGraph,
        *,
        shapes: Graph,
        options: dict[str, Any],
        focus: frozenset[Node] | None,
    ) -> None:
        super().__init__(data, shacl_graph=shapes, ont_graph=None, options=options)
        self._focus = focus

    def make_executor(self):  # type: ignore[no-untyped-def]
        executor = super().make_executor()
        if self._focus is not None:
            executor.focus_nodes = _TargetFilter(
                self._focus or frozenset({URIRef("urn:x-linkedalliance:no-focus")})
            )
        return executor


def _shacl(data: Graph, ctx: GraphContext, focus: set[Node] | None) -> ValidationReport:
    # ``data`` is a throwaway graph: validated in place. No ontology is mixed in: OWL RL has
    # already materialised every superclass type, which is all sh:class and sh:targetClass
    # need from it. Nothing is fetched (no owl:imports; graphs, never paths or URLs).
    options: dict[str, Any] = {
        "inference": "none",
        "inplace": True,
        "abort_on_first": False,
        "allow_infos": True,
        "allow_warnings": True,
        "advanced": False,
    }
    validator = _FocusedValidator(
        DataGraph.from_rdflib(data),
        shapes=ctx.shapes,
        options=options,
        focus=frozenset(f for f in focus if isinstance(f, URIRef)) if focus is not None else None,
    )
    conforms, report_graph, _ = validator.run()
    assert isinstance(report_graph, Graph)
    results = tuple(sorted(_results(report_graph, ctx.shapes), key=ValidationResult.sort_key))
    return ValidationReport(bool(conforms), results, report_graph)


def _report_graph(shacl: Graph, extra: list[ValidationResult], conforms: bool) -> Graph:
    g = Graph()
    for t in shacl:
        g.add(t)
    report = g.value(None, RDF.type, SH.ValidationReport, any=True)
    if report is None:
        report = BNode()
        g.add((report, RDF.type, SH.ValidationReport))
    g.remove((report, SH.conforms, None))
    g.add((report, SH.conforms, Literal(conforms)))
    for r in extra:
        node = BNode()
        g.add((report, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, URIRef(r.focus_node)))
        if r.path:
            g.add((node, SH.resultPath, URIRef(r.path)))
        g.add((node, SH.resultSeverity, SH[r.severity]))
        g.add((node, SH.resultMessage, Literal(r.message)))
        g.add((node, SH.sourceShape, URIRef(r.source_shape)))
        g.add((node, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    return g
