"""Pages for people: server-rendered Jinja2 HTML that works without JavaScript.

Handlers gather plain view objects (:class:`TermView`, :class:`FactView`...) from the store's
indexes and hand them to templates in ``templates/``; CSS comes from ``static/``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..errors import LinkedAllianceError
from ..namespaces import LA, OA, ONTOLOGY_IRI, OWL, RDF, RDFS, SKOS
from ..query import compact
from ..querypool import QueryRequest
from ..store import Term
from .state import AppState, state

LABEL_PROPS = [
    ox.NamedNode(str(p))
    for p in (
        RDFS.label,
        SKOS.prefLabel,
        "http://purl.org/dc/terms/title",
        "https://schema.org/name",
    )
]
TYPE = ox.NamedNode(str(RDF.type))
EVIDENCE = ox.NamedNode(str(LA.evidence))
HAS_SOURCE = ox.NamedNode(str(OA.hasSource))
HAS_SELECTOR = ox.NamedNode(str(OA.hasSelector))
EXACT = ox.NamedNode(str(OA.exact))
START = ox.NamedNode(str(OA.start))
END = ox.NamedNode(str(OA.end))
DEFINITION = ox.NamedNode(str(SKOS.definition))
COMMENT = ox.NamedNode(str(RDFS.comment))
SOURCE_DOCUMENT = ox.NamedNode(str(LA.SourceDocument))
HIDDEN = {EVIDENCE}  # shown as evidence, not as a relation


@dataclass(frozen=True)
class TermView:
    text: str
    href: str | None = None
    iri: str | None = None
    note: str | None = None  # language tag or datatype of a literal
    literal: bool = False


@dataclass
class EvidenceView:
    quote: str
    document: TermView
    href: str | None
    start: int | None
    end: int | None


@dataclass
class FactView:
    node: TermView
    types: list[TermView]
    properties: list[tuple[TermView, TermView]]
    evidence: list[EvidenceView]


@dataclass
class Segment:
    text: str
    anchor: str | None = None  # the passage this piece of text belongs to
    title: str = ""


@dataclass
class PassageView:
    anchor: str
    quote: str
    start: int
    end: int
    facts: list[TermView] = field(default_factory=list)


class Views:
    """Builds :class:`TermView` objects with labels and local links, caching labels."""

    def __init__(self, app: AppState) -> None:
        self.app = app
        self.store = app.store
        self._labels: dict[str, str | None] = {}

    def label(self, node: Term) -> str | None:
        if not isinstance(node, ox.NamedNode | ox.BlankNode):
            return None
        key = str(node)
        if key not in self._labels:
            best: str | None = None
            for prop in LABEL_PROPS:
                for quad in self.store.quads(subject=node, predicate=prop):
                    lit = quad.object
                    if isinstance(lit, ox.Literal) and (lit.language in (None, "", "en")):
                        best = lit.value
                        break
                if best is not None:
                    break
            self._labels[key] = best
        return self._labels[key]

    def term(self, node: Term | None) -> TermView:
        if node is None:
            return TermView("")
        if isinstance(node, ox.Literal):
            note = node.language or (
                None if node.datatype.value.endswith("#string") else compact(node.datatype)
            )
            return TermView(node.value, note=note, literal=True)
        if isinstance(node, ox.NamedNode):
            href = self.app.urls.local(node.value) or node.value
            return TermView(self.label(node) or self.fallback_label(node), href, node.value)
        return TermView(compact(node))

    def fallback_label(self, node: ox.NamedNode) -> str:
        """For unlabelled nodes such as facts: ``membership m-belarus-cs…``."""
        short = compact(node)
        if not self.app.urls.local(node.value):
            return short
        types = [self.label(t) for t in self.objects(node, TYPE)]
        named = sorted(t for t in types if t)
        tail = node.value.rstrip("/").rsplit("/", 1)[-1]
        tail = tail if len(tail) <= 14 else tail[:13] + "…"
        return f"{named[0]} {tail}" if named else short

    def objects(self, node: ox.NamedNode | ox.BlankNode, prop: ox.NamedNode) -> list[Term]:
        return [q.object for q in self.store.quads(subject=node, predicate=prop)]

    def first_int(self, node: Term, prop: ox.NamedNode) -> int | None:
        if not isinstance(node, ox.NamedNode | ox.BlankNode):
            return None
        for value in self.objects(node, prop):
            if isinstance(value, ox.Literal):
                try:
                    return int(value.value)
                except ValueError:
                    return None
        return None

    def evidence(self, fact: ox.NamedNode | ox.BlankNode) -> list[EvidenceView]:
        out = []
        for ev in dict.fromkeys(self.objects(fact, EVIDENCE)):
            if not isinstance(ev, ox.NamedNode | ox.BlankNode):
                continue
            quote, start, end = "", None, None
            for sel in self.objects(ev, HAS_SELECTOR):
                if not isinstance(sel, ox.NamedNode | ox.BlankNode):
                    continue
                for exact in self.objects(sel, EXACT):
                    quote = exact.value if isinstance(exact, ox.Literal) else quote
                start = self.first_int(sel, START) if start is None else start
                end = self.first_int(sel, END) if end is None else end
            docs = self.objects(ev, HAS_SOURCE)
            doc = docs[0] if docs else None
            doc_view = self.term(doc)
            href = doc_view.href
            if href and start is not None and end is not None:
                href = f"{href.split('#')[0]}#char={start},{end}"
            out.append(EvidenceView(quote, doc_view, href, start, end))
        return sorted(out, key=lambda e: (e.document.text, e.start or 0))

    def properties(self, node: ox.NamedNode | ox.BlankNode) -> list[tuple[TermView, TermView]]:
        rows = []
        for quad in dict.fromkeys(q.triple for q in self.store.quads(subject=node)):
            if quad.predicate == TYPE or quad.predicate in HIDDEN:
                continue
            rows.append((self.term(quad.predicate), self.term(quad.object)))
        return sorted(rows, key=lambda r: (r[0].text, r[1].text))

    def types(self, node: ox.NamedNode | ox.BlankNode) -> list[TermView]:
        return sorted({self.term(t) for t in self.objects(node, TYPE)}, key=lambda t: t.text)

    def fact(self, node: ox.NamedNode | ox.BlankNode) -> FactView:
        return FactView(
            self.term(node), self.types(node), self.properties(node), self.evidence(node)
        )


def render(
    request: Request, app: AppState, template: str, status: int = 200, **context: object
) -> HTMLResponse:
    html = app.templates.get_template(template).render(
        urls=app.urls, request_path=request.url.path, **context
    )
    return HTMLResponse(html, status_code=status)


def entity_page(request: Request, app: AppState, node: ox.NamedNode) -> Response:
    views = Views(app)
    incoming = []
    facts = []
    seen_facts: set[str] = set()
    for triple in dict.fromkeys(q.triple for q in app.store.quads(object=node)):
        subject = triple.subject
        if not isinstance(subject, ox.NamedNode | ox.BlankNode):
            continue
        incoming.append((views.term(subject), views.term(triple.predicate)))
        if str(subject) not in seen_facts and any(
            app.store.quads(subject=subject, predicate=EVIDENCE)
        ):
            seen_facts.add(str(subject))
            facts.append(views.fact(subject))
    labels = [
        views.term(q.object) for q in app.store.quads(subject=node) if q.predicate in LABEL_PROPS
    ]
    return render(
        request,
        app,
        "entity.html",
        title=views.label(node) or compact(node),
        iri=node.value,
        types=views.types(node),
        labels=sorted(set(labels), key=lambda t: t.text),
        outgoing=views.properties(node),
        incoming=sorted(incoming, key=lambda r: (r[1].text, r[0].text)),
        own_evidence=views.evidence(node),
        facts=sorted(facts, key=lambda f: f.node.text),
        alternates=app.urls.alternates(
            request.url.path.rsplit(".", 1)[0]
            if request.url.path.endswith(".html")
            else request.url.path
        ),
    )


def segments(text: str, passages: list[PassageView]) -> list[Segment]:
    """Cut ``text`` at every passage boundary; each piece links to its innermost passage.

    >>> [(s.text, s.anchor) for s in segments("abcdef", [PassageView("p", "bcd", 1, 4)])]
    [('a', None), ('bcd', 'p'), ('ef', None)]
    """
    cuts = sorted({0, len(text)} | {p.start for p in passages} | {p.end for p in passages})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a >= b or b > len(text):
            continue
        covering = [p for p in passages if p.start <= a and b <= p.end]
        if covering:
            inner = min(covering, key=lambda p: p.end - p.start)
            title = "; ".join(f.text for p in covering for f in p.facts)
            out.append(Segment(text[a:b], inner.anchor, title))
        else:
            out.append(Segment(text[a:b]))
    return out


def read_text(app: AppState, doc_id: str) -> str | None:
    path = app.output_dir / "texts" / f"{doc_id}.txt"
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", doc_id) or not path.is_file():
        return None
    return path.read_text(encoding="utf-8")


def document_page(request: Request, app: AppState, node: ox.NamedNode) -> Response:
    views = Views(app)
    doc_id = node.value.rsplit("/", 1)[-1]
    passages: dict[tuple[int, int], PassageView] = {}
    for quad in app.store.quads(predicate=HAS_SOURCE, object=node):
        ev = quad.subject
        if not isinstance(ev, ox.NamedNode | ox.BlankNode):
            continue
        start = end = None
        quote = ""
        for sel in views.objects(ev, HAS_SELECTOR):
            if isinstance(sel, ox.NamedNode | ox.BlankNode):
                start = views.first_int(sel, START) if start is None else start
                end = views.first_int(sel, END) if end is None else end
                for exact in views.objects(sel, EXACT):
                    quote = exact.value if isinstance(exact, ox.Literal) else quote
        if start is None or end is None:
            continue
        passage = passages.setdefault(
            (start, end), PassageView(f"char={start},{end}", quote, start, end)
        )
        for fact_quad in app.store.quads(predicate=EVIDENCE, object=ev):
            fact = views.term(fact_quad.subject)
            if fact not in passage.facts:
                passage.facts.append(fact)
    ordered = sorted(passages.values(), key=lambda p: (p.start, p.end))
    text = read_text(app, doc_id)
    return render(
        request,
        app,
        "document.html",
        title=views.label(node) or doc_id,
        iri=node.value,
        types=views.types(node),
        metadata=views.properties(node),
        text=text,
        segments=segments(text, ordered) if text is not None else [],
        passages=ordered,
        alternates=app.urls.alternates(app.urls.document(doc_id)),
    )


@dataclass
class TermDefinition:
    anchor: str
    iri: str
    label: str
    definition: str
    relations: list[tuple[str, list[TermView]]]


def ontology_page(request: Request, app: AppState, node: ox.NamedNode) -> Response:
    views = Views(app)
    ns = str(ONTOLOGY_IRI) + "#"

    def defs(cls: str) -> list[TermDefinition]:
        out = []
        subjects = {q.subject for q in app.store.quads(predicate=TYPE, object=ox.NamedNode(cls))}
        for subject in subjects:
            if not isinstance(subject, ox.NamedNode) or not subject.value.startswith(ns):
                continue
            definitions = [
                d.value
                for d in (views.objects(subject, DEFINITION) or views.objects(subject, COMMENT))
                if isinstance(d, ox.Literal)
            ]
            relations = []
            for title, prop in (
                ("subclass of", RDFS.subClassOf),
                ("subproperty of", RDFS.subPropertyOf),
                ("domain", RDFS.domain),
                ("range", RDFS.range),
            ):
                values = views.objects(subject, ox.NamedNode(str(prop)))
                if values:
                    relations.append((title, [views.term(v) for v in values]))
            out.append(
                TermDefinition(
                    subject.value[len(ns) :],
                    subject.value,
                    views.label(subject) or compact(subject),
                    definitions[0] if definitions else "",
                    relations,
                )
            )
        return sorted(out, key=lambda d: d.anchor.lower())

    return render(
        request,
        app,
        "ontology.html",
        title="Ontology",
        iri=node.value,
        metadata=views.properties(node),
        classes=defs(str(OWL.Class)),
        object_properties=defs(str(OWL.ObjectProperty)),
        datatype_properties=defs(str(OWL.DatatypeProperty)),
        alternates=app.urls.alternates(app.urls.ontology()),
    )


# --------------------------------------------------------------------------- home, query


@dataclass
class CompetencyQuestion:
    name: str
    question: str
    sparql: str
    href: str


def competency_questions(app: AppState) -> list[CompetencyQuestion]:
    out = []
    for path in sorted(Path(app.settings.queries_dir).glob("cq*.rq")):
        sparql = path.read_text(encoding="utf-8")
        first = sparql.lstrip().splitlines()[0] if sparql.strip() else ""
        question = first.lstrip("#").strip() if first.startswith("#") else path.stem
        out.append(CompetencyQuestion(path.stem, question, sparql, app.urls.query_page(sparql)))
    return out


def figures(app: AppState) -> dict[str, int]:
    key = f"figures-{app.store.generation}"
    cached = app.cache.get(key)
    if isinstance(cached, dict):
        return cached
    entity_prefix = app.settings.base_iri + "id/"
    entities = {
        q.subject.value
        for q in app.store.quads(predicate=TYPE)
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(entity_prefix)
    }
    result = {
        "quads": len(app.store),
        "named graphs": len(app.store.graph_names()),
        "entities": len(entities),
        "documents": len(
            {q.subject for q in app.store.quads(predicate=TYPE, object=SOURCE_DOCUMENT)}
        ),
        "facts with evidence": len({q.subject for q in app.store.quads(predicate=EVIDENCE)}),
    }
    app.cache = {key: result}
    return result


async def home(request: Request) -> Response:
    app = state(request)
    return render(
        request,
        app,
        "home.html",
        title="linkedalliance",
        figures=figures(app),
        questions=competency_questions(app),
        downloads=download_files(app),
    )


@dataclass
class TableView:
    columns: list[str]
    rows: list[list[TermView]]
    truncated: bool
    boolean: bool | None = None


def _table(app: AppState, kind: str, body: bytes, truncated: bool) -> TableView:
    views = Views(app)
    if kind == "graph":
        rows = [
            [views.term(q.subject), views.term(q.predicate), views.term(q.object)]
            for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        ]
        return TableView(["subject", "predicate", "object"], rows, truncated)
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return TableView([], [], False, bool(parsed))
    columns = [v.value for v in parsed.variables]
    table = [[views.term(solution[i]) for i in range(len(columns))] for solution in parsed]
    return TableView(columns, table, truncated)


async def query_page(request: Request) -> Response:
    app = state(request)
    sparql = request.query_params.get("query", "")
    table = None
    error = None
    status = 200
    seconds = 0.0
    if sparql.strip():
        started = time.monotonic()
        try:
            rendered = await app.runner.run_async(QueryRequest(sparql, None, "json", "ntriples"))
            table = _table(app, rendered.kind, rendered.body, rendered.truncated)
        except LinkedAllianceError as exc:
            error, status = exc.message, exc.status
        seconds = time.monotonic() - started
    if not sparql.strip():
        sparql = (
            "SELECT ?entity ?label WHERE {\n  ?entity a ?type ; "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?label .\n"
            f'  FILTER(STRSTARTS(STR(?entity), "{app.settings.base_iri}id/"))\n'
            "} LIMIT 20"
        )
    return render(
        request,
        app,
        "query.html",
        status=status,
        title="Query",
        sparql=sparql,
        table=table,
        error=error,
        seconds=seconds,
        max_rows=app.settings.max_result_rows,
        limit=app.settings.query_time_limit_s,
        ran="query" in request.query_params,
    )


# --------------------------------------------------------------------------- downloads


def download_files(app: AppState) -> list[tuple[str, int]]:
    root = app.output_dir
    if not root.is_dir():
        return []
    return sorted(
        (p.relative_to(root).as_posix(), p.stat().st_size)
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )


async def downloads(request: Request) -> Response:
    app = state(request)
    return render(request, app, "downloads.html", title="Downloads", files=download_files(app))


def error_page(request: Request, app: AppState, status: int, message: str) -> HTMLResponse:
    return render(
        request, app, "error.html", status=status, title=f"Error {status}", message=message
    )
