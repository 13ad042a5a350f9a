"""Writing a built dataset to ``output/``: every file staged first, then swapped in.

Files: ``linkedalliance.nq`` and ``.trig`` (named graphs kept), ``linkedalliance.ttl``
(the union, as the SPARQL default graph sees it), ``linkedalliance.jsonld`` (named graphs,
context embedded) with ``context.jsonld``, ``void.ttl`` (VoID + DCAT with counts),
``validation-report.ttl`` (the SHACL report), ``ontology.ttl`` and ``texts/<id>.txt``
(the normalised texts the offsets refer to).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCAT, DCTERMS, VOID, XSD

from . import export
from .namespaces import LA, ONTOLOGY_IRI

if TYPE_CHECKING:
    from .build import AssembledDataset
    from .validation import ValidationReport

BASENAME = "linkedalliance"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

#: (file name, media type, title) of every distribution listed in the VoID/DCAT file.
DISTRIBUTIONS: tuple[tuple[str, str, str], ...] = (
    (f"{BASENAME}.nq", "application/n-quads", "All named graphs, N-Quads"),
    (f"{BASENAME}.trig", "application/trig", "All named graphs, TriG"),
    (f"{BASENAME}.ttl", "text/turtle", "Union of all graphs, Turtle"),
    (f"{BASENAME}.jsonld", "application/ld+json", "All named graphs, JSON-LD 1.1"),
    ("context.jsonld", "application/ld+json", "The JSON-LD @context"),
    ("ontology.ttl", "text/turtle", "The ontology"),
    ("validation-report.ttl", "text/turtle", "SHACL validation report of the build"),
)


def write_outputs(
    dataset: AssembledDataset,
    report: ValidationReport,
    out: Path,
    *,
    progress: Callable[[str], None],
) -> list[Path]:
    from .build import replace_directory_contents, staging_dir

    staging = staging_dir(out)
    try:
        _write_all(dataset, report, staging, progress)
    except BaseException:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
        raise
    return replace_directory_contents(staging, out)


def _write_all(
    dataset: AssembledDataset,
    report: ValidationReport,
    staging: Path,
    progress: Callable[[str], None],
) -> None:
    scheme = dataset.scheme
    quads = list(dataset.quads())
    (staging / f"{BASENAME}.nq").write_bytes(export.serialize_quads(quads, ox.RdfFormat.N_QUADS))
    (staging / f"{BASENAME}.trig").write_bytes(export.serialize_quads(quads, ox.RdfFormat.TRIG))
    (staging / f"{BASENAME}.ttl").write_bytes(
        export.serialize_triples(((s, p, o) for s, p, o, _ in quads), ox.RdfFormat.TURTLE)
    )
    ontology = dataset.graphs[scheme.graph("ontology")]
    context = export.build_context(ontology)
    (staging / "context.jsonld").write_bytes(export.context_document(context))
    (staging / f"{BASENAME}.jsonld").write_bytes(
        export.serialize_jsonld({name: g for name, g in dataset.graphs.items()}, context)
    )
    (staging / "ontology.ttl").write_bytes(export.serialize_triples(ontology, ox.RdfFormat.TURTLE))
    (staging / "validation-report.ttl").write_bytes(_report_turtle(report.report_graph, scheme))
    texts = staging / "texts"
    texts.mkdir()
    for document in dataset.corpus.documents:
        (texts / f"{document.doc_id}.txt").write_text(document.text, encoding="utf-8")
    void = void_description(dataset, staging)
    (staging / "void.ttl").write_bytes(export.serialize_triples(void, ox.RdfFormat.TURTLE))
    (staging / "stats.json").write_text(
        json.dumps(
            {
                "triples_per_graph": {str(g): len(x) for g, x in sorted(dataset.graphs.items())},
                "quotes_verified": dataset.quotes_verified,
                "conforms": report.conforms,
            },
            indent=1,
            sort_keys=True,
        )
        + "\n"
    )
    progress(f"wrote {len(list(staging.rglob('*')))} files")


def _report_turtle(report_graph: Graph, scheme: object) -> bytes:
    """The SHACL report with canonical blank-node labels, so rebuilding is byte-identical."""
    canonical = to_canonical_graph(report_graph)
    return export.serialize_triples(canonical, ox.RdfFormat.TURTLE)


def void_description(dataset: AssembledDataset, staging: Path) -> Graph:
    """VoID + DCAT: the dataset, one subset per named graph, class partitions, files."""
    scheme = dataset.scheme
    ds = scheme.dataset()
    g = Graph()
    total = sum(len(x) for x in dataset.graphs.values())
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("linkedalliance knowledge graph", lang="en")))
    g.add(
        (
            ds,
            DCTERMS.description,
            Literal(
                "Alliances, treaties, memberships, meetings and arms transfers reported in "
                "five source documents; every fact with its quoted evidence.",
                lang="en",
            ),
        )
    )
    g.add((ds, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    g.add((ds, VOID.triples, Literal(total, datatype=XSD.integer)))
    g.add((ds, VOID.uriSpace, Literal(scheme.base + "id/")))
    g.add((ds, VOID.vocabulary, URIRef(str(LA))))
    g.add((ds, VOID.sparqlEndpoint, URIRef(scheme.base + "sparql")))
    g.add((ds, DCTERMS.conformsTo, ONTOLOGY_IRI))
    union = dataset.union()
    entities = {s for s in union.subjects() if isinstance(s, URIRef) and scheme.entity_slug(s)}
    g.add((ds, VOID.entities, Literal(len(entities), datatype=XSD.integer)))
    g.add((ds, VOID.distinctSubjects, Literal(len(set(union.subjects())), datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(len(set(union.predicates())), datatype=XSD.integer)))
    for document in dataset.corpus.documents:
        g.add((ds, DCTERMS.source, scheme.document(document.doc_id)))
    for name, graph in sorted(dataset.graphs.items()):
        subset = URIRef(f"{ds}#graph-{str(name)[len(scheme.base + 'graph/') :].replace('/', '-')}")
        g.add((ds, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, SD.name, name))
        g.add((subset, VOID.triples, Literal(len(graph), datatype=XSD.integer)))
    classes = Counter(o for _, _, o in union.triples((None, RDF.type, None)))
    for cls, count in sorted(classes.items()):
        if not isinstance(cls, URIRef) or not str(cls).startswith(str(LA)):
            continue
        part = URIRef(f"{ds}#class-{str(cls)[len(str(LA)) :]}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    for file_name, media_type, title in DISTRIBUTIONS:
        dist = URIRef(f"{scheme.base}downloads/{file_name}")
        g.add((ds, DCAT.distribution, dist))
        g.add((ds, VOID.dataDump, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.mediaType, Literal(media_type)))
        g.add((dist, DCTERMS.title, Literal(title, lang="en")))
        g.add((dist, DCAT.downloadURL, dist))
        size = (staging / file_name).stat().st_size if (staging / file_name).exists() else None
        if size is not None:
            g.add((dist, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
    return g
