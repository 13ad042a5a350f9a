"""Contributions: new facts from people, validated against the graph and merged with provenance.

* :mod:`.parse`: safe parsing, size limits, canonical hash, stable blank-node IRIs;
* :mod:`.incremental`: validation in the context of the graph, on the contribution's
  neighbourhood only (OWL RL with :mod:`.inference`, then SHACL);
* :mod:`.merge`: the log, atomic merges, list/show/revert, the on-disk store;
* :mod:`.http`: ``POST /contributions``, ``GET /contributions[/{n}]``.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..build import load_ontology
from ..namespaces import IriScheme
from ..settings import DEFAULT_DATA_DIR
from ..store import Store
from ..validation import load_shapes
from .incremental import Checked, GraphContext, check_contribution
from .merge import ContributionRecord, Contributions, Outcome, open_data_store
from .parse import ParsedContribution, parse_contribution, to_rdflib

__all__ = [
    "open_readonly_context",
    "open_service",
    "Checked",
    "ContributionRecord",
    "Contributions",
    "GraphContext",
    "Outcome",
    "ParsedContribution",
    "check_contribution",
    "make_context",
    "open_data_store",
    "parse_contribution",
]


def make_context(
    store: Store,
    *,
    project_dir: Path,
    texts_dir: Path,
    scheme: IriScheme | None = None,
    shapes_dir: Path | None = None,
) -> GraphContext:
    """Everything validation needs: the ontology (from the store's ontology graph, else from
    ``project_dir/ontology``), the shapes (``project_dir/shapes``) and the document texts."""
    scheme = scheme or IriScheme()
    ontology_graph = scheme.graph("ontology")
    ontology = Graph()
    for q in store.quads(graph=ox.NamedNode(ontology_graph)):
        ontology.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    if len(ontology) == 0:
        ontology = load_ontology(project_dir)
    shapes = load_shapes(shapes_dir if shapes_dir is not None else project_dir / "shapes")
    return GraphContext(
        store=store,
        scheme=scheme,
        ontology=ontology,
        shapes=shapes,
        texts_dir=texts_dir,
        excluded_graphs=frozenset({str(ontology_graph), str(scheme.graph("contributions"))}),
    )


DATA_DIR = DEFAULT_DATA_DIR
DATASET_FILE = Path("output") / "linkedalliance.nq"
TEXTS_DIR = Path("output") / "texts"


def open_service(
    *,
    project_dir: Path,
    data_dir: Path | None = None,
    output_dir: Path | None = None,
    scheme: IriScheme | None = None,
) -> Contributions:
    """The contribution service over the on-disk store of a project (created on first use from
    ``output/linkedalliance.nq``)."""
    output = output_dir if output_dir is not None else project_dir / "output"
    store = open_data_store(
        data_dir if data_dir is not None else project_dir / DATA_DIR,
        output / "linkedalliance.nq",
        scheme=scheme or IriScheme(),
    )
    ctx = make_context(store, project_dir=project_dir, texts_dir=output / "texts", scheme=scheme)
    return Contributions(store, ctx)


def open_readonly_context(
    *,
    project_dir: Path,
    data_dir: Path | None = None,
    output_dir: Path | None = None,
    scheme: IriScheme | None = None,
) -> GraphContext | None:
    """A validation context over the project's graph without writing anything: the on-disk
    store read-only when ``data_dir`` holds one, else the built N-Quads in memory; ``None``
    when there is neither."""
    from ..store import OxigraphStore

    output = output_dir if output_dir is not None else project_dir / "output"
    data = data_dir if data_dir is not None else project_dir / DATA_DIR
    if data.is_dir() and any(data.iterdir()):
        store = OxigraphStore(store=ox.Store.read_only(str(data)))
    elif (output / "linkedalliance.nq").is_file():
        store = OxigraphStore()
        store.load(output / "linkedalliance.nq")
    else:
        return None
    return make_context(store, project_dir=project_dir, texts_dir=output / "texts", scheme=scheme)
