"""SHACL validation with a typed result.

>>> from rdflib import Graph
>>> shapes = Graph().parse(data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> .
...     @prefix la: <https://w3id.org/linkedalliance/ontology#> .
...     <urn:s> a sh:NodeShape ; sh:targetClass la:State ;
...         sh:property [ sh:path la:iso3166Alpha2 ; sh:minCount 1 ; sh:message "add a code" ] .
... ''', format="turtle")
>>> data = Graph().parse(data='''
...     @prefix la: <https://w3id.org/linkedalliance/ontology#> .
...     <https://w3id.org/linkedalliance/id/x> a la:State .
... ''', format="turtle")
>>> report = validate_graph(data, shapes=shapes)
>>> report.conforms
False
>>> print(report.text())
Does not conform: 1 violation.
Violation  id:x  la:iso3166Alpha2
    add a code
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, NamespaceManager
from rdflib.term import Node

from .errors import InputFileError, RdfSyntaxError, ShapesError
from .namespaces import PREFIXES
from .rdfio import parse_file

__all__ = [
    "ValidationReport",
    "ValidationResult",
    "load_shapes",
    "validate_graph",
]

_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class ValidationResult:
    """One entry of a SHACL validation report.

    ``focus_node`` and ``source_shape`` are IRIs (``_:id`` for blank nodes); ``path`` is an
    IRI or, for a complex path, a SPARQL property path with ``<IRI>``s; ``value`` is the
    offending value in N-Triples syntax; ``severity`` is ``Violation``, ``Warning`` or
    ``Info``; ``constraint_component`` is the IRI of the SHACL constraint component.
    """

    focus_node: str
    path: str | None
    severity: str
    message: str
    source_shape: str
    value: str | None
    constraint_component: str | None = None

    def sort_key(self) -> tuple[int, str, str, str, str, str]:
        return (
            _SEVERITY_ORDER.get(self.severity, 9),
            self.focus_node,
            self.path or "",
            self.message,
            self.value or "",
            self.source_shape,
        )


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one data graph: typed results plus the W3C report graph."""

    conforms: bool
    results: tuple[ValidationResult, ...]
    report_graph: Graph

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")

    def text(self) -> str:
        """A stable, sorted, human-readable rendering using prefixed names."""
        nsm = _namespace_manager()
        counts: dict[str, int] = {}
        for r in self.results:
            counts[r.severity] = counts.get(r.severity, 0) + 1
        summary = ", ".join(
            f"{n} {sev.lower()}{'' if n == 1 else 's'}"
            for sev, n in sorted(counts.items(), key=lambda kv: _SEVERITY_ORDER.get(kv[0], 9))
        )
        head = "Conforms" if self.conforms else "Does not conform"
        lines = [f"{head}: {summary}." if summary else f"{head}."]
        for r in self.results:
            where = _compact(r.focus_node, nsm)
            if r.path:
                where += f"  {_compact_path(r.path, nsm)}"
            lines.append(f"{r.severity}  {where}")
            lines.append(f"    {r.message}")
            if r.value is not None and r.value != f"<{r.focus_node}>":
                lines.append(f"    value: {_compact_n3(r.value, nsm)}")
        return "\n".join(lines)

    def to_turtle(self) -> str:
        """The W3C ``sh:ValidationReport`` graph in Turtle."""
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, replace=True)
        for triple in self.report_graph:
            g.add(triple)
        return g.serialize(format="turtle")

    def to_json(self) -> str:
        """``{"conforms": bool, "results": [...]}`` with full IRIs, sorted, indented."""
        payload = {
            "conforms": self.conforms,
            "results": [asdict(r) for r in self.results],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _namespace_manager() -> NamespaceManager:
    nsm = NamespaceManager(Graph(bind_namespaces="none"), bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        nsm.bind(prefix, ns, override=True, replace=True)
    return nsm


def _compact(iri: str, nsm: NamespaceManager) -> str:
    if iri.startswith("_:"):
        return iri
    best: tuple[str, str] | None = None
    for prefix, ns in nsm.namespaces():
        ns_str = str(ns)
        if iri.startswith(ns_str) and (best is None or len(ns_str) > len(best[1])):
            local = iri[len(ns_str) :]
            if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*", local) and not local.endswith("."):
                best = (prefix, ns_str)
    if best is None:
        return f"<{iri}>"
    return f"{best[0]}:{iri[len(best[1]) :]}"


def _compact_path(path: str, nsm: NamespaceManager) -> str:
    if path.startswith(("<", "^", "(")) or " " in path:
        return re.sub(r"<([^>]*)>", lambda m: _compact(m.group(1), nsm), path)
    return _compact(path, nsm)


def _compact_n3(value: str, nsm: NamespaceManager) -> str:
    if value.startswith("<") and value.endswith(">"):
        return _compact(value[1:-1], nsm)
    if value.startswith('"'):
        return re.sub(r"\^\^<([^>]*)>$", lambda m: "^^" + _compact(m.group(1), nsm), value)
    return value


# ---------------------------------------------------------------------------
# Loading shapes
# ---------------------------------------------------------------------------


def load_shapes(paths_or_dir: Path | str | Iterable[Path | str]) -> Graph:
    """Parse one shapes file, every ``*.ttl`` of a directory, or a list of files.

    Raises :class:`ShapesError` naming the file, line and reason when one does not parse,
    and when no shapes file is found.
    """
    if isinstance(paths_or_dir, (str, Path)):
        candidates = [Path(paths_or_dir)]
    else:
        candidates = [Path(p) for p in paths_or_dir]
    files: list[Path] = []
    for p in candidates:
        if p.is_dir():
            files.extend(sorted(p.glob("*.ttl")))
        elif p.exists():
            files.append(p)
        else:
            raise ShapesError(f"{p}: shapes file or directory not found; pass --shapes PATH")
    if not files:
        raise ShapesError(
            f"{', '.join(map(str, candidates))}: no shapes (*.ttl) found; pass --shapes PATH"
        )
    shapes = Graph()
    for prefix, ns in PREFIXES.items():
        shapes.bind(prefix, ns, replace=True)
    for f in files:
        try:
            ds = parse_file(f)
        except RdfSyntaxError as exc:
            raise ShapesError(f"shapes file {exc.message}") from exc
        except InputFileError as exc:
            raise ShapesError(f"shapes file {exc.message}") from exc
        for subj, pred, obj, _g in ds.quads((None, None, None, None)):
            shapes.add((subj, pred, obj))
    if (None, RDF.type, SH.NodeShape) not in shapes and (
        None,
        RDF.type,
        SH.PropertyShape,
    ) not in shapes:
        raise ShapesError(
            f"{', '.join(map(str, files))}: no sh:NodeShape or sh:PropertyShape found; "
            "is this a SHACL shapes file?"
        )
    return shapes


# ---------------------------------------------------------------------------
# Validating
# ---------------------------------------------------------------------------


def validate_graph(
    data: Graph,
    *,
    shapes: Graph,
    ontology: Graph | None = None,
    inference: bool = False,
) -> ValidationReport:
    """Validate ``data`` against ``shapes``; never modifies ``data``.

    ``ontology`` is mixed into a copy of the data graph so that ``sh:targetClass`` and
    ``sh:class`` follow ``rdfs:subClassOf``. With ``inference=True`` RDFS entailment runs
    on that copy first. Warnings (``sh:Warning``) do not break conformance. Nothing is
    fetched: owl:imports are ignored.
    """
    conforms, report_graph, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="rdfs" if inference else "none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        meta_shacl=False,
        advanced=False,
        do_owl_imports=False,
        inplace=False,
    )
    assert isinstance(report_graph, Graph)
    results = tuple(sorted(_results(report_graph, shapes), key=ValidationResult.sort_key))
    return ValidationReport(conforms=bool(conforms), results=results, report_graph=report_graph)


def _results(report: Graph, shapes: Graph) -> Iterable[ValidationResult]:
    # only top-level results: nested ones (sh:detail of sh:node/sh:or) repeat the cause
    for r in report.objects(None, SH.result):
        focus = report.value(r, SH.focusNode)
        path = report.value(r, SH.resultPath)
        severity = report.value(r, SH.resultSeverity)
        messages = sorted(str(m) for m in report.objects(r, SH.resultMessage))
        shape = report.value(r, SH.sourceShape)
        value = report.value(r, SH.value)
        component = report.value(r, SH.sourceConstraintComponent)
        yield ValidationResult(
            focus_node=_term(focus),
            path=_path(report, path) if path is not None else None,
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            message=messages[0] if messages else _default_message(component),
            source_shape=_shape_name(shapes, shape),
            value=value.n3() if value is not None else None,
            constraint_component=str(component) if component is not None else None,
        )


def _shape_name(shapes: Graph, shape: Node | None) -> str:
    """A stable name for a shape: its IRI, or for an anonymous property shape the IRI of
    the node shape that holds it plus its path (blank node ids change on every load)."""
    if isinstance(shape, BNode):
        parent = shapes.value(predicate=SH.property, object=shape)
        path = shapes.value(shape, SH.path)
        if isinstance(parent, URIRef) and path is not None:
            return f"{parent} [sh:path {_path_expr(shapes, path)}]"
    return _term(shape)


def _term(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        return node.n3()
    return str(node)


def _path(g: Graph, node: Node) -> str:
    """Render a SHACL path: an IRI as itself, a complex path in SPARQL syntax."""
    if isinstance(node, URIRef):
        return str(node)
    return _path_expr(g, node)


def _path_expr(g: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if (node, RDF.first, None) in g:
        return "/".join(_path_expr(g, n) for n in Collection(g, node))
    alt = g.value(node, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(_path_expr(g, n) for n in Collection(g, alt)) + ")"
    modifiers = ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?"))
    for pred, suffix in modifiers:
        inner = g.value(node, pred)
        if inner is not None:
            return f"({_path_expr(g, inner)}){suffix}"
    inv = g.value(node, SH.inversePath)
    if inv is not None:
        return f"^{_path_expr(g, inv)}"
    return _term(node)


def _default_message(component: Node | None) -> str:
    name = str(component).rsplit("#", 1)[-1] if component is not None else "constraint"
    return f"{name} not satisfied (the shape gives no sh:message)"
