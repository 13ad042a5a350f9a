"""Query workers are forked from one fork server per snapshot (linkedalliance.forkserver):
replacements come from it (no reload), a write starts a new one and retires the old, and
closing the runner leaves no process behind."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from linkedalliance.errors import QueryTimeout
from linkedalliance.forkserver import ForkServer, ForkServerError
from linkedalliance.querypool import ProcessQueryRunner, QueryRequest
from linkedalliance.store import OxigraphStore

EX = "http://example.org/"
COUNT = QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", results_format="csv")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def gone(pid: int, within_s: float = 10.0) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return True  # exited, not yet reaped by a parent that is not us
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def store_with(n: int) -> OxigraphStore:
    store = OxigraphStore()
    store.add_graph(
        f"{EX}g",
        [
            ox.Triple(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(str(i)))
            for i in range(n)
        ],
    )
    return store


def idle_pids(runner: ProcessQueryRunner) -> list[int]:
    return [w.process.pid for w in runner._idle._workers]  # noqa: SLF001 - white-box check


def wait_for_workers(runner: ProcessQueryRunner, count: int) -> list[int]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pids = idle_pids(runner)
        if len(pids) == count:
            return pids
        time.sleep(0.05)
    raise AssertionError(f"{count} idle workers expected, found {idle_pids(runner)}")


def running(store: OxigraphStore, workers: int) -> tuple[ProcessQueryRunner, ForkServer]:
    """A runner that has answered a first query, and its fork server."""
    runner = ProcessQueryRunner(store, time_limit_s=1.5, max_rows=100, workers=workers)
    assert runner.run(COUNT).body.split()[-1] == str(len(store)).encode()
    server = runner._fork_server  # noqa: SLF001
    assert server is not None
    return runner, server


@pytest.mark.slow
def test_workers_are_forked_replaced_and_renewed_by_fork_servers() -> None:
    store = store_with(400)
    runner, server = running(store, workers=2)
    try:
        first = wait_for_workers(runner, 2)
        assert {parent_of(pid) for pid in first} == {server.process.pid}  # forked, not spawned

        with pytest.raises(QueryTimeout):
            runner.run(QueryRequest(RUNAWAY))
        assert runner.kills == 1
        after_kill = wait_for_workers(runner, 2)
        assert len(set(after_kill) - set(first)) == 1  # one replacement...
        assert {parent_of(pid) for pid in after_kill} == {server.process.pid}  # ...same server
        assert runner.run(COUNT).body.split()[-1] == b"400"

        store.add_graph(
            f"{EX}h", [ox.Triple(ox.NamedNode(f"{EX}x"), ox.NamedNode(f"{EX}p"), ox.Literal("x"))]
        )
        assert runner.run(COUNT).body.split()[-1] == b"401"  # a write: new snapshot
        renewed = runner._fork_server  # noqa: SLF001
        assert renewed is not None and renewed.process.pid != server.process.pid
        assert server.process.wait(timeout=10) is not None  # the old fork server retired
        new_workers = wait_for_workers(runner, 2)
        assert {parent_of(pid) for pid in new_workers} == {renewed.process.pid}
        assert all(gone(pid) for pid in after_kill)  # old workers retired once idle
    finally:
        runner.close()
    assert renewed.process.poll() is not None
    assert all(gone(pid) for pid in new_workers)


def test_fork_server_reports_a_snapshot_it_cannot_load(tmp_path: Path) -> None:
    broken = tmp_path / "snapshot.nq"
    broken.write_text("<http://example.org/s> <http://example.org/p> .\n", encoding="utf-8")
    server = ForkServer("memory", str(broken), 10, startup_timeout_s=60)
    try:
        with pytest.raises(ForkServerError, match="(?i)syntax|parse|error"):
            server.fork()
        with pytest.raises(ForkServerError):  # and keeps saying so, without hanging
            server.fork()
    finally:
        server.close()
    assert server.process.returncode is not None


def test_forked_worker_answers_and_exits_with_its_socket(tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot.nq"
    snapshot.write_text(
        '<http://example.org/s> <http://example.org/p> "o" <http://example.org/g> .\n',
        encoding="utf-8",
    )
    server = ForkServer("memory", str(snapshot), 10, startup_timeout_s=60)
    try:
        process, conn = server.fork()
        assert conn.poll(30) and conn.recv() == ("ready", 1)
        conn.send(QueryRequest("ASK { GRAPH ?g { ?s ?p ?o } }"))
        assert conn.poll(30)
        status, rendered = conn.recv()
        assert status == "ok" and b"true" in rendered.body
        assert process.alive()
        conn.close()  # the parent goes away: the worker ends
        assert gone(process.pid)
        assert not process.alive()
    finally:
        server.close()


@pytest.mark.slow
def test_a_dead_fork_server_is_replaced() -> None:
    """Killed (say by the out-of-memory killer), the fork server is started again over the
    same snapshot when the next worker is needed."""
    runner, first = running(store_with(400), workers=1)
    try:
        first.process.kill()
        first.process.wait(timeout=10)
        with pytest.raises(QueryTimeout):  # the worker is killed; its replacement needs a fork
            runner.run(QueryRequest(RUNAWAY))
        assert runner.run(COUNT).body.split()[-1] == b"400"
        second = runner._fork_server  # noqa: SLF001
        assert second is not None and second is not first and second.process.poll() is None
    finally:
        runner.close()


@pytest.mark.timeout(60)
def test_a_snapshot_that_does_not_load_fails_queries_at_once(tmp_path: Path) -> None:
    """No worker can come: the first query gets a 503 naming the reason at once, instead of
    waiting out the start-up timeout (600 s here)."""
    from linkedalliance.querypool import WorkersUnavailable

    broken = tmp_path / "snapshot.nq"
    broken.write_text("<http://example.org/s> <http://example.org/p> .\n", encoding="utf-8")
    store = store_with(3)
    runner = ProcessQueryRunner(store, time_limit_s=5, max_rows=10, workers=2)
    runner._take_snapshot = lambda generation: ("memory", broken)  # type: ignore[method-assign]  # noqa: SLF001
    try:
        with pytest.raises(WorkersUnavailable, match="could not start") as info:
            runner.run(COUNT)
        assert info.value.status == 503
        with pytest.raises(WorkersUnavailable):  # and so does the next one, on the event loop
            asyncio.run(runner.run_async(COUNT))
    finally:
        runner.close()
