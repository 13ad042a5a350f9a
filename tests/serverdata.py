"""A small dataset shaped like the build output, for store, query and server tests.

:func:`write_output` writes an ``output/`` directory (linkedalliance.nq, .ttl, texts/,
void.ttl) with two documents, four entities, facts with evidence (quote and offsets exactly
as ``provenance.add_evidence_node`` writes them) and the real ontology in graph/ontology.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import uvicorn

from linkedalliance.namespaces import LA, OA, ORG, RDF, RDFS, SDO, XSD, IriScheme
from linkedalliance.server.app import create_app
from linkedalliance.settings import Settings
from linkedalliance.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SCHEME = IriScheme()

DOC1 = "d1"
TEXT1 = (
    "Belarus joined the Collective Security Treaty Organization in 1994.\n"
    "Russia supplied Iskander missiles to Belarus in 2023, the ministry said.\n"
)
DOC2 = "d2"
TEXT2 = "Armenia froze its participation in the CSTO in 2024.\n"

ENTITIES = {
    "belarus": ("Belarus", LA.State),
    "russia": ("Russia", LA.State),
    "armenia": ("Armenia", LA.State),
    "csto": ("Collective Security Treaty Organization", LA.MilitaryAlliance),
    "iskander": ("Iskander", LA.WeaponSystem),
}


def _n(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _lit(value: object, datatype: object | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    if datatype is not None:
        return ox.Literal(str(value), datatype=_n(datatype))
    return ox.Literal(str(value))


def _evidence(
    quads: list[ox.Quad],
    graph: ox.NamedNode,
    fact: ox.NamedNode,
    doc_id: str,
    text: str,
    quote: str,
) -> None:
    start = text.index(quote)
    end = start + len(quote)
    ev = _n(SCHEME.span(doc_id, start, end))
    qsel = _n(SCHEME.quote_selector(doc_id, start, end))
    psel = _n(SCHEME.position_selector(doc_id, start, end))
    add = quads.append
    add(ox.Quad(fact, _n(LA.evidence), ev, graph))
    add(ox.Quad(ev, _n(RDF.type), _n(LA.Evidence), graph))
    add(ox.Quad(ev, _n(OA.hasSource), _n(SCHEME.document(doc_id)), graph))
    add(ox.Quad(ev, _n(OA.hasSelector), qsel, graph))
    add(ox.Quad(ev, _n(OA.hasSelector), psel, graph))
    add(ox.Quad(qsel, _n(RDF.type), _n(OA.TextQuoteSelector), graph))
    add(ox.Quad(qsel, _n(OA.exact), _lit(quote), graph))
    add(ox.Quad(psel, _n(RDF.type), _n(OA.TextPositionSelector), graph))
    add(ox.Quad(psel, _n(OA.start), _lit(start, XSD.nonNegativeInteger), graph))
    add(ox.Quad(psel, _n(OA.end), _lit(end, XSD.nonNegativeInteger), graph))


def dataset_quads(*, bulk: int = 0) -> list[ox.Quad]:
    """The fixture dataset; ``bulk`` adds that many filler triples (for runaway queries)."""
    quads: list[ox.Quad] = []
    add = quads.append
    entities = _n(SCHEME.graph("entities"))
    for slug, (label, cls) in ENTITIES.items():
        add(ox.Quad(_n(SCHEME.entity(slug)), _n(RDF.type), _n(cls), entities))
        add(ox.Quad(_n(SCHEME.entity(slug)), _n(RDFS.label), _lit(label, lang="en"), entities))
    for doc_id, text, title in (
        (DOC1, TEXT1, "Belarus and the CSTO"),
        (DOC2, TEXT2, "Armenia and the CSTO"),
    ):
        g = _n(SCHEME.document_graph(doc_id))
        doc = _n(SCHEME.document(doc_id))
        add(ox.Quad(doc, _n(RDF.type), _n(LA.SourceDocument), g))
        add(ox.Quad(doc, _n("http://purl.org/dc/terms/title"), _lit(title, lang="en"), g))
        add(ox.Quad(doc, _n(LA.characterCount), _lit(len(text), XSD.integer), g))
    g1 = _n(SCHEME.document_graph(DOC1))
    membership = _n(SCHEME.skolem("m-belarus-csto"))
    add(ox.Quad(membership, _n(RDF.type), _n(LA.Membership), g1))
    add(ox.Quad(membership, _n(ORG.member), _n(SCHEME.entity("belarus")), g1))
    add(ox.Quad(membership, _n(ORG.organization), _n(SCHEME.entity("csto")), g1))
    add(ox.Quad(membership, _n(SDO.startDate), _lit("1994", XSD.gYear), g1))
    _evidence(
        quads,
        g1,
        membership,
        DOC1,
        TEXT1,
        "Belarus joined the Collective Security Treaty Organization in 1994.",
    )
    transfer = _n(SCHEME.skolem("t-russia-belarus-iskander"))
    add(ox.Quad(transfer, _n(RDF.type), _n(LA.ArmsTransfer), g1))
    add(ox.Quad(transfer, _n(LA.supplier), _n(SCHEME.entity("russia")), g1))
    add(ox.Quad(transfer, _n(LA.recipient), _n(SCHEME.entity("belarus")), g1))
    add(ox.Quad(transfer, _n(LA.item), _n(SCHEME.entity("iskander")), g1))
    _evidence(
        quads, g1, transfer, DOC1, TEXT1, "Russia supplied Iskander missiles to Belarus in 2023"
    )
    _evidence(quads, g1, transfer, DOC1, TEXT1, "Iskander missiles")  # overlapping span
    g2 = _n(SCHEME.document_graph(DOC2))
    suspension = _n(SCHEME.skolem("s-armenia-csto"))
    add(ox.Quad(suspension, _n(RDF.type), _n(LA.ParticipationSuspension), g2))
    add(ox.Quad(suspension, _n(LA.agent), _n(SCHEME.entity("armenia")), g2))
    add(ox.Quad(suspension, _n(SDO.startDate), _lit("2024", XSD.gYear), g2))
    _evidence(
        quads, g2, suspension, DOC2, TEXT2, "Armenia froze its participation in the CSTO in 2024."
    )
    ontology = _n(SCHEME.graph("ontology"))
    for quad in ox.parse(path=str(ROOT / "ontology" / "linkedalliance.ttl")):
        add(ox.Quad(quad.subject, quad.predicate, quad.object, ontology))
    filler = _n(SCHEME.graph("filler"))
    for i in range(bulk):
        add(
            ox.Quad(
                _n(f"http://example.org/filler/{i}"),
                _n("http://example.org/p"),
                _lit(i, XSD.integer),
                filler,
            )
        )
    return quads


def write_output(target: Path, *, bulk: int = 0) -> Path:
    """Write an ``output/`` directory like the build's; returns ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    quads = dataset_quads(bulk=bulk)
    ox.serialize(quads, str(target / "linkedalliance.nq"), format=ox.RdfFormat.N_QUADS)
    ox.serialize(
        [q.triple for q in quads], str(target / "linkedalliance.ttl"), format=ox.RdfFormat.TURTLE
    )
    (target / "texts").mkdir(exist_ok=True)
    (target / "texts" / f"{DOC1}.txt").write_text(TEXT1, encoding="utf-8")
    (target / "texts" / f"{DOC2}.txt").write_text(TEXT2, encoding="utf-8")
    (target / "void.ttl").write_text(
        "@prefix void: <http://rdfs.org/ns/void#> .\n"
        f"<{SCHEME.dataset()}> a void:Dataset ; void:triples {len(quads)} .\n",
        encoding="utf-8",
    )
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self, settings: Settings) -> None:
        store = open_store(
            data_dir=settings.data_dir, dataset_file=Path(settings.output_dir) / "linkedalliance.nq"
        )
        self.store = store
        self.app = create_app(store, settings)
        self.app.state.la.runner.start()
        self.server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=settings.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{settings.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return self
            time.sleep(0.05)
        raise RuntimeError("server did not start")

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
