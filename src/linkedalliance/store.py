"""One store interface over the embedded pyoxigraph store and any SPARQL 1.1 store.

:class:`Store` is what the query CLI and the server talk to:

* :meth:`Store.query` runs a SPARQL query in the calling process and returns a
  :class:`QueryResult` (materialised, cut at ``max_rows`` and flagged ``truncated``);
* :meth:`Store.quads` is the fast path for IRI look-ups (pattern matching, no query parsing);
* :meth:`Store.add_graph` replaces one named graph atomically, :meth:`Store.remove_graph`
  drops one; both bump :attr:`Store.generation` so query workers know to refresh;
* :meth:`Store.runner` returns a :class:`~linkedalliance.querypool.QueryRunner` that enforces a
  time limit (see :mod:`linkedalliance.querypool` for how a runaway query is stopped).

:class:`OxigraphStore` is embedded, in memory (default) or on disk (``path=``, kept between
restarts). :class:`RemoteSparqlStore` speaks the SPARQL 1.1 Protocol to another server (Oxigraph,
Fuseki, GraphDB...) with httpx; its updates go to the update endpoint as one request, which SPARQL
1.1 Update executes atomically.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pyoxigraph as ox

from .errors import InputFileError, LinkedAllianceError, QueryError, QueryTimeout

if TYPE_CHECKING:
    from .querypool import QueryRunner

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Subject = ox.NamedNode | ox.BlankNode | ox.Triple
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
#: A triple, or a quad of the default graph standing for its triple.
Statement = ox.Triple | ox.Quad


class UpdateRefused(QueryError):
    """A SPARQL Update sent where only queries are accepted."""

    status = 403

    def __init__(self) -> None:
        super().__init__(
            "this endpoint is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, DROP...) "
            "are refused; send a SELECT, ASK, CONSTRUCT or DESCRIBE query"
        )


class StoreError(LinkedAllianceError):
    """The store could not be opened, read or written."""

    status = 502


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset of a query (SPARQL 1.1 Protocol ``default-graph-uri``/``named-graph-uri``).

    With no default graphs given, the default graph is the union of all named graphs.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryResult:
    """A materialised query result: solutions, a boolean, or triples."""

    kind: Literal["select", "ask", "graph"]
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)


_UPDATE_KEYWORD = re.compile(
    r"^\s*(?:(?:#[^\n]*\n|\s)*(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>))*"
    r"(?:#[^\n]*\n|\s)*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


def is_update(sparql: str) -> bool:
    """True when ``sparql`` is (or starts like) a SPARQL Update rather than a query.

    >>> is_update("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }")
    True
    >>> is_update("# drop it\\nDROP ALL")
    True
    >>> is_update("SELECT * { ?s ?p ?o }"), is_update("ASK { ?s <http://e/insert> ?o }")
    (False, False)
    """
    return bool(_UPDATE_KEYWORD.match(sparql))


@contextlib.contextmanager
def _query_errors() -> Iterator[None]:
    """pyoxigraph's errors (also those raised while results are read) as ours."""
    try:
        yield
    except SyntaxError as exc:
        raise syntax_error(exc) from exc
    except ValueError as exc:  # bad IRI in default-graph-uri and the like
        raise QueryError(str(exc)) from exc
    except OSError as exc:
        raise StoreError(f"query evaluation failed: {exc}") from exc


_TOP_LIMIT = re.compile(r"(?<![\w:])LIMIT\s+(\d+)(?:\s+OFFSET\s+\d+)?\s*$", re.IGNORECASE)


def top_level_limit(sparql: str) -> int | None:
    """The ``LIMIT`` of the query as a whole, when it surely has one (else ``None``): the
    text after the last ``}`` ends with ``LIMIT n`` and holds no string or comment.

    >>> top_level_limit("SELECT * { ?s ?p ?o } ORDER BY DESC(STR(?o)) ?s LIMIT 25")
    25
    >>> top_level_limit("SELECT * { ?s ?p ?o } OFFSET 5 limit 10")
    10
    >>> top_level_limit("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 5 } ?s ?q ?r }") is None
    True
    >>> top_level_limit("SELECT * { ?s ?p ?o } # } LIMIT 5") is None
    True
    >>> top_level_limit('SELECT * { ?s ?p ?o } ORDER BY (CONCAT(?o, "}")) LIMIT 5') is None
    True
    """
    brace = sparql.rfind("}")
    line = sparql[sparql.rfind("\n", 0, max(brace, 0)) + 1 : max(brace, 0)]
    tail = sparql[brace + 1 :]
    if brace < 0 or "#" in line or any(c in tail for c in "#\"'"):
        return None
    found = _TOP_LIMIT.search(tail)
    return int(found.group(1)) if found else None


def syntax_error(exc: SyntaxError | ValueError) -> QueryError:
    """The parser's message, as a :class:`QueryError` (400)."""
    return QueryError(f"SPARQL syntax error: {exc}")


def _materialise(
    raw: ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple], max_rows: int | None
) -> QueryResult:
    if isinstance(raw, ox.QuerySolutions):
        variables = tuple(v.value for v in raw.variables)
        # one row past the limit tells a cut result from one that just fits; islice and
        # tuple() run in C, with no Python loop per row
        rows = [tuple(s) for s in itertools.islice(raw, _past(max_rows))]
        cut = max_rows is not None and len(rows) > max_rows
        return QueryResult(
            "select", variables, tuple(rows[:max_rows] if cut else rows), truncated=cut
        )
    if isinstance(raw, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(raw))
    triples = list(itertools.islice(raw, _past(max_rows)))
    cut = max_rows is not None and len(triples) > max_rows
    return QueryResult(
        "graph", triples=tuple(triples[:max_rows] if cut else triples), truncated=cut
    )


def _past(max_rows: int | None) -> int | None:
    return None if max_rows is None else max_rows + 1


class Store(ABC):
    """What the CLI and the server need from a store."""

    def __init__(self) -> None:
        self._generation = 0
        self._generation_lock = threading.Lock()

    @property
    def generation(self) -> int:
        """Incremented by every write, so snapshots taken for query workers can be renewed."""
        return self._generation

    def _bump(self) -> None:
        with self._generation_lock:
            self._generation += 1

    @abstractmethod
    def query(
        self, sparql: str, *, dataset: QueryDataset | None = None, max_rows: int | None = None
    ) -> QueryResult:
        """Run a read-only query in this process (no time limit; see :meth:`runner`)."""

    @abstractmethod
    def quads(
        self,
        subject: Subject | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
        graph: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        """Quads matching a pattern (``None`` is a wildcard)."""

    @abstractmethod
    def graph_names(self) -> list[ox.NamedNode | ox.BlankNode]:
        """The named graphs, sorted."""

    @abstractmethod
    def add_graph(self, graph_iri: str, triples: Iterable[ox.Triple]) -> int:
        """Replace the named graph ``graph_iri`` by ``triples`` in one transaction.

        Readers see the old graph or the new one, never a mix. Returns the triples written.
        """

    @abstractmethod
    def remove_graph(self, graph_iri: str) -> bool:
        """Drop a named graph; ``False`` when it did not exist."""

    @abstractmethod
    def __len__(self) -> int:
        """Number of quads."""

    @abstractmethod
    def runner(self, *, time_limit_s: float, max_rows: int, workers: int = 2) -> QueryRunner:
        """Something that runs queries under a time limit (see :mod:`.querypool`)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (files, connections)."""

    def contains(self, term: Term) -> bool:
        """True when ``term`` occurs as a subject or an object."""
        if not isinstance(term, ox.Literal):
            for _ in self.quads(subject=term):
                return True
        for _ in self.quads(object=term):
            return True
        return False

    def statements(
        self,
        subject: Subject | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
    ) -> list[Statement]:
        """Statements matching a pattern in the union of the named graphs, each once: triples,
        or quads of the default graph (which ``str()`` and the serialisers of triple formats
        treat as triples; building a :class:`pyoxigraph.Triple` from each costs time)."""
        return list(dict.fromkeys(q.triple for q in self.quads(subject, predicate, object)))


def _nt(term: Term | GraphName) -> str:
    return str(term)


_DEFAULT = ox.DefaultGraph()


def _orphans_of(graph: str) -> str:
    """SPARQL Update removing from the default graph what only ``graph`` holds."""
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != {graph}) }} }}"
    )


def _insert_data(
    graph_iri: str, triples: Iterable[ox.Triple], *, into_default: bool
) -> tuple[str, int]:
    """One SPARQL Update (one Oxigraph transaction) that replaces a named graph and, when
    the union is materialised, keeps the default graph equal to the union."""
    lines = [f"{_nt(t.subject)} {_nt(t.predicate)} {_nt(t.object)} ." for t in triples]
    graph = _nt(ox.NamedNode(graph_iri))
    body = "\n".join(lines)
    steps = [f"DROP SILENT GRAPH {graph}", f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}"]
    if into_default:  # copy from the graph just written, so blank nodes stay the same nodes
        copy = f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
        steps = [_orphans_of(graph), *steps, copy]
    return " ;\n".join(steps), len(lines)


class OxigraphStore(Store):
    """The embedded pyoxigraph store, in memory or on disk (``path``).

    The SPARQL default graph is the union of the named graphs, *as a set*: Oxigraph's own
    union view (``use_default_graph_as_union``) yields a triple once per graph holding
    it, so a fact stated by two documents would be counted twice by ``COUNT`` and
    repeated in results. The store therefore keeps the union materialised in its default
    graph, maintained in the same transaction as every graph write, and ``quads()``
    without a graph lists the named graphs only.
    """

    def __init__(self, *, path: str | Path | None = None, store: ox.Store | None = None) -> None:
        super().__init__()
        self.path = Path(path) if path is not None else None
        if store is not None:
            self._store = store
        else:
            try:
                self._store = ox.Store(str(self.path)) if self.path is not None else ox.Store()
            except OSError as exc:
                raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc
        # A store filled by another tool may hold named graphs only; then fall back to
        # Oxigraph's union view (which repeats a triple once per graph that holds it).
        has_named = next(iter(self._store.named_graphs()), None) is not None
        has_default = next(iter(self._store.quads_for_pattern(None, None, None, _DEFAULT)), None)
        self._materialised = has_default is not None or not has_named

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store` (for workers and bulk tools)."""
        return self._store

    def load(self, path: str | Path) -> int:
        """Bulk-load an RDF file (N-Quads, TriG, Turtle...; format from the extension)."""
        source = Path(path)
        if not source.is_file():
            raise InputFileError(source, "no such file; run `linkedalliance build` first")
        fmt = ox.RdfFormat.from_extension(source.suffix.lstrip("."))
        if fmt is None:
            raise InputFileError(source, "unknown RDF file extension")
        before = len(self._store)
        try:
            self._store.bulk_load(path=str(source), format=fmt)
            self._store.bulk_extend(
                ox.Quad(q.subject, q.predicate, q.object, _DEFAULT)
                for q in ox.parse(path=str(source), format=fmt)
            )
        except SyntaxError as exc:
            raise InputFileError(source, f"does not parse: {exc}") from exc
        self._materialised = True
        if self.path is not None:
            self._store.flush()
        self._bump()
        return len(self._store) - before

    def query(
        self, sparql: str, *, dataset: QueryDataset | None = None, max_rows: int | None = None
    ) -> QueryResult:
        with _query_errors():
            return _materialise(self._evaluate(sparql, dataset), max_rows)

    def query_json(
        self, sparql: str, *, dataset: QueryDataset | None = None, max_rows: int | None = None
    ) -> bytes | QueryResult:
        """:meth:`query`, except that a SELECT whose top-level ``LIMIT`` keeps it within
        ``max_rows`` (so it cannot be cut) comes back as SPARQL JSON serialised by Oxigraph:
        the same document as :func:`linkedalliance.query.render_json`, without building a
        Python object per term."""
        limit = top_level_limit(sparql)
        with _query_errors():
            raw = self._evaluate(sparql, dataset)
            if (
                isinstance(raw, ox.QuerySolutions)
                and limit is not None
                and (max_rows is None or limit <= max_rows)
            ):
                return raw.serialize(format=ox.QueryResultsFormat.JSON) or b""
            return _materialise(raw, max_rows)

    def _evaluate(
        self, sparql: str, dataset: QueryDataset | None
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        if is_update(sparql):
            raise UpdateRefused()
        kwargs: dict[str, object] = {}
        if dataset is not None and dataset.default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in dataset.default_graphs]
        elif not self._materialised:
            kwargs["use_default_graph_as_union"] = True
        if dataset is not None and dataset.named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in dataset.named_graphs]
        return self._store.query(sparql, **kwargs)  # type: ignore[arg-type]

    def quads(
        self,
        subject: Subject | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
        graph: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        found = self._store.quads_for_pattern(subject, predicate, object, graph)
        if graph is not None:
            return iter(found)
        return (q for q in found if not isinstance(q.graph_name, ox.DefaultGraph))

    def statements(
        self,
        subject: Subject | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
    ) -> list[Statement]:
        if not self._materialised:
            return super().statements(subject, predicate, object)
        # the default graph is the union as a set: exact, no duplicates, one index scan
        return list(self._store.quads_for_pattern(subject, predicate, object, _DEFAULT))

    def contains(self, term: Term) -> bool:
        if not self._materialised:
            return super().contains(term)
        if not isinstance(term, ox.Literal):
            for _ in self._store.quads_for_pattern(term, None, None, _DEFAULT):
                return True
        for _ in self._store.quads_for_pattern(None, None, term, _DEFAULT):
            return True
        return False

    def graph_names(self) -> list[ox.NamedNode | ox.BlankNode]:
        return sorted(self._store.named_graphs(), key=str)

    def add_graph(self, graph_iri: str, triples: Iterable[ox.Triple]) -> int:
        # One SPARQL Update request is one Oxigraph transaction: drop and insert commit together.
        update, count = _insert_data(graph_iri, triples, into_default=self._materialised)
        try:
            self._store.update(update)
        except (SyntaxError, OSError) as exc:
            raise StoreError(f"could not write graph <{graph_iri}>: {exc}") from exc
        self._bump()
        return count

    @property
    def union_is_materialised(self) -> bool:
        """True when the default graph holds the union of the named graphs."""
        return self._materialised

    def with_union_copies(self, quads: list[ox.Quad]) -> list[ox.Quad]:
        """``quads`` plus their default-graph copies, for writers that call
        :meth:`pyoxigraph.Store.extend` themselves (one transaction for both)."""
        if not self._materialised:
            return quads
        return quads + [ox.Quad(q.subject, q.predicate, q.object, _DEFAULT) for q in quads]

    def drop_graph_update(self, graph_iri: str) -> str:
        """SPARQL Update dropping a named graph and what only it held from the union."""
        graph = _nt(ox.NamedNode(graph_iri))
        drop = f"DROP SILENT GRAPH {graph}"
        return f"{_orphans_of(graph)} ;\n{drop}" if self._materialised else drop

    def bulk_add(self, quads: Iterable[ox.Quad]) -> None:
        """Fast, non-transactional load of many quads (initial loads only)."""
        batch = list(quads)
        self._store.bulk_extend(batch)
        self._store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, _DEFAULT) for q in batch)
        self._materialised = True
        self._bump()

    def remove_graph(self, graph_iri: str) -> bool:
        node = ox.NamedNode(graph_iri)
        if not self._store.contains_named_graph(node):
            return False
        self._store.update(self.drop_graph_update(graph_iri))
        self._bump()
        return True

    def __len__(self) -> int:
        """Quads in named graphs (the materialised union is not counted again)."""
        total = len(self._store)
        if not self._materialised:
            return total
        in_default = sum(1 for _ in self._store.quads_for_pattern(None, None, None, _DEFAULT))
        return total - in_default

    def runner(self, *, time_limit_s: float, max_rows: int, workers: int = 2) -> QueryRunner:
        from .querypool import ProcessQueryRunner

        return ProcessQueryRunner(
            self, time_limit_s=time_limit_s, max_rows=max_rows, workers=workers
        )

    def close(self) -> None:
        if self.path is not None:
            self._store.flush()


@dataclass
class RemoteSparqlStore(Store):
    """A SPARQL 1.1 store behind the SPARQL 1.1 Protocol (queries) and Update (writes)."""

    query_endpoint: str
    update_endpoint: str | None = None
    timeout_s: float = 30.0
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__()
        import httpx

        self._client = httpx.Client(timeout=self.timeout_s, headers=self.headers)

    def _post_query(
        self, sparql: str, accept: str, dataset: QueryDataset | None, timeout_s: float | None
    ) -> tuple[str, bytes]:
        import httpx

        params: list[tuple[str, str | int | float | bool | None]] = []
        if dataset is not None:
            params += [("default-graph-uri", g) for g in dataset.default_graphs]
            params += [("named-graph-uri", g) for g in dataset.named_graphs]
        try:
            response = self._client.post(
                self.query_endpoint,
                params=params,
                content=sparql.encode("utf-8"),
                headers={"Content-Type": "application/sparql-query", "Accept": accept},
                timeout=timeout_s if timeout_s is not None else self.timeout_s,
            )
        except httpx.TimeoutException as exc:
            raise QueryTimeout(timeout_s or self.timeout_s) from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"SPARQL endpoint {self.query_endpoint} unreachable: {exc}") from exc
        if response.status_code == 400:
            raise QueryError(f"SPARQL endpoint refused the query: {response.text.strip()}")
        if response.status_code >= 300:
            raise StoreError(
                f"SPARQL endpoint answered {response.status_code}: {response.text.strip()[:500]}"
            )
        media = response.headers.get("content-type", "").split(";")[0].strip()
        return media, response.content

    def query(
        self,
        sparql: str,
        *,
        dataset: QueryDataset | None = None,
        max_rows: int | None = None,
        timeout_s: float | None = None,
    ) -> QueryResult:
        if is_update(sparql):
            raise UpdateRefused()
        accept = (
            "application/sparql-results+json, application/n-triples;q=0.9, "
            "application/sparql-results+xml;q=0.5, text/turtle;q=0.5"
        )
        if dataset is None:
            dataset = QueryDataset()
        media, body = self._post_query(sparql, accept, dataset, timeout_s)
        results_format = ox.QueryResultsFormat.from_media_type(media)
        if results_format is not None:
            raw: ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple] = ox.parse_query_results(
                body, format=results_format
            )
        else:
            rdf_format = ox.RdfFormat.from_media_type(media)
            if rdf_format is None:
                raise StoreError(f"SPARQL endpoint answered with unknown media type {media!r}")
            raw = (q.triple for q in ox.parse(body, format=rdf_format))
        return _materialise(raw, max_rows)

    def quads(
        self,
        subject: Subject | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
        graph: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        s = _nt(subject) if subject is not None else "?s"
        p = _nt(predicate) if predicate is not None else "?p"
        o = _nt(object) if object is not None else "?o"
        if isinstance(graph, ox.DefaultGraph):
            result = self._select(f"SELECT ?s ?p ?o WHERE {{ {s} {p} {o} }}", QueryDataset())
            graph_of = None
        else:
            g = _nt(graph) if graph is not None else "?g"
            result = self._select(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH {g} {{ {s} {p} {o} }} }}")
            graph_of = graph
        for row in result.rows:
            values = dict(zip(result.variables, row, strict=True))
            yield ox.Quad(
                subject if subject is not None else values["s"],  # type: ignore[arg-type]
                predicate if predicate is not None else values["p"],  # type: ignore[arg-type]
                object if object is not None else values["o"],  # type: ignore[arg-type]
                graph_of or values.get("g") or ox.DefaultGraph(),  # type: ignore[arg-type]
            )

    def _select(self, sparql: str, dataset: QueryDataset | None = None) -> QueryResult:
        return self.query(sparql, dataset=dataset)

    def graph_names(self) -> list[ox.NamedNode | ox.BlankNode]:
        result = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted((r[0] for r in result.rows if r[0] is not None), key=str)  # type: ignore[misc]

    def _update(self, update: str) -> None:
        import httpx

        if self.update_endpoint is None:
            raise StoreError("this remote store has no update endpoint configured")
        try:
            response = self._client.post(
                self.update_endpoint,
                content=update.encode("utf-8"),
                headers={"Content-Type": "application/sparql-update"},
            )
        except httpx.HTTPError as exc:
            raise StoreError(f"update endpoint {self.update_endpoint} unreachable: {exc}") from exc
        if response.status_code >= 300:
            raise StoreError(
                f"update endpoint answered {response.status_code}: {response.text.strip()[:500]}"
            )
        self._bump()

    def add_graph(self, graph_iri: str, triples: Iterable[ox.Triple]) -> int:
        update, count = _insert_data(graph_iri, triples, into_default=False)
        self._update(update)
        return count

    def remove_graph(self, graph_iri: str) -> bool:
        node = ox.NamedNode(graph_iri)
        if node not in self.graph_names():
            return False
        self._update(f"DROP GRAPH {_nt(node)}")
        return True

    def __len__(self) -> int:
        result = self._select(
            "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
            QueryDataset(default_graphs=()),
        )
        value = result.rows[0][0]
        return int(value.value) if isinstance(value, ox.Literal) else 0

    def runner(self, *, time_limit_s: float, max_rows: int, workers: int = 2) -> QueryRunner:
        from .querypool import RemoteQueryRunner

        return RemoteQueryRunner(self, time_limit_s=time_limit_s, max_rows=max_rows)

    def close(self) -> None:
        self._client.close()


def open_store(*, data_dir: str | Path | None, dataset_file: str | Path | None) -> OxigraphStore:
    """The embedded store: on disk at ``data_dir`` (loaded once from ``dataset_file`` when
    empty) or in memory loaded from ``dataset_file``."""
    store = OxigraphStore(path=data_dir)
    if dataset_file is not None and len(store) == 0:
        store.load(dataset_file)
    return store
