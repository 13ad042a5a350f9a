"""Running SPARQL queries under a time limit that really stops them.

pyoxigraph has no query timeout, and a Python thread cannot be killed, so a query that runs
away (a cross product of the whole store, a pathological property path) would hold its thread
and its CPU for as long as it likes. :class:`ProcessQueryRunner` therefore evaluates queries in
a pool of **worker processes**, talking over socket pairs, each with a read-only view of the
data. The workers are forked from a **fork server** (:mod:`linkedalliance.forkserver`, a
fresh single-threaded interpreter) that holds one snapshot:

* in-memory store: the main process dumps the dataset once to an N-Quads snapshot file, the
  fork server bulk-loads it once, and the workers it forks start in milliseconds and share
  that store's memory copy-on-write (until their queries copy pages: pyoxigraph's reads
  write reference counts, so a worker that scans much of the store ends with its own copy);
* on-disk store: the main process takes a RocksDB checkpoint (:meth:`pyoxigraph.Store.backup`,
  cheap hard links) that nobody writes, and each worker opens it with
  :meth:`pyoxigraph.Store.read_only` after the fork.

A query is sent to an idle worker over a pipe; the worker runs it, cuts it at the row limit,
serialises it in the negotiated format and sends the bytes back. The caller waits at most the
time limit (``Connection.poll``). When the limit passes, the worker is killed with SIGKILL
(the operating system reclaims its CPU and memory at once), a replacement is forked in the
background (no reload), and the caller gets :class:`~linkedalliance.errors.QueryTimeout`
(HTTP 503).
Other workers keep answering other clients meanwhile; a caller waiting for a free worker also
waits at most the time limit and then gets :class:`ServerBusy`.

After a write (:attr:`Store.generation` changes), the next query renews the snapshot, the fork
server and the workers; workers busy with an old snapshot finish their query and are then
retired, and the old fork server exits.

The fast path (``/id/...`` look-ups, pages) does not go through here: it reads the main
store's indexes directly in the server process, with bounded pattern look-ups.

:class:`RemoteQueryRunner` is the same interface over a remote SPARQL store: the HTTP request
is given the time limit (the remote server should enforce its own limit too).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
import pickle
import queue
import shutil
import struct
import tempfile
import threading
import time
import traceback
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import LinkedAllianceError, QueryTimeout
from .forkserver import ForkServer, ForkServerError, WorkerProcess
from .query import Rendered, ResultFormat, graph_format, render_for, results_format
from .rdfio import RdfFormat
from .store import OxigraphStore, QueryDataset, RemoteSparqlStore, StoreError

log = logging.getLogger(__name__)


class ServerBusy(LinkedAllianceError):
    """Every query worker stayed busy for the whole time limit."""

    status = 503


class WorkersUnavailable(LinkedAllianceError):
    """The query workers could not be started (their snapshot did not load)."""

    status = 503


def _rebuild_error(module: str, qualname: str, message: str, status: int) -> LinkedAllianceError:
    """The error a worker raised, as the same class in this process (message and status)."""
    cls: object = LinkedAllianceError
    if module.startswith("linkedalliance."):
        cls = getattr(importlib.import_module(module), qualname, LinkedAllianceError)
    if not (isinstance(cls, type) and issubclass(cls, LinkedAllianceError)):
        cls = LinkedAllianceError
    exc = cls.__new__(cls)
    LinkedAllianceError.__init__(exc, message)
    exc.status = status
    return exc


@dataclass(frozen=True)
class QueryRequest:
    """One query, with the formats negotiated for each possible kind of result."""

    sparql: str
    dataset: QueryDataset | None = None
    results_format: str | None = "json"
    graph_format: str | None = "turtle"
    #: the ``@context`` that compacts JSON-LD graph results (see :func:`query.render_graph`)
    jsonld_context: Mapping[str, Any] | None = None


class QueryRunner(ABC):
    """Runs queries under a time limit. :meth:`run` blocks; call it from a worker thread."""

    time_limit_s: float
    max_rows: int

    @abstractmethod
    def run(self, request: QueryRequest) -> Rendered: ...

    async def run_async(self, request: QueryRequest) -> Rendered:
        """:meth:`run` for an event loop (by default in a worker thread)."""
        import anyio.to_thread

        rendered: Rendered = await anyio.to_thread.run_sync(self.run, request)
        return rendered

    def start(self) -> None:  # noqa: B027 - optional hook
        """Start workers ahead of the first query."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Stop workers and remove snapshots."""


def _formats(request: QueryRequest) -> tuple[ResultFormat | None, RdfFormat | None]:
    results = results_format(request.results_format) if request.results_format else None
    graph = graph_format(request.graph_format) if request.graph_format else None
    return results, graph


def execute(
    store: OxigraphStore | RemoteSparqlStore, request: QueryRequest, max_rows: int
) -> Rendered:
    """Run and render one request in this process.

    SELECT results wanted as SPARQL JSON that a ``LIMIT`` keeps within ``max_rows`` are
    serialised by Oxigraph (:meth:`OxigraphStore.query_json`); their ``count`` is -1
    (not counted)."""
    results, graph = _formats(request)
    if isinstance(store, OxigraphStore) and results is not None and results.name == "json":
        found = store.query_json(request.sparql, dataset=request.dataset, max_rows=max_rows)
        if isinstance(found, bytes):
            return Rendered("select", results.media_type, found, False, -1)
        return render_for(
            found, results=results, graph=graph, jsonld_context=request.jsonld_context
        )
    result = store.query(request.sparql, dataset=request.dataset, max_rows=max_rows)
    return render_for(result, results=results, graph=graph, jsonld_context=request.jsonld_context)


# --------------------------------------------------------------------------- worker side


def load_snapshot(kind: str, source: str) -> OxigraphStore:
    """The read-only view of the data a worker queries: an on-disk checkpoint opened
    read-only, or an N-Quads snapshot bulk-loaded into memory."""
    if kind == "disk":
        return OxigraphStore(store=ox.Store.read_only(source))
    store = OxigraphStore()
    store.oxigraph.bulk_load(path=source, format=ox.RdfFormat.N_QUADS)
    return store


def serve_queries(
    conn: Connection,
    store: OxigraphStore | None,
    kind: str,
    source: str,
    max_rows: int,
    count: int | None = None,
) -> None:
    """A worker's life (forked by :mod:`linkedalliance.forkserver`): open the snapshot
    unless ``store`` holds it already, say ``ready`` (with ``count`` quads, counted when not
    given), then answer requests until the parent closes the socket."""
    if store is None:
        try:
            store = load_snapshot(kind, source)
        except Exception:  # noqa: BLE001 - reported to the parent, which logs it
            with contextlib.suppress(OSError):  # the parent may be gone already
                conn.send(("failed", traceback.format_exc()))
            return
    conn.send(("ready", len(store) if count is None else count))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", execute(store, request, max_rows)))
        except LinkedAllianceError as exc:
            conn.send(
                ("error", type(exc).__module__, type(exc).__qualname__, exc.message, exc.status)
            )
        except Exception:  # noqa: BLE001 - a bug: the parent logs it and answers 500
            conn.send(("bug", traceback.format_exc()))


# --------------------------------------------------------------------------- parent side


@dataclass(eq=False)
class _Worker:
    process: WorkerProcess
    conn: Connection
    generation: int

    def alive(self) -> bool:
        return self.process.alive()

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        self.process.kill()


class _IdlePool:
    """Idle workers, for blocking callers (threads) and event-loop callers alike: a worker
    released while a coroutine waits is handed to it on its loop, no thread involved."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)
        self._workers: deque[_Worker] = deque()
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[_Worker]]] = deque()
        self._failure: LinkedAllianceError | None = None

    def fail(self, error: LinkedAllianceError) -> None:
        """No worker will come: every waiter, and every caller until :meth:`clear_failure`,
        gets ``error`` at once instead of waiting out its deadline."""
        with self._lock:
            self._failure = error
            waiters = list(self._waiters)
            self._waiters.clear()
            self._ready.notify_all()
        for loop, future in waiters:
            with contextlib.suppress(RuntimeError):  # that loop is closed
                loop.call_soon_threadsafe(_set_exception, future, error)

    def clear_failure(self) -> None:
        with self._lock:
            self._failure = None

    def put(self, worker: _Worker) -> None:
        with self._lock:
            if self._waiters:
                loop, future = self._waiters.popleft()
                try:
                    loop.call_soon_threadsafe(self._deliver, future, worker)
                    return
                except RuntimeError:  # that loop is closed: keep the worker here
                    pass
            self._workers.append(worker)
            self._ready.notify()

    def _deliver(self, future: asyncio.Future[_Worker], worker: _Worker) -> None:
        if future.done():  # the waiter gave up meanwhile: the next one gets the worker
            self.put(worker)
        else:
            future.set_result(worker)

    def get_nowait(self) -> _Worker:
        with self._lock:
            if not self._workers:
                raise queue.Empty
            return self._workers.popleft()

    def get(self, timeout: float) -> _Worker:
        deadline = time.monotonic() + timeout
        with self._lock:
            while not self._workers:
                if self._failure is not None:
                    raise self._failure
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise queue.Empty
                self._ready.wait(remaining)
            return self._workers.popleft()

    async def get_async(self, timeout: float) -> _Worker:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._workers:
                return self._workers.popleft()
            if self._failure is not None:
                raise self._failure
            waiter = (loop, loop.create_future())
            self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(waiter[1], max(timeout, 0.001))
        except TimeoutError:
            raise queue.Empty from None
        finally:
            with self._lock, contextlib.suppress(ValueError):
                self._waiters.remove(waiter)


def _set_exception(future: asyncio.Future[_Worker], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)


_HEADER = struct.Struct("!i")
_LONG_HEADER = struct.Struct("!Q")


def _frame_size(buffer: bytearray) -> tuple[int, int] | None:
    """(header size, payload size) of a :class:`multiprocessing.connection.Connection`
    message at the start of ``buffer``, once its header has arrived."""
    if len(buffer) < 4:
        return None
    (size,) = _HEADER.unpack_from(buffer)
    if size != -1:
        return 4, size
    if len(buffer) < 12:
        return None
    return 12, _LONG_HEADER.unpack_from(buffer, 4)[0]


async def _recv_async(conn: Connection, timeout: float) -> object:
    """``conn.recv()`` without a thread: the event loop reads the socket as bytes arrive.

    Raises :class:`TimeoutError` when no whole message came within ``timeout``."""
    loop = asyncio.get_running_loop()
    fd = conn.fileno()
    buffer = bytearray()
    done: asyncio.Future[bytes] = loop.create_future()

    def readable() -> None:
        if done.done():
            return
        try:
            chunk = os.read(fd, 1 << 16)  # the socket is readable: this does not block
        except BlockingIOError:
            return
        except OSError as exc:
            done.set_exception(exc)
            return
        if not chunk:
            done.set_exception(EOFError("the query worker closed its pipe"))
            return
        buffer.extend(chunk)
        frame = _frame_size(buffer)
        if frame is not None and len(buffer) >= frame[0] + frame[1]:
            done.set_result(bytes(buffer[frame[0] : frame[0] + frame[1]]))

    loop.add_reader(fd, readable)
    try:
        payload = await asyncio.wait_for(done, max(timeout, 0))
    finally:
        loop.remove_reader(fd)
    return pickle.loads(payload)


class ProcessQueryRunner(QueryRunner):
    """A pool of worker processes over a snapshot of an :class:`OxigraphStore`."""

    def __init__(
        self,
        store: OxigraphStore,
        *,
        time_limit_s: float,
        max_rows: int,
        workers: int = 2,
        startup_timeout_s: float = 600.0,
    ) -> None:
        self.store = store
        self.time_limit_s = time_limit_s
        self.max_rows = max_rows
        self.workers = workers
        self.startup_timeout_s = startup_timeout_s
        self._idle = _IdlePool()
        self._lock = threading.Lock()
        self._generation = -1
        self._snapshot: Path | None = None
        self._tmp = Path(tempfile.mkdtemp(prefix="linkedalliance-queries-"))
        self._closed = False
        self._kind = "memory"
        self._starting: set[_Worker] = set()
        self._fork_server: ForkServer | None = None
        self.kills = 0

    # -- snapshots and workers ------------------------------------------------------------

    def _take_snapshot(self, generation: int) -> tuple[str, Path]:
        if self.store.path is not None:
            target = self._tmp / f"checkpoint-{generation}"
            self.store.oxigraph.flush()
            self.store.oxigraph.backup(str(target))
            return "disk", target
        target = self._tmp / f"snapshot-{generation}.nq"
        self.store.oxigraph.dump(str(target), format=ox.RdfFormat.N_QUADS)
        return "memory", target

    def _refresh(self) -> None:
        """Start (or renew, after a write) the snapshot, its fork server and the workers."""
        with self._lock:
            generation = self.store.generation
            if generation == self._generation or self._closed:
                return
            kind, path = self._take_snapshot(generation)
            old, old_server = self._snapshot, self._fork_server
            self._snapshot, self._kind, self._generation = path, kind, generation
            self._idle.clear_failure()
            self._fork_server = ForkServer(kind, str(path), self.max_rows, self.startup_timeout_s)
            while True:  # retire idle workers of the old snapshot
                try:
                    self._idle.get_nowait().kill()
                except queue.Empty:
                    break
            for _ in range(self.workers):
                self._spawn_in_background()
        if old_server is not None:
            threading.Thread(target=old_server.close, daemon=True).start()
        if old is not None:
            threading.Timer(60, _remove, args=(old,)).start()

    def _spawn_in_background(self) -> None:
        threading.Thread(target=self._spawn, daemon=True).start()

    def _spawn(self) -> None:
        """Fork one worker of the current snapshot; it joins the idle pool once ready."""
        generation, server = self._generation, self._fork_server
        if server is None:
            return
        try:
            process, parent = server.fork()
        except ForkServerError as exc:
            if self._closed or generation != self._generation:
                return
            log.error("could not start a query worker: %s", exc)
            if not self._restart_fork_server(server):
                if not server.ready:  # the snapshot did not load: no worker will come
                    reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else "unknown"
                    self._idle.fail(
                        WorkersUnavailable(
                            f"the query workers could not start ({reason}); see the server log"
                        )
                    )
                return
            self._spawn()  # once more, from the new fork server
            return
        worker = _Worker(process, parent, generation)
        with self._lock:
            self._starting.add(worker)
        if not parent.poll(self.startup_timeout_s):
            log.error("query worker did not start within %s s", self.startup_timeout_s)
            worker.kill()
            return
        try:
            message = parent.recv()
        except (EOFError, OSError):
            if not self._closed:
                log.error("query worker died while opening the snapshot")
            worker.kill()
            return
        if message[0] != "ready":
            if self._closed:
                return
            log.error("query worker failed to open the snapshot:\n%s", message[1])
            worker.kill()
            return
        with self._lock:
            self._starting.discard(worker)
            if self._closed or generation != self._generation:
                worker.kill()
                return
            self._idle.put(worker)

    def _restart_fork_server(self, dead: ForkServer) -> bool:
        """Replace a fork server that died after loading (out of memory, killed) by one over
        the same snapshot. ``False`` when it is alive or never loaded the snapshot (its
        error is logged; a new one would fail the same way)."""
        if dead.process.poll() is None or not dead.ready:
            return False
        with self._lock:
            if self._closed or self._fork_server is not dead or self._snapshot is None:
                return self._fork_server is not dead and not self._closed
            log.warning("the query fork server exited; starting a new one")
            self._fork_server = ForkServer(
                self._kind, str(self._snapshot), self.max_rows, self.startup_timeout_s
            )
        return True

    def start(self) -> None:
        """Take the snapshot and start the workers (they load in the background)."""
        self._refresh()

    def _acquire(self, deadline: float) -> _Worker:
        while True:
            try:
                worker = self._idle.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                raise self._busy() from None
            if self._usable(worker):
                return worker

    async def _acquire_async(self, deadline: float) -> _Worker:
        while True:
            try:
                worker = await self._idle.get_async(deadline - time.monotonic())
            except queue.Empty:
                raise self._busy() from None
            if self._usable(worker):
                return worker

    def _busy(self) -> ServerBusy:
        return ServerBusy(
            f"all {self.workers} query workers stayed busy for "
            f"{self.time_limit_s:g} s; try again shortly"
        )

    def _usable(self, worker: _Worker) -> bool:
        """A worker of the current snapshot that is alive; any other is killed."""
        if worker.generation == self._generation and worker.alive():
            return True
        worker.kill()
        return False

    def _release(self, worker: _Worker) -> None:
        if worker.generation == self._generation and not self._closed:
            self._idle.put(worker)
        else:
            worker.kill()

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self.kills += 1
        if not self._closed and worker.generation == self._generation:
            self._spawn_in_background()

    def run(self, request: QueryRequest) -> Rendered:
        if self._closed:
            raise StoreError("the query runner is closed")
        started = self._generation < 0
        self._refresh()
        # the very first query may wait for workers to load the data
        grace = self.startup_timeout_s if started else 0.0
        worker = self._acquire(time.monotonic() + self.time_limit_s + grace)
        deadline = time.monotonic() + self.time_limit_s
        try:
            worker.conn.send(request)
            if not worker.conn.poll(max(deadline - time.monotonic(), 0)):
                log.warning("query stopped after %s s: %.200s", self.time_limit_s, request.sparql)
                self._replace(worker)
                raise QueryTimeout(self.time_limit_s)
            message = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._replace(worker)
            raise StoreError(f"the query worker died ({exc}); the query was not answered") from exc
        self._release(worker)
        return _answer(message)

    async def run_async(self, request: QueryRequest) -> Rendered:
        """:meth:`run` on the event loop: waiting for a worker and for its answer take no
        thread; only a snapshot renewal (first query, or after a write) runs in one."""
        if self._closed:
            raise StoreError("the query runner is closed")
        started = self._generation < 0
        if self.store.generation != self._generation:
            import anyio.to_thread

            await anyio.to_thread.run_sync(self._refresh)
        grace = self.startup_timeout_s if started else 0.0
        worker = await self._acquire_async(time.monotonic() + self.time_limit_s + grace)
        deadline = time.monotonic() + self.time_limit_s
        try:
            worker.conn.send(request)
            message = await _recv_async(worker.conn, deadline - time.monotonic())
        except TimeoutError:
            log.warning("query stopped after %s s: %.200s", self.time_limit_s, request.sparql)
            self._replace(worker)
            raise QueryTimeout(self.time_limit_s) from None
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise StoreError(f"the query worker died ({exc}); the query was not answered") from exc
        except BaseException:  # cancelled while the worker computes: its answer is unknown
            self._replace(worker)
            raise
        self._release(worker)
        return _answer(message)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for worker in self._starting:
                worker.kill()
            self._starting.clear()
            while True:
                try:
                    self._idle.get_nowait().kill()
                except queue.Empty:
                    break
            server, self._fork_server = self._fork_server, None
        if server is not None:
            server.close()
        _remove(self._tmp)


def _answer(message: object) -> Rendered:
    """The rendered result a worker sent, or the error it reported, raised here."""
    assert isinstance(message, tuple)
    status = message[0]
    if status == "ok":
        rendered: Rendered = message[1]
        return rendered
    if status == "error":
        raise _rebuild_error(*message[1:])
    raise RuntimeError(f"query worker failed:\n{message[1]}")


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


class RemoteQueryRunner(QueryRunner):
    """Queries a :class:`RemoteSparqlStore` with the time limit as the HTTP timeout."""

    def __init__(self, store: RemoteSparqlStore, *, time_limit_s: float, max_rows: int) -> None:
        self.store = store
        self.time_limit_s = time_limit_s
        self.max_rows = max_rows

    def run(self, request: QueryRequest) -> Rendered:
        results, graph = _formats(request)
        result = self.store.query(
            request.sparql,
            dataset=request.dataset,
            max_rows=self.max_rows,
            timeout_s=self.time_limit_s,
        )
        return render_for(
            result, results=results, graph=graph, jsonld_context=request.jsonld_context
        )
