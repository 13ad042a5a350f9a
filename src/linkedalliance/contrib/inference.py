"""OWL 2 RL entailment for a fixed ontology, fast enough to run on every contribution.

:func:`linkedalliance.reasoning.infer` runs owlrl's full closure, which re-derives the whole
ontology each time (about 1 s for the ontology alone). Contributions never change the
ontology (they are refused when they try), so its schema can be compiled once into lookup
tables (:class:`CompiledOntology`) and only the OWL 2 RL rules that derive *data* triples
need to run on a contribution and its neighbourhood:

* ``cax-sco``/``cax-eqc``: types follow ``rdfs:subClassOf`` / ``owl:equivalentClass``;
* ``prp-spo1``/``prp-eqp``: statements follow ``rdfs:subPropertyOf`` /
  ``owl:equivalentProperty``;
* ``prp-dom``/``prp-rng``: ``rdfs:domain`` and ``rdfs:range`` type subjects and objects;
* ``prp-inv``: ``owl:inverseOf`` (also of anonymous ``[ owl:inverseOf p ]`` chain steps);
* ``prp-spo2``: ``owl:propertyChainAxiom``;
* ``prp-symp``, ``prp-trp``: symmetric and transitive properties;
* ``cax-dw``: ``owl:disjointWith`` is an inconsistency, reported by :class:`Clash`;
* ``prp-fp``: two values of an ``owl:FunctionalProperty`` are reported as a :class:`Clash`
  instead of being merged with ``owl:sameAs`` (a contribution cannot merge entities).

The result keeps what :func:`~linkedalliance.reasoning.infer` keeps (entailments about
data under our base, without owl:Thing/owl:sameAs noise); ``tests/test_contrib_validation.py``
checks that both give the same triples on the seed graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from ..namespaces import LA, ONTOLOGY_IRI, IriScheme

_NOISE_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Clash:
    """An inconsistency the rules found: disjoint types or two values of a functional property."""

    node: Node
    predicate: URIRef | None
    message: str


@dataclass
class CompiledOntology:
    """Lookup tables derived once from the ontology's schema triples."""

    superclasses: dict[Node, set[Node]] = field(default_factory=dict)
    superproperties: dict[Node, set[Node]] = field(default_factory=dict)
    domains: dict[Node, set[Node]] = field(default_factory=dict)
    ranges: dict[Node, set[Node]] = field(default_factory=dict)
    inverses: dict[Node, set[Node]] = field(default_factory=dict)
    chains: list[tuple[Node, tuple[tuple[Node, bool], ...]]] = field(default_factory=list)
    symmetric: set[Node] = field(default_factory=set)
    transitive: set[Node] = field(default_factory=set)
    functional: set[Node] = field(default_factory=set)
    disjoint: set[frozenset[Node]] = field(default_factory=set)
    classes: set[Node] = field(default_factory=set)
    properties: set[Node] = field(default_factory=set)

    @classmethod
    def from_graph(cls, ontology: Graph) -> CompiledOntology:
        c = cls()
        c.superclasses = _hierarchy(ontology, RDFS.subClassOf, OWL.equivalentClass)
        c.superproperties = _hierarchy(ontology, RDFS.subPropertyOf, OWL.equivalentProperty)
        for table, pred in ((c.domains, RDFS.domain), (c.ranges, RDFS.range)):
            for s, o in ontology.subject_objects(pred):
                table.setdefault(s, set()).add(o)
        for s, o in ontology.subject_objects(OWL.inverseOf):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                c.inverses.setdefault(s, set()).add(o)
                c.inverses.setdefault(o, set()).add(s)
        for prop, head in ontology.subject_objects(OWL.propertyChainAxiom):
            steps: list[tuple[Node, bool]] = []
            for step in Collection(ontology, head):
                if isinstance(step, BNode):
                    inner = ontology.value(step, OWL.inverseOf)
                    steps.append((inner, True))  # type: ignore[arg-type]
                else:
                    steps.append((step, False))
            c.chains.append((prop, tuple(steps)))
        c.symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
        c.transitive = set(ontology.subjects(RDF.type, OWL.TransitiveProperty))
        c.functional = set(ontology.subjects(RDF.type, OWL.FunctionalProperty))
        for s, o in ontology.subject_objects(OWL.disjointWith):
            c.disjoint.add(frozenset((s, o)))
        c.classes = {
            s
            for s in ontology.subjects(RDF.type, None)
            if (s, RDF.type, OWL.Class) in ontology or (s, RDF.type, RDFS.Class) in ontology
        }
        c.properties = {
            s
            for t in (
                OWL.ObjectProperty,
                OWL.DatatypeProperty,
                OWL.AnnotationProperty,
                RDF.Property,
            )
            for s in ontology.subjects(RDF.type, t)
        }
        return c

    def types_of(self, cls: Node) -> set[Node]:
        """``cls`` and every superclass."""
        return {cls} | self.superclasses.get(cls, set())

    def props_of(self, prop: Node) -> set[Node]:
        return {prop} | self.superproperties.get(prop, set())


def _hierarchy(ontology: Graph, sub_of: Node, equivalent: Node) -> dict[Node, set[Node]]:
    """Every term's ancestors along ``sub_of``, equivalences counting both ways."""
    parents: dict[Node, set[Node]] = defaultdict(set)
    for s, o in ontology.subject_objects(sub_of):
        parents[s].add(o)
    for s, o in ontology.subject_objects(equivalent):
        parents[s].add(o)
        parents[o].add(s)
    return _closure(parents)


def _closure(direct: dict[Node, set[Node]]) -> dict[Node, set[Node]]:
    out: dict[Node, set[Node]] = {}
    for start in list(direct):
        seen: set[Node] = set()
        stack = list(direct[start])
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            stack.extend(direct.get(n, ()))
        seen.discard(start)
        out[start] = seen
    return out


@dataclass(frozen=True)
class Entailment:
    """What the rules derived: new triples (filtered like the build) and any clashes."""

    triples: frozenset[Triple]
    clashes: tuple[Clash, ...]


def entail(  # noqa: C901
    onto: CompiledOntology, data: Iterable[Triple], scheme: IriScheme
) -> Entailment:
    """Apply the data rules of OWL 2 RL to ``data`` until nothing new follows."""
    facts: set[Triple] = set(data)
    asserted = frozenset(facts)
    by_pred: dict[Node, set[tuple[Node, Node]]] = defaultdict(set)
    by_subj_pred: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    by_obj_pred: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    agenda: list[Triple] = []

    def add(t: Triple) -> None:
        if t not in facts:
            facts.add(t)
            agenda.append(t)

    def index(t: Triple) -> None:
        s, p, o = t
        by_pred[p].add((s, o))
        by_subj_pred[(s, p)].add(o)
        by_obj_pred[(o, p)].add(s)

    chain_steps: dict[Node, list[tuple[int, int]]] = defaultdict(list)
    for ci, (_prop, steps) in enumerate(onto.chains):
        for si, (step_prop, _inv) in enumerate(steps):
            chain_steps[step_prop].append((ci, si))

    agenda.extend(facts)
    for t in facts:
        index(t)
    while agenda:
        s, p, o = agenda.pop()
        index((s, p, o))
        if p == RDF.type:
            for sup in onto.superclasses.get(o, ()):
                add((s, RDF.type, sup))
            continue
        for sup in onto.superproperties.get(p, ()):
            add((s, sup, o))
        for d in onto.domains.get(p, ()):
            add((s, RDF.type, d))
        if not isinstance(o, Literal):
            for r in onto.ranges.get(p, ()):
                add((o, RDF.type, r))
            for inv in onto.inverses.get(p, ()):
                add((o, inv, s))
            if p in onto.symmetric:
                add((o, p, s))
            if p in onto.transitive:
                for o2 in list(by_subj_pred.get((o, p), ())):
                    add((s, p, o2))
                for s0 in list(by_obj_pred.get((s, p), ())):
                    add((s0, p, o))
            for ci, si in chain_steps.get(p, ()):
                _apply_chain(onto.chains[ci], si, s, o, by_subj_pred, by_obj_pred, add)
    clashes = _clashes(onto, facts, by_pred, by_subj_pred)
    kept = frozenset(t for t in facts - asserted if _keep(t, scheme))
    return Entailment(kept, clashes)


def _step_pairs(
    prop: Node,
    inverse: bool,
    start: Node,
    by_subj_pred: dict[tuple[Node, Node], set[Node]],
    by_obj_pred: dict[tuple[Node, Node], set[Node]],
) -> set[Node]:
    if inverse:
        return set(by_obj_pred.get((start, prop), ()))
    return set(by_subj_pred.get((start, prop), ()))


def _apply_chain(
    chain: tuple[Node, tuple[tuple[Node, bool], ...]],
    at: int,
    s: Node,
    o: Node,
    by_subj_pred: dict[tuple[Node, Node], set[Node]],
    by_obj_pred: dict[tuple[Node, Node], set[Node]],
    add: object,
) -> None:
    """A new triple matched step ``at`` of a chain: walk back to the start, forward to the end."""
    prop, steps = chain
    step_prop, inverse = steps[at]
    left, right = (o, s) if inverse else (s, o)
    starts = {left}
    for j in range(at - 1, -1, -1):
        p_j, inv_j = steps[j]
        # x --step j--> y : find x given y
        nxt: set[Node] = set()
        for y in starts:
            nxt |= _step_pairs(p_j, not inv_j, y, by_subj_pred, by_obj_pred)
        starts = nxt
    ends = {right}
    for j in range(at + 1, len(steps)):
        p_j, inv_j = steps[j]
        nxt = set()
        for y in ends:
            nxt |= _step_pairs(p_j, inv_j, y, by_subj_pred, by_obj_pred)
        ends = nxt
    for a in starts:
        for b in ends:
            if not isinstance(a, Literal):
                add((a, prop, b))  # type: ignore[operator]
    del step_prop


def _clashes(
    onto: CompiledOntology,
    facts: set[Triple],
    by_pred: dict[Node, set[tuple[Node, Node]]],
    by_subj_pred: dict[tuple[Node, Node], set[Node]],
) -> tuple[Clash, ...]:
    out: list[Clash] = []
    for pair in onto.disjoint:
        a, b = sorted(pair, key=str) if len(pair) == 2 else (next(iter(pair)),) * 2
        for s, _ in by_pred.get(RDF.type, set()):
            if (s, RDF.type, a) in facts and (s, RDF.type, b) in facts:
                out.append(Clash(s, RDF.type, f"is both <{a}> and <{b}>, which are disjoint"))
    for prop in onto.functional:
        for s in {s for s, _ in by_pred.get(prop, set())}:
            values = by_subj_pred.get((s, prop), set())
            if len(values) > 1:
                listed = ", ".join(sorted(v.n3() for v in values))
                out.append(
                    Clash(
                        s,
                        prop,  # type: ignore[arg-type]
                        f"has {len(values)} values of the functional property "
                        f"<{prop}> ({listed}); it can have only one",
                    )
                )
    return tuple(sorted(set(out), key=lambda c: (str(c.node), str(c.predicate), c.message)))


def _keep(t: Triple, scheme: IriScheme) -> bool:
    """The filter of :func:`linkedalliance.reasoning.infer`."""
    s, p, o = t
    if not isinstance(s, URIRef) or not scheme.is_ours(str(s)):
        return False
    if str(s).startswith(str(LA)) or str(s).startswith(str(ONTOLOGY_IRI)):
        return False
    if p in (OWL.sameAs, OWL.differentFrom):
        return False
    return not (p == RDF.type and (o in _NOISE_TYPES or isinstance(o, Literal)))
