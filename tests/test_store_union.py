"""The SPARQL default graph is the union of the named graphs as a *set*: a fact stated by
two documents is one triple, so COUNT and result rows do not double it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from linkedalliance.store import OxigraphStore

A, P, B = ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.NamedNode("http://ex/b")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _count(store: OxigraphStore) -> int:
    return int(store.query(COUNT).rows[0][0].value)  # type: ignore[index, union-attr]


def test_triple_in_two_graphs_counts_once(tmp_path: Path) -> None:
    nq = tmp_path / "d.nq"
    nq.write_text(
        "<http://ex/a> <http://ex/p> <http://ex/b> <http://ex/g1> .\n"
        "<http://ex/a> <http://ex/p> <http://ex/b> <http://ex/g2> .\n"
        "<http://ex/a> <http://ex/p> <http://ex/c> <http://ex/g2> .\n"
    )
    store = OxigraphStore()
    store.load(nq)
    assert _count(store) == 2
    assert len(store) == 3  # quads in named graphs
    assert len(list(store.quads(subject=A))) == 3


def test_graph_writes_keep_the_union_exact() -> None:
    store = OxigraphStore()
    store.add_graph("http://ex/g1", [ox.Triple(A, P, B)])
    store.add_graph("http://ex/g2", [ox.Triple(A, P, B), ox.Triple(A, P, ox.BlankNode("x"))])
    assert _count(store) == 2
    store.remove_graph("http://ex/g2")
    assert _count(store) == 1  # still stated by g1
    store.remove_graph("http://ex/g1")
    assert _count(store) == 0
