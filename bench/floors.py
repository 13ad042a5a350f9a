"""Where the serving time goes: the floors under the issue-3 goals, measured one at a time.

    python bench/floors.py --size 100k

``bench/load.py`` says how fast each server is; this script says why, by taking the
project's server apart on the same data and the same machine:

1. **Process hop.** A message round trip between two processes over a socket pair (what
   running queries in killable worker processes costs at the least), with both processes
   on one CPU and on two, and the project's query runner answering ``ASK {}`` (the whole
   hop: framing, pickling, the event loop; no query work).
2. **Query evaluation.** CPU per query of pyoxigraph called in a hot loop, of the code a
   query worker runs (:func:`linkedalliance.querypool.execute`), and of the runner in
   process (server side and workers apart, no HTTP).
3. **Under HTTP load** (``--concurrency`` clients, as ``load.py``): CPU per request of the
   project's server process and of its query workers apart, next to Oxigraph's server
   (in memory, union materialised: the same layout).
4. **Look-up rendering** in process: reading a resource's description from the indexes
   and serialising it as Turtle (what an uncached ``GET /id/...`` costs besides HTTP).

CPU times come from ``/proc`` (Linux). Traffic goes to 127.0.0.1 only; every server and
process started here is stopped at the end. The Markdown table is printed and written to
``bench/results/floors-<size>.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import load

HERE = Path(__file__).resolve().parent
TICK = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system, all threads) of one process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    stack = [pid]
    while stack:
        parent = stack.pop()
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{parent}/task").iterdir():
                children = (task / "children").read_text().split()
                found += [int(c) for c in children]
                stack += [int(c) for c in children]
    return found


def _split(pid: int) -> tuple[float, float]:
    """CPU seconds of ``pid`` itself and of all its descendants (query workers)."""
    rest = 0.0
    for child in _descendants(pid):
        with contextlib.suppress(OSError, ValueError, IndexError):
            rest += _cpu_of(child)
    return _cpu_of(pid), rest


# --------------------------------------------------------------------------- 1. process hop


def round_trip(count: int, cpus: tuple[int, int] | None) -> tuple[float, float, float]:
    """(wall µs, parent CPU µs, child CPU µs) per 200-byte round trip over a socket pair,
    blocking reads, with parent and child pinned to ``cpus`` (``None``: not pinned)."""
    parent_sock, child_sock = socket.socketpair()
    before = os.sched_getaffinity(0)
    pid = os.fork()
    if pid == 0:  # the echo child
        code = 0
        try:
            parent_sock.close()
            if cpus is not None:
                os.sched_setaffinity(0, {cpus[1]})
            while data := child_sock.recv(1 << 16):
                child_sock.sendall(data)
        except BaseException:  # noqa: BLE001 - never return into the benchmark
            code = 1
        finally:
            os._exit(code)
    child_sock.close()
    try:
        if cpus is not None:
            os.sched_setaffinity(0, {cpus[0]})
        message = b"x" * 200
        for _ in range(200):  # warm-up
            parent_sock.sendall(message)
            parent_sock.recv(1 << 16)
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(count):
            parent_sock.sendall(message)
            parent_sock.recv(1 << 16)
        c1, t1 = time.process_time(), time.perf_counter()
    finally:
        os.sched_setaffinity(0, before)
        parent_sock.close()
    _, _, usage = os.wait4(pid, 0)
    child = (usage.ru_utime + usage.ru_stime) / (count + 200)
    return (t1 - t0) / count * 1e6, (c1 - c0) / count * 1e6, child * 1e6


# --------------------------------------------------------------------------- 2. evaluation


@dataclass
class Cost:
    """CPU milliseconds per request, split where the split is known."""

    server_ms: float
    workers_ms: float = 0.0

    @property
    def total_ms(self) -> float:
        return self.server_ms + self.workers_ms


def hot_loop(call: Callable[[int], object], count: int) -> float:
    """CPU ms per call of ``call(i)``, after a warm-up of 16 calls."""
    for i in range(16):
        call(i)
    c0 = time.process_time()
    for i in range(count):
        call(i)
    return (time.process_time() - c0) / count * 1000


def thread_scaling(call: Callable[[int], object], count: int, threads: int) -> float:
    """Calls per second of ``call`` spread over ``threads`` threads of this process (how
    far pyoxigraph lets the GIL go: queries on threads are the alternative to workers)."""
    import threading

    barrier = threading.Barrier(threads + 1)

    def work(offset: int) -> None:
        barrier.wait()
        for i in range(offset, count, threads):
            call(i)

    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    t0 = time.perf_counter()
    for thread in pool:
        thread.join()
    return count / (time.perf_counter() - t0)


def runner_cost(store: object, queries: list[str], count: int) -> Cost:
    """The project's query runner, in this process, one query at a time on uvloop."""
    from linkedalliance.querypool import QueryRequest
    from linkedalliance.store import OxigraphStore

    assert isinstance(store, OxigraphStore)
    runner = store.runner(time_limit_s=60, max_rows=10_000, workers=2)
    run = load._event_loop_runner()

    async def drive(n: int) -> None:
        for i in range(n):
            await runner.run_async(QueryRequest(queries[i % len(queries)]))

    try:
        run(drive(16))  # starts the fork server and the workers, warms them up
        me = os.getpid()
        server0, workers0 = _split(me)
        run(drive(count))
        server1, workers1 = _split(me)
    finally:
        runner.close()
    return Cost((server1 - server0) / count * 1000, (workers1 - workers0) / count * 1000)


# --------------------------------------------------------------------------- 3. under load


def http_cost(
    system: load.System, requests: list[load.Request], concurrency: int, cap_s: float
) -> tuple[Cost, float]:
    """CPU per request of a server (its own process and its descendants apart) and the
    requests per second, under ``concurrency`` clients."""
    assert system.process is not None
    pid = system.process.pid
    load.run_workload(system.name, "warmup", system.port, requests[:50], concurrency, cap_s, 0)
    server0, workers0 = _split(pid)
    m = load.run_workload(system.name, "floors", system.port, requests, concurrency, cap_s, 0)
    server1, workers1 = _split(pid)
    if m.errors or not m.completed:
        raise RuntimeError(f"{system.name}: {m.errors} errors ({m.first_error})")
    n = m.completed
    return Cost((server1 - server0) / n * 1000, (workers1 - workers0) / n * 1000), m.rps


# --------------------------------------------------------------------------- 4. look-ups


def render_cost(store: object, iris: list[str]) -> tuple[float, float]:
    """(describe µs, Turtle body µs) per resource, as an uncached look-up renders it."""
    import pyoxigraph as ox

    from linkedalliance.server.entities import describe, rdf_body
    from linkedalliance.store import OxigraphStore

    assert isinstance(store, OxigraphStore)
    nodes = [ox.NamedNode(i) for i in iris]
    t0 = time.process_time()
    described = [describe(store, n) for n in nodes]
    t1 = time.process_time()
    for triples in described:
        rdf_body(triples, "text/turtle")
    t2 = time.process_time()
    return (t1 - t0) / len(nodes) * 1e6, (t2 - t1) / len(nodes) * 1e6


@dataclass
class InProcess:
    direct: dict[str, float]  # CPU ms per query: pyoxigraph
    library: dict[str, float]  # the worker's code
    runner: dict[str, Cost]  # the query runner, no HTTP
    threads: dict[str, tuple[float, float]]  # queries/s of pyoxigraph on 1 and on 2 threads
    describe_us: float
    body_us: float


def in_process(
    data: Path, queries: dict[str, list[str]], iris: list[str], count: int, asks: int
) -> InProcess:
    """Sections 2 and 4, on the project's store loaded in this process."""
    import pyoxigraph as ox

    from linkedalliance.querypool import QueryRequest, execute
    from linkedalliance.store import OxigraphStore

    store = OxigraphStore()
    store.load(data)  # the project's layout: named graphs + their union as the default graph
    result = InProcess({}, {}, {}, {}, 0.0, 0.0)
    for name, qs in queries.items():

        def pyox(i: int, qs: list[str] = qs) -> object:
            found = store.oxigraph.query(qs[i % len(qs)])
            assert isinstance(found, ox.QuerySolutions)
            return found.serialize(format=ox.QueryResultsFormat.JSON)

        def lib(i: int, qs: list[str] = qs) -> object:
            return execute(store, QueryRequest(qs[i % len(qs)]), 10_000)

        result.direct[name] = hot_loop(pyox, count)
        result.library[name] = hot_loop(lib, count)
        result.threads[name] = (thread_scaling(pyox, count, 1), thread_scaling(pyox, count, 2))
        result.runner[name] = runner_cost(store, qs, count)
    result.runner["ASK {}"] = runner_cost(store, ["ASK {}"], asks)
    result.describe_us, result.body_us = render_cost(store, iris)
    return result


# --------------------------------------------------------------------------- report


def _row(label: str, *cells: str) -> str:
    return "| " + " | ".join((label, *cells)) + " |"


def _ms(value: float) -> str:
    return f"{value:.2f}"


@contextlib.contextmanager
def _servers(data: Path, logs: Path, timeout_s: float) -> Iterator[dict[str, load.System]]:
    with contextlib.ExitStack() as stack:
        started = {
            "project": stack.enter_context(
                load.project_server(data, logs, timeout_s, [("lookup_cache", "0")])
            ),
            "oxigraph-mat": stack.enter_context(
                load.oxigraph_server(data, logs, timeout_s, materialised=True)
            ),
        }
        for system in started.values():
            load._wait_settled(system, timeout_s)
        yield started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k", help="data size label: 100k, 1M ...")
    parser.add_argument(
        "--data", type=Path, help="N-Quads file (default bench/data/synth-<size>.nq)"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--queries", type=int, default=300, help="queries per measurement")
    parser.add_argument("--lookups", type=int, default=3000, help="look-ups per measurement")
    parser.add_argument("--round-trips", type=int, default=5000)
    parser.add_argument("--load-timeout", type=float, default=900.0)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_args(argv)
    for sig in (signal.SIGTERM, signal.SIGHUP):  # unwind like Ctrl-C: servers get stopped
        signal.signal(sig, lambda signum, frame: sys.exit(128 + signum))
    data = args.data or HERE / "data" / f"synth-{args.size.lower()}.nq"
    if not data.exists():
        print(f"no {data}: run python bench/generate.py --triples {args.size} --out {data}")
        return 2
    lines: list[str] = []

    cpus = sorted(os.sched_getaffinity(0))
    print("[1/4] process round trips ...", file=sys.stderr)
    hops: list[tuple[str, tuple[float, float, float]]] = [
        ("one CPU", round_trip(args.round_trips, (cpus[0], cpus[0])))
    ]
    if len(cpus) > 1:
        hops.append(("two CPUs", round_trip(args.round_trips, (cpus[0], cpus[1]))))
    hops.append(("not pinned", round_trip(args.round_trips, None)))

    print("[2/4] query evaluation in process ...", file=sys.stderr)
    makers = {"orderby": load.orderby_query, "aggregate": load.aggregate_query}
    queries = {name: [make(i) for i in range(8)] for name, make in makers.items()}
    iris = load.lookup_iris(data, args.lookups, 42)
    inproc = in_process(data, queries, iris, args.queries, args.round_trips // 5)

    print("[3/4] servers under load ...", file=sys.stderr)
    http: dict[tuple[str, str], tuple[Cost, float]] = {}
    with _servers(data, HERE / "results" / "logs", args.load_timeout) as systems:
        for system_name, system in systems.items():
            for name, qs in queries.items():
                requests = [system.sparql(qs[i % len(qs)]) for i in range(args.queries)]
                http[(system_name, name)] = http_cost(
                    system, requests, args.concurrency, args.max_seconds
                )
            requests = [system.lookup(i) for i in iris]
            http[(system_name, "lookup")] = http_cost(
                system, requests, args.concurrency, args.max_seconds
            )

    print("[4/4] report", file=sys.stderr)
    lines += [
        f"# Where the serving time goes, {args.size}",
        "",
        f"Command: `python bench/floors.py --size {args.size}`. {len(cpus)} CPUs; "
        f"{args.concurrency} clients under load; CPU from /proc.",
        "",
        "## Process round trip (200 bytes over a socket pair, blocking)",
        "",
        "| placement | wall µs | parent CPU µs | child CPU µs |",
        "|---|---:|---:|---:|",
    ]
    lines += [_row(label, *(f"{v:.1f}" for v in hop)) for label, hop in hops]
    ask = inproc.runner["ASK {}"]
    lines += [
        "",
        f"The project's query runner answering `ASK {{}}` (the whole hop, no query work): "
        f"{ask.server_ms * 1000:.0f} µs CPU in the server process and "
        f"{ask.workers_ms * 1000:.0f} µs in the workers per query.",
        "",
        "## CPU ms per request",
        "",
        "| step | orderby | aggregate | look-up (cache off) |",
        "|---|---:|---:|---:|",
        _row(
            "in process: pyoxigraph, hot loop (look-up: describe + Turtle)",
            *(_ms(inproc.direct[n]) for n in makers),
            _ms((inproc.describe_us + inproc.body_us) / 1000),
        ),
        _row(
            "in process: pyoxigraph on 1 / 2 threads, queries per second",
            *(f"{inproc.threads[n][0]:,.0f} / {inproc.threads[n][1]:,.0f}" for n in makers),
            "",
        ),
        _row(
            "in process: the worker's code (`querypool.execute`)",
            *(_ms(inproc.library[n]) for n in makers),
            "",
        ),
        _row(
            "in process: query runner, server side / workers",
            *(
                _ms(inproc.runner[n].server_ms) + " / " + _ms(inproc.runner[n].workers_ms)
                for n in makers
            ),
            "",
        ),
    ]
    for system_name, label in (
        ("project", "HTTP: linkedalliance serve, server process / workers"),
        ("oxigraph-mat", "HTTP: Oxigraph server (same layout), whole process"),
    ):
        cells = []
        for workload in (*makers, "lookup"):
            cost, _ = http[(system_name, workload)]
            cells.append(
                f"{_ms(cost.server_ms)} / {_ms(cost.workers_ms)}"
                if system_name == "project"
                else _ms(cost.total_ms)
            )
        lines.append(_row(label, *cells))
    lines.append(
        _row(
            "req/s under load: project / Oxigraph",
            *(
                f"{http[('project', w)][1]:,.0f} / {http[('oxigraph-mat', w)][1]:,.0f}"
                for w in (*makers, "lookup")
            ),
        )
    )
    lines += [
        "",
        f"Look-up rendering in process: describe {inproc.describe_us:.0f} µs, Turtle body "
        f"{inproc.body_us:.0f} µs per resource ({len(iris)} resources).",
        "",
    ]
    text = "\n".join(lines)
    out = HERE / "results" / f"floors-{args.size}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
