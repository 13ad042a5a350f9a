"""Bounded HTTP load test: the project's server vs Oxigraph's server vs rdflib-endpoint.

    python bench/generate.py --triples 100k --out bench/data/synth-100k.nq
    python bench/load.py --size 100k

One run, one data file, one machine. Each system is started on 127.0.0.1 (a free port),
loaded with the same N-Quads, driven with the same three workloads by the same client
(``--concurrency`` connections, a fixed number of requests per workload, a time cap per
workload) and stopped before the next one starts, so that the systems never compete for
the CPU. Then the in-process query path of the library (``linkedalliance.store``) is timed
against pyoxigraph called directly. The Markdown table is printed and written to
``bench/results/<size>.md``.

Workloads:

* ``lookup``: IRI look-ups. Project: ``GET /id/{slug}`` as ``text/turtle``; the others the
  equivalent ``CONSTRUCT`` over the union of the graphs, as Turtle.
* ``orderby``: a join with ``ORDER BY ... LIMIT`` (latest arms transfers of a category).
* ``aggregate``: ``GROUP BY`` with ``COUNT`` (transfers and evidence per supplier).

Traffic goes to 127.0.0.1 only. Every loop is bounded in count and in time; every server
started here is stopped at the end, also on errors and Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HOST = "127.0.0.1"
BASE = "https://w3id.org/linkedalliance/"
LA = BASE + "ontology#"

PREFIXES = """PREFIX la: <https://w3id.org/linkedalliance/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
CATEGORIES = (
    "Artillery",
    "MultipleRocketLauncher",
    "Missiles",
    "ElectronicWarfare",
    "CounterDrone",
    "Drones",
    "TargetingEquipment",
    "AirDefenceSystems",
)


def orderby_query(variant: int) -> str:
    category = CATEGORIES[variant % len(CATEGORIES)]
    return (
        PREFIXES
        + f"""SELECT ?transfer ?supplier ?recipient ?item ?date WHERE {{
  ?transfer a la:ArmsTransfer ; la:itemCategory la:{category} ;
            la:supplier ?s ; la:recipient ?r ; la:item ?i ; schema:startDate ?date .
  ?s rdfs:label ?supplier . ?r rdfs:label ?recipient . ?i rdfs:label ?item .
}} ORDER BY DESC(STR(?date)) ?transfer LIMIT 25"""
    )


def aggregate_query(variant: int) -> str:
    category = CATEGORIES[variant % len(CATEGORIES)]
    return (
        PREFIXES
        + f"""SELECT ?supplier (COUNT(DISTINCT ?transfer) AS ?transfers)
       (COUNT(DISTINCT ?evidence) AS ?sources) WHERE {{
  ?transfer a la:ArmsTransfer ; la:supplier ?supplier ; la:itemCategory ?c ;
            la:evidence ?evidence .
  FILTER(?c != la:{category})
}} GROUP BY ?supplier ORDER BY DESC(?transfers) ?supplier LIMIT 50"""
    )


def lookup_query(iri: str) -> str:
    """What ``GET /id/{slug}`` of the project answers, as one CONSTRUCT: the triples out of
    and into the node, and its evidence nodes with their selectors."""
    ev, sel = (
        "<https://w3id.org/linkedalliance/ontology#evidence>",
        "<http://www.w3.org/ns/oa#hasSelector>",
    )
    return (
        f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> . ?e ?ep ?eo . ?x ?xp ?xo }} WHERE {{ "
        f"{{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} UNION {{ <{iri}> {ev} ?e . ?e ?ep ?eo }}"
        f" UNION {{ <{iri}> {ev}/{sel} ?x . ?x ?xp ?xo }} }}"
    )


# ---------------------------------------------------------------------------
# Requests and a small, fast HTTP/1.1 keep-alive client
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    path: str
    accept: str

    def raw(self, port: int) -> bytes:
        return (
            f"GET {self.path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: {self.accept}\r\n"
            "User-Agent: linkedalliance-bench\r\nConnection: keep-alive\r\n\r\n"
        ).encode("ascii")


class HttpError(Exception):
    pass


class Connection:
    """One keep-alive HTTP/1.1 connection (Content-Length or chunked bodies)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port, limit=2**24)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def send(self, payload: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            await self._open()
        assert self.reader is not None and self.writer is not None
        self.writer.write(payload)
        try:  # the status line and the headers, in one read
            head = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            await self.close()
            raise HttpError("connection closed") from None
        status_line, *header_lines = head.split(b"\r\n")
        status = int(status_line.split()[1])
        length, chunked, close = None, False, False
        for line in header_lines:
            if not line:
                continue
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                close = True
        if chunked:
            parts = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            body = b"".join(parts)
        elif length is not None:
            body = await self.reader.readexactly(length)
        else:
            body = await self.reader.read()
            close = True
        if close:
            await self.close()
        return status, body


@dataclass
class Measurement:
    system: str
    workload: str
    requested: int
    completed: int = 0
    errors: int = 0
    elapsed_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    capped: bool = False
    first_error: str = ""
    server_cpu_s: float = float("nan")  # CPU time of the server's processes meanwhile

    @property
    def cpu_ms_per_request(self) -> float:
        return self.server_cpu_s * 1000 / self.completed if self.completed else float("nan")

    @property
    def rps(self) -> float:
        return self.completed / self.elapsed_s if self.elapsed_s else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def _drive(
    port: int, requests: list[Request], concurrency: int, deadline_s: float, m: Measurement
) -> None:
    payloads = [r.raw(port) for r in requests]
    next_index = 0
    started = time.perf_counter()
    stop_at = started + deadline_s

    async def worker() -> None:
        nonlocal next_index
        conn = Connection(port)
        try:
            while next_index < len(payloads):
                if time.perf_counter() > stop_at:
                    m.capped = True
                    return
                payload = payloads[next_index]
                next_index += 1
                t0 = time.perf_counter()
                try:
                    async with asyncio.timeout(deadline_s):  # no task per request (wait_for)
                        status, body = await conn.send(payload)
                except (TimeoutError, HttpError, OSError, ValueError) as exc:
                    await conn.close()
                    m.errors += 1
                    m.first_error = m.first_error or f"{type(exc).__name__}: {exc}"
                    continue
                dt = (time.perf_counter() - t0) * 1000
                if status == 200 and body:
                    m.completed += 1
                    m.latencies_ms.append(dt)
                else:
                    m.errors += 1
                    m.first_error = m.first_error or f"HTTP {status}: {body[:200]!r}"
        finally:
            await conn.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    m.elapsed_s = time.perf_counter() - started


def _event_loop_runner() -> Callable[[Any], Any]:
    """``asyncio.run`` on uvloop when it is installed (it comes with ``uvicorn[standard]``):
    the client then takes less of the CPU that it shares with the server under test."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run
    return uvloop.run


def run_workload(
    system: str,
    workload: str,
    port: int,
    requests: list[Request],
    concurrency: int,
    deadline_s: float,
    warmup: int,
    server: subprocess.Popen[bytes] | None = None,
) -> Measurement:
    """Drive ``requests`` (after ``warmup`` of them); with ``server``, also the CPU time its
    process group spent meanwhile (a figure that other load on the machine disturbs less
    than requests per second)."""
    run = _event_loop_runner()
    if warmup:
        run(
            _drive(
                port,
                requests[:warmup],
                min(concurrency, warmup),
                deadline_s,
                Measurement(system, "warmup", warmup),
            )
        )
    m = Measurement(system, workload, len(requests))
    cpu_before = _group_stats(server)[0] if server is not None else 0.0
    run(_drive(port, requests, concurrency, deadline_s, m))
    if server is not None:
        m.server_cpu_s = _group_stats(server)[0] - cpu_before
    return m


def fetch(port: int, request: Request, timeout_s: float = 60.0) -> tuple[int, bytes]:
    async def once() -> tuple[int, bytes]:
        conn = Connection(port)
        try:
            return await asyncio.wait_for(conn.send(request.raw(port)), timeout_s)
        finally:
            await conn.close()

    return asyncio.run(once())


# ---------------------------------------------------------------------------
# Systems under test
# ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class System:
    """A server process on 127.0.0.1 and how to phrase each workload for it."""

    name: str
    label: str
    port: int
    lookup: Callable[[str], Request]
    sparql: Callable[[str], Request]
    process: subprocess.Popen[bytes] | None = None
    load_s: float = 0.0
    notes: list[str] = field(default_factory=list)
    memory_mb: float = 0.0


def _sparql_get(path: str) -> Callable[[str], Request]:
    def make(query: str) -> Request:
        return Request(
            f"{path}?{urllib.parse.urlencode({'query': query})}", "application/sparql-results+json"
        )

    return make


def _construct_get(path: str) -> Callable[[str], Request]:
    def make(iri: str) -> Request:
        return Request(
            f"{path}?{urllib.parse.urlencode({'query': lookup_query(iri)})}", "text/turtle"
        )

    return make


def _start(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    log.parent.mkdir(parents=True, exist_ok=True)
    out = log.open("wb")
    return subprocess.Popen(
        cmd,
        stdout=out,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )


def _stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


def _wait_ready(system: System, probe: Request, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if system.process is not None and system.process.poll() is not None:
            raise RuntimeError(f"{system.name} exited with {system.process.returncode}")
        with contextlib.suppress(OSError, HttpError, asyncio.TimeoutError, ValueError):
            status, _ = fetch(system.port, probe, timeout_s=10)
            if status == 200:
                return
        time.sleep(0.25)
    raise RuntimeError(f"{system.name} not ready after {timeout_s:.0f} s")


def _group_stats(proc: subprocess.Popen[bytes]) -> tuple[float, int]:
    """CPU seconds and resident bytes of every process in ``proc``'s process group."""
    cpu, rss = 0.0, 0
    tick, page = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
    for status in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            f = status.read_text().rsplit(")", 1)[1].split()
            if int(f[2]) == proc.pid:  # pgid
                cpu += (int(f[11]) + int(f[12])) / tick
                rss += int(f[21]) * page
    return cpu, rss


def _wait_settled(system: System, timeout_s: float) -> float:
    """Wait until the server's processes stop using CPU (answering a first request does not
    mean that every worker has loaded the data); returns the seconds waited."""
    if system.process is None:
        return 0.0
    began = time.monotonic()
    quiet = 0
    last, _ = _group_stats(system.process)
    while time.monotonic() - began < timeout_s and quiet < 3:
        time.sleep(1.0)
        now, _ = _group_stats(system.process)
        quiet = quiet + 1 if now - last < 0.05 else 0
        last = now
    return time.monotonic() - began


def _memory_mb(proc: subprocess.Popen[bytes] | None) -> float:
    """Memory of a process group (Linux /proc): the sum of each process's proportional set
    size, so that pages shared between processes (forked query workers share the store)
    count once, not once per process as resident sizes would."""
    if proc is None:
        return 0.0
    total_kb = 0
    for status in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields_ = status.read_text().rsplit(")", 1)[1].split()
            if int(fields_[2]) != proc.pid:  # pgid
                continue
            rollup = (status.parent / "smaps_rollup").read_text()
            for line in rollup.splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
    return total_kb / 1024


def _default_graph_body(data: Path) -> Iterator[bytes]:
    """The data's triples without their graph names (N-Triples), in chunks."""
    chunk: list[str] = []
    with data.open(encoding="utf-8") as lines:
        for line in lines:
            chunk.append(line.rsplit(" <", 1)[0] + " .\n")  # the graph IRI is the last term
            if len(chunk) >= 20000:
                yield "".join(chunk).encode("utf-8")
                chunk = []
    yield "".join(chunk).encode("utf-8")


@contextlib.contextmanager
def oxigraph_server(
    data: Path, logs: Path, timeout_s: float, materialised: bool = False
) -> Iterator[System]:
    """Oxigraph's own server, in memory. ``materialised``: like the project's store, the
    default graph holds the union of the named graphs as a set (queried without
    ``--union-default-graph``); otherwise Oxigraph's union view of the named graphs."""
    import httpx

    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    port = free_port()
    name = "oxigraph-mat" if materialised else "oxigraph"
    label = (
        "Oxigraph server (in memory, union materialised)"
        if materialised
        else "Oxigraph server (in memory, union view)"
    )
    system = System(name, label, port, _construct_get("/query"), _sparql_get("/query"))
    t0 = time.perf_counter()
    cmd = [exe, "serve", "--bind", f"{HOST}:{port}"]
    if not materialised:
        cmd.append("--union-default-graph")
    system.process = _start(cmd, logs / f"{name}.log")
    try:
        _wait_ready(
            system, Request("/query?query=ASK%7B%7D", "application/sparql-results+json"), 60
        )
        with data.open("rb") as body:  # Graph Store Protocol: POST the dataset
            response = httpx.post(
                f"http://{HOST}:{port}/store",
                content=body,
                headers={"Content-Type": "application/n-quads"},
                timeout=timeout_s,
            )
            response.raise_for_status()
        if materialised:
            response = httpx.post(
                f"http://{HOST}:{port}/store?default",
                content=_default_graph_body(data),
                headers={"Content-Type": "application/n-triples"},
                timeout=timeout_s,
            )
            response.raise_for_status()
        system.load_s = time.perf_counter() - t0
        system.notes.append(
            f"`{' '.join(['oxigraph'] + cmd[1:2] + cmd[4:])}`, in memory, "
            "loaded by POST /store"
            + (" and POST /store?default (the union as triples)" if materialised else "")
        )
        yield system
    finally:
        _stop(system.process)


@contextlib.contextmanager
def rdflib_endpoint_server(data: Path, logs: Path, timeout_s: float) -> Iterator[System]:
    exe = shutil.which("rdflib-endpoint") or str(Path(sys.executable).parent / "rdflib-endpoint")
    port = free_port()
    system = System("rdflib", "rdflib-endpoint", port, _construct_get("/"), _sparql_get("/"))
    t0 = time.perf_counter()
    system.process = _start(
        [exe, "serve", "--host", HOST, "--port", str(port), str(data)], logs / "rdflib-endpoint.log"
    )
    try:
        _wait_ready(
            system, Request("/?query=ASK%7B%7D", "application/sparql-results+json"), timeout_s
        )
        system.load_s = time.perf_counter() - t0
        system.notes.append("`rdflib-endpoint serve FILE` (rdflib Dataset, default_union)")
        yield system
    finally:
        _stop(system.process)


@contextlib.contextmanager
def project_server(
    data: Path,
    logs: Path,
    timeout_s: float,
    extra: list[tuple[str, str]],
    name: str = "project",
    label: str = "linkedalliance serve",
) -> Iterator[System]:
    """``linkedalliance serve`` on the generated data (an output directory holding it)."""
    exe = shutil.which("linkedalliance") or str(Path(sys.executable).parent / "linkedalliance")
    port = free_port()
    system = System(
        name,
        label,
        port,
        lambda iri: Request("/id/" + iri[len(BASE + "id/") :], "text/turtle"),
        _sparql_get("/sparql"),
    )
    workdir = Path(tempfile.mkdtemp(prefix="la-bench-"))
    output = workdir / "output"
    output.mkdir()
    dataset = output / "linkedalliance.nq"
    try:
        os.symlink(data.resolve(), dataset)
    except OSError:
        shutil.copyfile(data, dataset)
    settings = [("port", str(port)), ("host", HOST), ("output_dir", str(output)), *extra]
    cmd = [exe, "serve", "--no-build"]
    for name, value in settings:
        cmd += ["--setting", name, value]
    t0 = time.perf_counter()
    system.process = _start(cmd, logs / f"{name}.log")
    try:
        _wait_ready(system, _sparql_get("/sparql")("ASK {}"), timeout_s)
        system.load_s = time.perf_counter() - t0
        system.notes.append(
            "`"
            + " ".join(
                ["linkedalliance serve"]
                + [f"--setting {n} {v}" for n, v in settings if n not in ("port", "host")]
            )
            + "`"
        )
        yield system
    finally:
        _stop(system.process)
        shutil.rmtree(workdir, ignore_errors=True)


# ---------------------------------------------------------------------------
# Workload construction
# ---------------------------------------------------------------------------


def lookup_iris(data: Path, count: int, seed: int) -> list[str]:
    """A deterministic sample of subjects under …/id/ (facts and entities)."""
    subjects: set[str] = set()
    prefix = "<" + BASE + "id/"
    with data.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith(prefix):
                subjects.add(line[1 : line.index(">")])
    ordered = sorted(subjects)
    rng = random.Random(seed)
    return [rng.choice(ordered) for _ in range(count)]


def answers_of(system: System, iris: list[str]) -> dict[str, str]:
    """What a system answers to variant 0 of each query and to three look-ups (for checks)."""
    import pyoxigraph as ox

    answers: dict[str, str] = {}
    for label, make in (("orderby", orderby_query), ("aggregate", aggregate_query)):
        status, body = fetch(system.port, system.sparql(make(0)))
        answers[f"{label} rows"] = (
            str(len(json.loads(body)["results"]["bindings"])) if status == 200 else f"HTTP {status}"
        )
    for iri in iris[:3]:
        status, body = fetch(system.port, system.lookup(iri))
        answers[f"lookup <…/{iri.rsplit('/', 1)[1]}> triples"] = (
            str(len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))))
            if status == 200
            else f"HTTP {status}"
        )
    return answers


# ---------------------------------------------------------------------------
# In-process: the library's store vs pyoxigraph directly
# ---------------------------------------------------------------------------


@dataclass
class InProcess:
    name: str
    library_ms: float
    direct_ms: float

    @property
    def ratio(self) -> float:
        return self.library_ms / self.direct_ms if self.direct_ms else float("nan")


def in_process(data: Path, repeats: int, iris: list[str], budget_s: float) -> list[InProcess]:
    """Median time per call: ``OxigraphStore.query``/``quads`` vs ``pyoxigraph.Store``."""
    import pyoxigraph as ox

    try:
        from linkedalliance.store import OxigraphStore
    except ImportError:
        return []
    library = OxigraphStore()
    library.load(data)  # the project's layout: named graphs + the union in the default graph
    direct = library.oxigraph  # same store, same data: only the wrapper differs

    def time_pair(
        lib_fn: Callable[[int], object], direct_fn: Callable[[int], object], n: int
    ) -> tuple[float, float]:
        """Median ms of each, calls alternating so that machine noise hits both alike."""
        lib_samples: list[float] = []
        direct_samples: list[float] = []
        stop = time.perf_counter() + budget_s
        pair = ((lib_fn, lib_samples), (direct_fn, direct_samples))
        for i in range(n):
            # whichever call goes second finds the same data in the CPU caches: take turns
            for fn, samples in pair if i % 2 == 0 else pair[::-1]:
                t0 = time.perf_counter()
                fn(i)
                samples.append(time.perf_counter() - t0)
            if time.perf_counter() > stop:
                break
        lib_samples.sort()
        direct_samples.sort()
        return (
            lib_samples[len(lib_samples) // 2] * 1000,
            direct_samples[len(direct_samples) // 2] * 1000,
        )

    def direct_select(q: str) -> list[tuple[object, ...]]:
        found = direct.query(q)
        assert isinstance(found, ox.QuerySolutions)
        return [tuple(s) for s in found]

    def direct_graph(q: str) -> list[ox.Triple]:
        found = direct.query(q)
        assert isinstance(found, ox.QueryTriples)
        return list(found)

    results = []
    makers: list[tuple[str, Callable[[int], str]]] = [
        ("orderby", orderby_query),
        ("aggregate", aggregate_query),
    ]
    for name, make in makers:

        def lib_call(i: int, make: Callable[[int], str] = make) -> object:
            return library.query(make(i))

        def direct_call(i: int, make: Callable[[int], str] = make) -> object:
            return direct_select(make(i))

        lib, dir_ = time_pair(lib_call, direct_call, repeats)
        results.append(InProcess(f"{name} (`Store.query`)", lib, dir_))
    nodes = [ox.NamedNode(i) for i in iris]
    # Store.quads lists the named graphs only (the union in the default graph is skipped);
    # the direct call reads the same named-graph quads plus the default graph's copies.
    lib, dir_ = time_pair(
        lambda i: list(library.quads(subject=nodes[i % len(nodes)])),
        lambda i: list(direct.quads_for_pattern(nodes[i % len(nodes)], None, None)),
        repeats * 10,
    )
    results.append(InProcess("lookup (`Store.quads`)", lib, dir_))
    lib, dir_ = time_pair(
        lambda i: library.query(lookup_query(iris[i % len(iris)])),
        lambda i: direct_graph(lookup_query(iris[i % len(iris)])),
        repeats * 10,
    )
    results.append(InProcess("lookup CONSTRUCT (`Store.query`)", lib, dir_))
    return results


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def _fmt(x: float, digits: int = 1) -> str:
    if x != x:  # NaN
        return "–"
    return f"{x:,.{digits}f}"


def _round_lines(per_round: dict[tuple[str, str], list[Measurement]]) -> list[str]:
    """Every round's req/s, so that the median does not hide a cold first round."""
    if not any(len(v) > 1 for v in per_round.values()):
        return []
    out = [
        "",
        "Every round, in order (req/s; the project's look-up cache starts empty, so its "
        "first look-up round is partly uncached; project-nocache runs with the cache off):",
        "",
    ]
    for (system_name, w), measured in per_round.items():
        if measured:
            out.append(f"* {system_name} {w}: " + " / ".join(_fmt(m.rps) for m in measured))
    return out


def _ratio_lines(by: dict[tuple[str, str], Measurement], names: list[str]) -> list[str]:
    """The project against the other systems, workload by workload."""
    if "project" not in names and "project-nocache" not in names:
        return []
    out = [
        "",
        "Ratios: throughput (req/s of the project / req/s of the other; above 1 the project"
        " is faster) and server CPU per request (the project's / Oxigraph's, same layout;"
        " below 1 the project spends less):",
        "",
        "| workload | project/oxigraph, union materialised (same layout) "
        "| project/oxigraph, union view | project/rdflib-endpoint "
        "| CPU per request, project/oxigraph (same layout) | p99 project ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]

    def ratio(p: Measurement, other: Measurement | None, digits: int) -> str:
        return f"{p.rps / other.rps:.{digits}f}x" if other and other.rps else "–"

    def cpu_ratio(p: Measurement, other: Measurement | None) -> str:
        if other is None or not other.cpu_ms_per_request > 0:
            return "–"
        return f"{p.cpu_ms_per_request / other.cpu_ms_per_request:.2f}x"

    rows = [
        ("lookup", "project", "lookup"),
        ("lookup, cache off", "project-nocache", "lookup"),
        ("orderby", "project", "orderby"),
        ("aggregate", "project", "aggregate"),
    ]
    for label, system_name, w in rows:
        p = by.get((system_name, w))
        if p is None:
            continue
        out.append(
            f"| {label} | {ratio(p, by.get(('oxigraph-mat', w)), 2)} | "
            f"{ratio(p, by.get(('oxigraph', w)), 2)} | "
            f"{ratio(p, by.get(('rdflib', w)), 1)} | "
            f"{cpu_ratio(p, by.get(('oxigraph-mat', w)))} | {_fmt(p.pct(0.99), 2)} |"
        )
    return out


def report(
    size: str,
    data: Path,
    quads: int,
    systems: list[System],
    results: list[Measurement],
    checks: list[str],
    inproc: list[InProcess],
    args: argparse.Namespace,
    command: str,
    per_round: dict[tuple[str, str], list[Measurement]] | None = None,
) -> str:
    by = {(m.system, m.workload): m for m in results}
    names = [s.name for s in systems]
    out = [
        f"# HTTP load, {size} ({quads:,} quads)",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, {platform.system()}. Command: `{command}`.",
        f"Client: {args.concurrency} concurrent keep-alive HTTP/1.1 connections (asyncio, one "
        "process, same machine); one system measured at a time. Per workload: "
        f"{args.lookups} look-ups / {args.orderby} ORDER BY / {args.aggregates} aggregates, "
        f"capped at {args.max_seconds:.0f} s each; all systems up at once, {args.rounds} "
        "interleaved rounds, the median round (by req/s) shown "
        f"({args.single_round or 'no system'}: first round only).",
        "",
        "| system | workload | done | errors | req/s | p50 ms | p99 ms | server CPU ms/req |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in systems:
        for w in ("lookup", "orderby", "aggregate"):
            m = by.get((s.name, w))
            if m is None:
                continue
            done = f"{m.completed}/{m.requested}" + (" (time cap)" if m.capped else "")
            out.append(
                f"| {s.label} | {w} | {done} | {m.errors} | {_fmt(m.rps)} | "
                f"{_fmt(m.pct(0.5), 2)} | {_fmt(m.pct(0.99), 2)} | "
                f"{_fmt(m.cpu_ms_per_request, 3)} |"
            )
    out += _ratio_lines(by, names)
    out += _round_lines(per_round or {})
    out += [
        "",
        "Start-up and load until the server's processes are idle (s), memory of all its "
        "processes after the run (MB, proportional set size: shared pages counted once):",
        "",
    ]
    for s in systems:
        out.append(
            f"* {s.label}: ready in {s.load_s:.1f} s, {s.memory_mb:,.0f} MB; " + "; ".join(s.notes)
        )
    for m in results:
        if m.first_error:
            out.append(f"* first error, {m.system}/{m.workload}: {m.first_error[:300]}")
    if checks:
        out += ["", "Same answers (workload variant 0):", ""] + [f"* {c}" for c in checks]
    if inproc:
        out += [
            "",
            "In process, same pyoxigraph store (median ms per call):",
            "",
            "| call | linkedalliance.store | pyoxigraph directly | ratio |",
            "|---|---:|---:|---:|",
        ]
        for r in inproc:
            out.append(f"| {r.name} | {r.library_ms:.3f} | {r.direct_ms:.3f} | {r.ratio:.2f}x |")
    out += ["", f"Data: `{data.relative_to(ROOT) if data.is_relative_to(ROOT) else data}`"]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k", help="data size label: 100k, 1M ...")
    parser.add_argument(
        "--data", type=Path, help="N-Quads file (default bench/data/synth-<size>.nq)"
    )
    parser.add_argument(
        "--systems",
        default="project,project-nocache,oxigraph-mat,oxigraph,rdflib",
        help="comma-separated subset of project,project-nocache (look-ups only, cache off),"
        "oxigraph-mat,oxigraph,rdflib",
    )
    parser.add_argument(
        "--workloads",
        default="lookup,orderby,aggregate",
        help="comma-separated subset of lookup,orderby,aggregate",
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--lookups", type=int, default=4000)
    parser.add_argument("--orderby", type=int, default=400)
    parser.add_argument("--aggregates", type=int, default=300)
    parser.add_argument(
        "--max-seconds", type=float, default=120.0, help="time cap per workload and system"
    )
    parser.add_argument(
        "--load-timeout",
        type=float,
        default=900.0,
        help="seconds a server may take to start and load",
    )
    parser.add_argument(
        "--setting",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="extra setting for linkedalliance serve",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds over all systems; the median round is reported",
    )
    parser.add_argument(
        "--single-round",
        default="rdflib",
        help="systems measured in the first round only (slow ones)",
    )
    parser.add_argument("--inprocess-repeats", type=int, default=50)
    parser.add_argument("--no-inprocess", action="store_true")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    # SIGTERM (and SIGHUP) unwind like Ctrl-C, so that every server started here is stopped.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: sys.exit(128 + signum))

    size = args.size
    data = args.data or HERE / "data" / f"synth-{size.lower()}.nq"
    if not data.exists():
        sys.path.insert(0, str(HERE))
        import generate

        print(f"generating {data} ...", file=sys.stderr)
        generate.main(["--triples", size, "--out", str(data)])
    with data.open("rb") as f:
        quads = sum(1 for _ in f)
    results_dir = HERE / "results"
    logs = results_dir / "logs"
    iris = lookup_iris(data, args.lookups, args.seed)
    wanted = [s.strip() for s in args.systems.split(",") if s.strip()]
    starters = {
        "project": lambda: project_server(
            data, logs, args.load_timeout, [tuple(s) for s in args.setting]
        ),
        "project-nocache": lambda: project_server(
            data,
            logs,
            args.load_timeout,
            [tuple(s) for s in args.setting] + [("lookup_cache", "0")],
            "project-nocache",
            "linkedalliance serve, look-up cache off",
        ),
        "oxigraph": lambda: oxigraph_server(data, logs, args.load_timeout),
        "oxigraph-mat": lambda: oxigraph_server(data, logs, args.load_timeout, True),
        "rdflib": lambda: rdflib_endpoint_server(data, logs, args.load_timeout),
    }
    systems: list[System] = []
    results: list[Measurement] = []
    rounds: dict[tuple[str, str], list[Measurement]] = {}
    checks: list[str] = []
    answers: dict[str, dict[str, str]] = {}
    with contextlib.ExitStack() as running:
        # All servers up at once (idle ones use no CPU), then the rounds interleave the
        # systems, so that noise from other work on the machine spreads over all of them.
        for name in wanted:
            print(f"[{name}] starting ...", file=sys.stderr)
            system = running.enter_context(starters[name]())
            system.load_s += _wait_settled(system, args.load_timeout)
            print(f"[{name}] ready in {system.load_s:.1f} s on port {system.port}", file=sys.stderr)
            systems.append(system)
            answers[name] = answers_of(system, iris)
        for round_no in range(args.rounds):
            for system in systems:
                workloads = {
                    "lookup": [system.lookup(i) for i in iris],
                    "orderby": [system.sparql(orderby_query(i)) for i in range(args.orderby)],
                    "aggregate": [
                        system.sparql(aggregate_query(i)) for i in range(args.aggregates)
                    ],
                }
                for workload, requests in workloads.items():
                    done = rounds.setdefault((system.name, workload), [])
                    if (
                        workload not in args.workloads.split(",")
                        or (system.name == "project-nocache" and workload != "lookup")
                        or any(m.capped for m in done)
                        or (done and system.name in args.single_round.split(","))
                    ):
                        continue  # a system that hit the time cap once is measured once
                    warmup = min(len(requests), 50 if workload == "lookup" else 8)
                    m = run_workload(
                        system.name,
                        workload,
                        system.port,
                        requests,
                        args.concurrency,
                        args.max_seconds,
                        warmup,
                        system.process,
                    )
                    done.append(m)
                    print(
                        f"[{system.name}] round {round_no + 1} {workload}: {m.completed}/"
                        f"{m.requested} in {m.elapsed_s:.1f} s = {m.rps:,.1f} req/s, p50 "
                        f"{m.pct(0.5):.2f} ms, p99 {m.pct(0.99):.2f} ms, errors {m.errors}",
                        file=sys.stderr,
                    )
        for system in systems:
            system.memory_mb = _memory_mb(system.process)
        for measured in rounds.values():
            if measured:  # the median round by throughput
                results.append(sorted(measured, key=lambda m: m.rps)[(len(measured) - 1) // 2])
    for label in next(iter(answers.values()), {}):
        checks.append(f"{label}: " + ", ".join(f"{n} {a.get(label)}" for n, a in answers.items()))
    inproc: list[InProcess] = []
    if not args.no_inprocess:
        print("[in-process] timing linkedalliance.store vs pyoxigraph ...", file=sys.stderr)
        inproc = in_process(data, args.inprocess_repeats, iris, args.max_seconds)
    command = "python bench/load.py " + " ".join(argv if argv is not None else sys.argv[1:])
    text = report(
        size, data, quads, systems, results, checks, inproc, args, command.strip(), rounds
    )
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / f"{size}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
