"""Contributions: validate, merge atomically into a named graph, list, show and revert.

Layout in the store:

* ``graph/contribution/N``: the contribution's triples (evidence expanded, blank nodes
  skolemised); ``graph/contribution/N/inferred``: what OWL RL adds with it (kept apart, as the
  build keeps ``graph/inferred``), so later contributions see it in their neighbourhood;
* ``graph/contributions``: the log. ``<contribution/N> a la:Contribution`` with
  ``dcterms:creator`` (who), ``dcterms:created`` (when), ``dcterms:description`` (message),
  ``dcterms:identifier "sha256:…"`` (canonical content hash), ``prov:wasRevisionOf`` (the
  parent state: the previous contribution, or ``<dataset>`` whose ``dcterms:identifier`` is the
  SHA-256 of the N-Quads the store was initialised from), ``void:triples`` and
  ``dcterms:hasPart`` (its graphs). A revert adds ``prov:wasInvalidatedBy`` an activity with
  who, when and why; numbers are never reused.

Every merge and revert is one :meth:`pyoxigraph.Store.extend` / ``update`` call, which the
on-disk store commits as one transaction: a crash leaves all of it or none of it. Merges are
serialised by a lock, and validation runs inside it, so two contributions can never each pass
against a state the other changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal as TypingLiteral

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, VOID, XSD
from rdflib.term import Node

from ..errors import InputFileError, LinkedAllianceError
from ..namespaces import LA, IriScheme
from ..rdfio import RdfFormat
from ..store import OxigraphStore, Store, StoreError
from .incremental import Checked, GraphContext, Scope, check_contribution
from .parse import parse_contribution, to_ox, to_rdflib

#: Test hook: seconds to pause in the middle of writing a merge (after half of its quads),
#: so that a test can ``kill -9`` the process inside the transaction.
PAUSE_ENV = "LINKEDALLIANCE_TEST_MERGE_PAUSE_S"
#: Test hook: a file to create when the pause begins (so the test knows when to kill).
MARKER_ENV = "LINKEDALLIANCE_TEST_MERGE_MARKER"
SCHEMA_POSITION = URIRef("https://schema.org/position")


class ContributionNotFound(LinkedAllianceError):
    status = 404


@dataclass(frozen=True)
class ContributionRecord:
    number: int
    iri: str
    graph: str
    by: str
    message: str
    created: str
    sha256: str
    triples: int
    parent: str
    reverted: bool = False
    reverted_by: str | None = None
    reverted_at: str | None = None
    revert_message: str | None = None

    def to_json(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class Outcome:
    status: TypingLiteral["merged", "rejected", "already-merged"]
    checked: Checked | None
    record: ContributionRecord | None


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_data_store(
    data_dir: Path, dataset_file: Path | None, *, scheme: IriScheme
) -> OxigraphStore:
    """The on-disk store at ``data_dir``, initialised from ``dataset_file`` on first use.

    Initialisation loads into a sibling temporary directory and renames it into place, so an
    interrupted first load leaves no half-loaded store behind.
    """
    data_dir = Path(data_dir)
    if data_dir.is_dir() and any(data_dir.iterdir()):
        return OxigraphStore(path=data_dir)
    if dataset_file is None or not Path(dataset_file).is_file():
        raise InputFileError(
            dataset_file or data_dir,
            "no store yet and no built graph to start it from; run `linkedalliance build`",
        )
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}-init-", dir=data_dir.parent))
    try:
        loading = OxigraphStore(path=staging)
        loading.load(dataset_file)  # also materialises the union default graph
        log = ox.NamedNode(scheme.graph("contributions"))
        dataset = ox.NamedNode(scheme.dataset())
        loading.oxigraph.extend(
            loading.with_union_copies(
                [
                    ox.Quad(
                        dataset,
                        ox.NamedNode(str(DCTERMS.identifier)),
                        ox.Literal(f"sha256:{file_sha256(Path(dataset_file))}"),
                        log,
                    ),
                    ox.Quad(
                        dataset,
                        ox.NamedNode(str(DCTERMS.source)),
                        ox.Literal(Path(dataset_file).name),
                        log,
                    ),
                ]
            )
        )
        loading.close()
        del loading
        if data_dir.exists():
            data_dir.rmdir()
        os.replace(staging, data_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return OxigraphStore(path=data_dir)


class Contributions:
    """The contribution service over one store (one instance per store and process)."""

    def __init__(self, store: Store, ctx: GraphContext) -> None:
        self.store = store
        self.ctx = ctx
        self.scheme = ctx.scheme
        self.log_graph = self.scheme.graph("contributions")
        self._lock = threading.Lock()

    # -- checking --------------------------------------------------------------------------

    def check(
        self, data: bytes, fmt: RdfFormat, source: str, *, scope: Scope = "neighbourhood"
    ) -> Checked:
        parsed = parse_contribution(data, fmt, source, scheme=self.scheme)
        return check_contribution(parsed, self.ctx, scope=scope)

    # -- merging ---------------------------------------------------------------------------

    def contribute(
        self, data: bytes, fmt: RdfFormat, source: str, *, by: str, message: str = ""
    ) -> Outcome:
        if not by.strip():
            raise LinkedAllianceError("say who contributes (--by NAME)")
        parsed = parse_contribution(data, fmt, source, scheme=self.scheme)
        with self._lock:
            for record in self.records():
                if record.sha256 == parsed.sha256 and not record.reverted:
                    return Outcome("already-merged", None, record)
            checked = check_contribution(parsed, self.ctx)
            if not checked.conforms:
                return Outcome("rejected", checked, None)
            record = self._merge(checked, by=by.strip(), message=message.strip())
        return Outcome("merged", checked, record)

    def _next_number(self) -> int:
        numbers = [
            int(q.object.value)
            for q in self.store.quads(
                predicate=ox.NamedNode(SCHEMA_POSITION), graph=ox.NamedNode(self.log_graph)
            )
            if isinstance(q.object, ox.Literal)
        ]
        return max(numbers, default=0) + 1

    def _merge(self, checked: Checked, *, by: str, message: str) -> ContributionRecord:
        store = self._oxigraph()
        n = self._next_number()
        iri = URIRef(self.scheme.contribution(n))
        graph = self.scheme.contribution_graph(n)
        inferred_graph = URIRef(f"{graph}/inferred")
        parent = URIRef(self.scheme.contribution(n - 1)) if n > 1 else URIRef(self.scheme.dataset())
        created = _now()
        log = Graph()
        log.add((iri, RDF.type, LA.Contribution))
        log.add((iri, SCHEMA_POSITION, Literal(n, datatype=XSD.integer)))
        log.add((iri, DCTERMS.creator, Literal(by)))
        log.add((iri, DCTERMS.created, Literal(created, datatype=XSD.dateTime)))
        if message:
            log.add((iri, DCTERMS.description, Literal(message)))
        log.add((iri, DCTERMS.identifier, Literal(f"sha256:{checked.sha256}")))
        log.add((iri, PROV.wasRevisionOf, parent))
        log.add((iri, VOID.triples, Literal(len(checked.triples), datatype=XSD.integer)))
        log.add((iri, DCTERMS.hasPart, graph))
        if checked.inferred:
            log.add((iri, DCTERMS.hasPart, inferred_graph))
        quads = [_quad(t, graph) for t in sorted(checked.triples)]
        quads += [_quad(t, inferred_graph) for t in sorted(checked.inferred)]
        quads += [_quad(t, URIRef(self.log_graph)) for t in sorted(log)]
        pause = float(os.environ.get(PAUSE_ENV, "0") or 0)
        try:
            store.extend(_paused(self._with_union(quads), pause))
        except OSError as exc:
            raise StoreError(f"could not merge contribution {n}: {exc}") from exc
        self._after_write()
        return self._record(n)

    def _with_union(self, quads: list[ox.Quad]) -> list[ox.Quad]:
        """Keep the store's materialised union default graph in the same transaction."""
        assert isinstance(self.store, OxigraphStore)
        return self.store.with_union_copies(quads)

    def _oxigraph(self) -> ox.Store:
        if not isinstance(self.store, OxigraphStore):
            raise StoreError("contributions are merged into the embedded store only")
        return self.store.oxigraph

    def _after_write(self) -> None:
        if isinstance(self.store, OxigraphStore):
            if self.store.path is not None:
                self.store.oxigraph.flush()
            self.store._bump()

    # -- the log ---------------------------------------------------------------------------

    def _log_values(self) -> dict[str, dict[str, list[Node]]]:
        out: dict[str, dict[str, list[Node]]] = {}
        for q in self.store.quads(graph=ox.NamedNode(self.log_graph)):
            subject = q.subject.value if isinstance(q.subject, ox.NamedNode) else str(q.subject)
            out.setdefault(subject, {}).setdefault(q.predicate.value, []).append(
                to_rdflib(q.object)
            )
        return out

    def records(self) -> list[ContributionRecord]:
        values = self._log_values()
        records = [
            self._from_log(iri, props, values)
            for iri, props in values.items()
            if str(SCHEMA_POSITION) in props
        ]
        return sorted(records, key=lambda r: r.number)

    def _record(self, n: int) -> ContributionRecord:
        values = self._log_values()
        iri = str(self.scheme.contribution(n))
        props = values.get(iri)
        if props is None:
            raise ContributionNotFound(
                f"no contribution {n}; `linkedalliance contributions list` shows them"
            )
        return self._from_log(iri, props, values)

    def _from_log(
        self, iri: str, props: dict[str, list[Node]], values: dict[str, dict[str, list[Node]]]
    ) -> ContributionRecord:
        def one(p: URIRef, where: dict[str, list[Node]] = props) -> str:
            got = where.get(str(p))
            return str(got[0]) if got else ""

        n = int(one(SCHEMA_POSITION))
        revert = props.get(str(PROV.wasInvalidatedBy))
        rprops = values.get(str(revert[0]), {}) if revert else {}
        return ContributionRecord(
            number=n,
            iri=iri,
            graph=str(self.scheme.contribution_graph(n)),
            by=one(DCTERMS.creator),
            message=one(DCTERMS.description),
            created=one(DCTERMS.created),
            sha256=one(DCTERMS.identifier).removeprefix("sha256:"),
            triples=int(one(VOID.triples) or 0),
            parent=one(PROV.wasRevisionOf),
            reverted=bool(revert),
            reverted_by=one(DCTERMS.creator, rprops) or None if revert else None,
            reverted_at=one(PROV.endedAtTime, rprops) or None if revert else None,
            revert_message=one(DCTERMS.description, rprops) or None if revert else None,
        )

    def show(self, n: int) -> tuple[ContributionRecord, list[ox.Triple]]:
        record = self._record(n)
        triples = [q.triple for q in self.store.quads(graph=ox.NamedNode(record.graph))]
        return record, sorted(triples, key=str)

    def revert(self, n: int, *, by: str, message: str = "") -> ContributionRecord:
        if not by.strip():
            raise LinkedAllianceError("say who reverts (--by NAME)")
        with self._lock:
            record = self._record(n)
            if record.reverted:
                raise LinkedAllianceError(
                    f"contribution {n} was already reverted ({record.reverted_at} by "
                    f"{record.reverted_by})"
                )
            store = self._oxigraph()
            activity = URIRef(f"{record.iri}#revert")
            log = Graph()
            log.add((URIRef(record.iri), PROV.wasInvalidatedBy, activity))
            log.add((activity, RDF.type, PROV.Activity))
            log.add((activity, DCTERMS.creator, Literal(by.strip())))
            log.add((activity, PROV.endedAtTime, Literal(_now(), datatype=XSD.dateTime)))
            if message.strip():
                log.add((activity, DCTERMS.description, Literal(message.strip())))
            data = " ".join(f"{to_ox(s)} {to_ox(p)} {to_ox(o)} ." for s, p, o in sorted(log))
            assert isinstance(self.store, OxigraphStore)
            steps = [
                self.store.drop_graph_update(record.graph),
                self.store.drop_graph_update(f"{record.graph}/inferred"),
                f"INSERT DATA {{ GRAPH <{self.log_graph}> {{ {data} }} }}",
            ]
            if self.store.union_is_materialised:
                steps.append(f"INSERT DATA {{ {data} }}")  # the log is part of the union too
            update = " ;\n".join(steps)
            try:
                store.update(update)  # one update request is one transaction
            except (OSError, SyntaxError) as exc:
                raise StoreError(f"could not revert contribution {n}: {exc}") from exc
            self._after_write()
            return self._record(n)


def _quad(t: tuple[Node, Node, Node], graph: str | URIRef) -> ox.Quad:
    s, p, o = t
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(graph)))  # type: ignore[arg-type]


def _paused(quads: list[ox.Quad], pause: float) -> Iterator[ox.Quad]:
    half = len(quads) // 2
    for i, quad in enumerate(quads):
        if i == half and pause > 0:
            marker = os.environ.get(MARKER_ENV)
            if marker:
                Path(marker).write_text(f"{half} of {len(quads)} quads given to the transaction")
            time.sleep(pause)
        yield quad
