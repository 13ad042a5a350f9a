"""The build: corpus → graph → OWL RL inference → SHACL validation → ``output/``.

Named graphs: one per document (what that document asserts, with its evidence), one for
the entities the facts talk about, one for the ontology, one for inferred triples. The
SPARQL default graph is their union.

Nothing is written until every step has succeeded; files are then staged in a temporary
directory inside ``output/`` and moved into place by atomic renames, so a failure never
leaves a half-written output.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, XSD
from rdflib.term import Node

from . import export
from .canonical import canonicalise, skolemise
from .corpus import Corpus, Document, load_corpus
from .errors import BuildError, InputFileError
from .namespaces import DEFAULT_SCHEME, LA, IriScheme
from .provenance import attach_evidence
from .rdfio import parse_file
from .reasoning import infer

Progress = Callable[[str], None]

OUTPUT_BASENAME = "linkedalliance"


@dataclass
class AssembledDataset:
    """The graphs of a build, by named-graph IRI, before anything is written."""

    graphs: dict[URIRef, Graph]
    corpus: Corpus
    quotes_verified: int
    scheme: IriScheme

    def quads(self) -> Iterable[tuple[Node, Node, Node, URIRef]]:
        for name, graph in self.graphs.items():
            for s, p, o in graph:
                yield s, p, o, name

    def union(self, *, include: Iterable[URIRef] | None = None) -> Graph:
        wanted = set(include) if include is not None else set(self.graphs)
        out = Graph()
        for name, graph in self.graphs.items():
            if name in wanted:
                for triple in graph:
                    out.add(triple)
        return out

    def to_store(self) -> ox.Store:
        store = ox.Store()
        store.bulk_extend(export.to_oxigraph_quads(self.quads()))
        return store


@dataclass
class BuildSummary:
    output_dir: Path
    triples_per_graph: dict[str, int]
    fact_nodes: int
    quotes_verified: int
    conforms: bool
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def _quiet(_: str) -> None:
    pass


def parse_turtle_file(path: Path) -> Graph:
    """Parse one Turtle file; syntax errors name the file, line and column."""
    dataset = parse_file(path, fmt="turtle")
    graph = Graph()
    for triple in dataset.graph(DATASET_DEFAULT_GRAPH_ID):
        graph.add(triple)
    return graph


def load_ontology(project_root: Path) -> Graph:
    ontology_dir = project_root / "ontology"
    files = sorted(ontology_dir.glob("*.ttl"))
    if not files:
        raise InputFileError(ontology_dir, "no ontology (*.ttl) found")
    graph = Graph()
    for path in files:
        for triple in parse_turtle_file(path):
            graph.add(triple)
    return canonicalise(graph)


def _document_graph(document: Document, scheme: IriScheme) -> tuple[Graph, int]:
    graph = parse_turtle_file(document.curation_path)
    quotes = attach_evidence(graph, scheme, document)
    doc = scheme.document(document.doc_id)
    if (doc, RDF.type, LA.SourceDocument) not in graph:
        raise BuildError(
            f"{document.curation_path}: does not describe its document; add "
            f"'<{doc}> a la:SourceDocument' with its title, publisher and date"
        )
    graph.add((doc, DCTERMS.identifier, Literal(document.doc_id)))
    graph.add((doc, LA.textSha256, Literal(document.sha256)))
    graph.add((doc, LA.characterCount, Literal(len(document.text), datatype=XSD.integer)))
    return skolemise(graph, scheme, salt=document.doc_id), quotes


def assemble(
    project_root: Path, *, scheme: IriScheme = DEFAULT_SCHEME, progress: Progress = _quiet
) -> AssembledDataset:
    """Read the corpus and curation, verify every quote, and infer; write nothing."""
    corpus = load_corpus(project_root / "seeds")
    progress(f"corpus: {len(corpus.documents)} documents")
    graphs: dict[URIRef, Graph] = {scheme.graph("ontology"): load_ontology(project_root)}
    graphs[scheme.graph("entities")] = skolemise(
        parse_turtle_file(corpus.entities_path), scheme, salt="entities"
    )
    quotes = 0
    for document in corpus.documents:
        graph, n = _document_graph(document, scheme)
        graphs[scheme.document_graph(document.doc_id)] = graph
        quotes += n
        progress(f"  {document.doc_id}: {len(graph)} triples, {n} quotes verified")
    data = Graph()
    for name, graph in graphs.items():
        if name != scheme.graph("ontology"):
            for triple in graph:
                data.add(triple)
    started = time.perf_counter()
    graphs[scheme.graph("inferred")] = infer(graphs[scheme.graph("ontology")], data, scheme)
    progress(
        f"reasoning (OWL RL): {len(graphs[scheme.graph('inferred')])} inferred triples "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return AssembledDataset(graphs=graphs, corpus=corpus, quotes_verified=quotes, scheme=scheme)


def build_dataset(project_root: Path, *, scheme: IriScheme = DEFAULT_SCHEME) -> ox.Store:
    """The built dataset in an in-memory pyoxigraph store (for tests and tools)."""
    return assemble(Path(project_root), scheme=scheme).to_store()


def count_fact_nodes(dataset: AssembledDataset) -> int:
    return len({s for s in dataset.union().subjects(LA.evidence, None)})


def build(
    project_root: Path,
    output_dir: Path | None = None,
    *,
    scheme: IriScheme = DEFAULT_SCHEME,
    progress: Progress = _quiet,
) -> BuildSummary:
    """Build, validate and write every output file; raise and write nothing on failure."""
    from .publish import write_outputs
    from .validation import load_shapes, validate_graph

    started = time.perf_counter()
    root = Path(project_root)
    out = Path(output_dir) if output_dir is not None else root / "output"
    dataset = assemble(root, scheme=scheme, progress=progress)
    shapes = load_shapes(root / "shapes")
    ontology = dataset.graphs[scheme.graph("ontology")]
    data = dataset.union(include=[g for g in dataset.graphs if g != scheme.graph("ontology")])
    t0 = time.perf_counter()
    report = validate_graph(data, shapes=shapes, ontology=ontology)
    progress(
        f"validation (SHACL): {'conforms' if report.conforms else 'DOES NOT CONFORM'}, "
        f"{len(report.results)} results in {time.perf_counter() - t0:.1f} s"
    )
    if not report.conforms:
        raise BuildError(
            "the graph does not conform to the shapes; nothing was written.\n" + report.text()
        )
    files = write_outputs(dataset, report, out, progress=progress)
    summary = BuildSummary(
        output_dir=out,
        triples_per_graph={str(g): len(graph) for g, graph in sorted(dataset.graphs.items())},
        fact_nodes=count_fact_nodes(dataset),
        quotes_verified=dataset.quotes_verified,
        conforms=report.conforms,
        files=files,
        seconds=time.perf_counter() - started,
    )
    return summary


def replace_directory_contents(staging: Path, target: Path) -> list[Path]:
    """Move every file of ``staging`` into ``target`` with atomic renames."""
    moved = []
    for path in sorted(staging.rglob("*")):
        if path.is_dir():
            continue
        dest = target / path.relative_to(staging)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, dest)
        moved.append(dest)
    shutil.rmtree(staging, ignore_errors=True)
    return moved


def staging_dir(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".staging-", dir=target))
