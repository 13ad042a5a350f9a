"""How long validating a contribution takes, against the seed graph and a 1M-triple graph.

    python bench/contrib_validation.py       # output/linkedalliance.nq and bench/data/synth-1m.nq
    python bench/contrib_validation.py --graph other.nq --triples 1000 --repeat 5

The contribution is ~N triples of new, conformant facts (``la:Statement`` nodes between existing
states and organisations, each with an ``la:Evidence`` node on a new ``la:SourceDocument`` it
describes, with quote and position selectors). The time is parse + neighbourhood validation
(:func:`linkedalliance.contrib.check_contribution`), the median of ``--repeat`` runs; with
``--full`` it also times the full validation of graph + contribution, for comparison. Make the
synthetic graph with ``python bench/generate.py --triples 1M --out bench/data/synth-1m.nq``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from linkedalliance.contrib import make_context, parse_contribution
from linkedalliance.contrib.incremental import check_contribution
from linkedalliance.rdfio import TURTLE
from linkedalliance.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
LA = "https://w3id.org/linkedalliance/ontology#"


def pick(store: OxigraphStore, cls: str, n: int) -> list[str]:
    result = store.query(f"SELECT ?s WHERE {{ ?s a <{LA}{cls}> }} ORDER BY ?s LIMIT {n}")
    return [row[0].value for row in result.rows if row[0] is not None]  # type: ignore[union-attr]


def contribution(store: OxigraphStore, triples: int, tag: str) -> bytes:
    states = pick(store, "State", 40)
    orgs = pick(store, "InternationalOrganization", 20) or pick(store, "Organization", 20)
    lines = [
        "@prefix la: <https://w3id.org/linkedalliance/ontology#> .",
        "@prefix oa: <http://www.w3.org/ns/oa#> .",
        "@prefix schema: <https://schema.org/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        f"<https://w3id.org/linkedalliance/doc/bench-{tag}> a la:SourceDocument ;",
        f'    schema:publisher <{orgs[0]}> ; schema:datePublished "2024-06"^^xsd:gYearMonth .',
    ]
    count, i = 3, 0
    while count < triples:
        quote = f"Statement number {i} of the benchmark contribution {tag}."
        start = i * 100
        fact = f"https://w3id.org/linkedalliance/id/bench-{tag}-statement-{i}"
        lines.append(f"""<{fact}> a la:Statement ;
    la:speaker <{states[i % len(states)]}> ; la:about <{orgs[i % len(orgs)]}> ;
    la:statementText "{quote}" ;
    la:evidence [ a la:Evidence ; oa:hasSource <https://w3id.org/linkedalliance/doc/bench-{tag}> ;
        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "{quote}" ] ,
            [ a oa:TextPositionSelector ; oa:start {start} ; oa:end {start + len(quote)} ] ] .""")
        count += 14
        i += 1
    return "\n".join(lines).encode()


def run(
    label: str, store: OxigraphStore, texts: Path, triples: int, repeat: int, full: bool
) -> None:
    ctx = make_context(store, project_dir=ROOT, texts_dir=texts)
    times = []
    checked = None
    for r in range(repeat):
        body = contribution(store, triples, f"{label}-{r}")
        t0 = time.perf_counter()
        parsed = parse_contribution(body, TURTLE, "bench", scheme=ctx.scheme)
        checked = check_contribution(parsed, ctx)
        times.append(time.perf_counter() - t0)
    assert checked is not None
    print(
        f"{label}: graph {len(store):,} quads; contribution {len(parsed.triples)} triples "
        f"(after expansion {len(checked.triples)}); conforms={checked.conforms}; "
        f"neighbourhood {checked.neighbourhood_triples:,} triples, "
        f"{checked.focus_nodes} focus nodes; median {statistics.median(times):.3f} s "
        f"(runs: {', '.join(f'{t:.3f}' for t in times)})"
    )
    if not checked.conforms:
        print(checked.report.text()[:2000])
    if full:
        t0 = time.perf_counter()
        whole = check_contribution(parsed, ctx, scope="full")
        print(
            f"{label}: full validation {time.perf_counter() - t0:.1f} s, "
            f"same verdict: {whole.conforms == checked.conforms}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed-graph", type=Path, default=ROOT / "output" / "linkedalliance.nq")
    ap.add_argument("--graph", type=Path, default=ROOT / "bench" / "data" / "synth-1m.nq")
    ap.add_argument("--triples", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--full", action="store_true", help="also time a full validation (slow)")
    args = ap.parse_args()
    texts = ROOT / "output" / "texts"
    for label, path in (("seed", args.seed_graph), ("synthetic", args.graph)):
        if not path.is_file():
            print(f"{label}: {path} not found, skipped")
            continue
        store = OxigraphStore()
        t0 = time.perf_counter()
        store.load(path)
        print(f"{label}: loaded {path.name} in {time.perf_counter() - t0:.1f} s")
        run(label, store, texts, args.triples, args.repeat, args.full and label == "seed")


if __name__ == "__main__":
    main()
