"""A process that loads a snapshot of the data once and forks query workers from it.

Every query worker (:mod:`linkedalliance.querypool`) needs the whole dataset. Loaded by each
worker, that costs one copy of the data per worker and one load per worker start, also for
each replacement of a worker killed at the time limit (at 1M triples: ~600 MB and ~15 s per
worker). Forked from a process that holds the loaded store, a worker is ready in
milliseconds and shares the store's memory with its siblings copy-on-write, until its
queries copy pages (pyoxigraph's reads write reference counts: a worker that scans much of
the store ends up with its own copy, so memory grows back towards one copy per worker).

The fork server is a fresh, single-threaded interpreter started with :mod:`subprocess` (the
web server has threads and an event loop, which must not be forked). It

* loads the snapshot: an in-memory store bulk-loads the N-Quads file; for an on-disk
  checkpoint it loads nothing and each worker opens the checkpoint read-only *after* the
  fork (RocksDB handles must not cross a fork);
* answers each ``fork`` request on its control socket: the request carries the worker's end
  of a fresh socket pair (``SCM_RIGHTS``); the child closes the control socket and serves
  queries on that socket until it closes (:func:`linkedalliance.querypool.serve_queries`);
  the reply is the child's pid;
* exits when its control socket closes. It ignores ``SIGCHLD``, so the kernel reaps workers.

The parent tracks each worker through a pidfd (Linux 5.3+; a plain pid elsewhere), so that a
kill never reaches a recycled pid.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

log = logging.getLogger(__name__)

#: A control message: one byte of kind (``R`` ready, ``P`` pid, ``E`` error) and an int
#: (the store's size, the pid, or the length of the error text that follows).
_MESSAGE = struct.Struct("!ci")


class ForkServerError(RuntimeError):
    """The fork server failed to load its snapshot, died, or did not answer in time."""


# --------------------------------------------------------------------------- fork server side


def fork_server_entry() -> None:
    """``python -c '...; fork_server_entry()' FD KIND SOURCE MAX_ROWS``: see :class:`ForkServer`."""
    fd, kind, source, max_rows = sys.argv[1:5]
    _serve(socket.socket(fileno=int(fd)), kind, source, int(max_rows))


def _send_error(control: socket.socket, text: str) -> None:
    data = text.encode("utf-8", "replace")
    with contextlib.suppress(OSError):
        control.sendall(_MESSAGE.pack(b"E", len(data)) + data)


def _serve(control: socket.socket, kind: str, source: str, max_rows: int) -> None:
    from .querypool import load_snapshot, serve_queries

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the kernel
    try:
        store = load_snapshot(kind, source) if kind == "memory" else None
        # counted once here: a worker that scans the store dirties (copies) the pages it
        # shares with this process (pyoxigraph's reads touch reference counts)
        count = len(store) if store is not None else None
    except Exception:  # noqa: BLE001 - reported to the parent, which logs it
        _send_error(control, traceback.format_exc())
        return
    try:
        control.sendall(_MESSAGE.pack(b"R", count if count is not None else -1))
    except OSError:
        return  # retired while loading
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 16, 1)
        except OSError:
            return
        if not message:
            for fd in fds:
                os.close(fd)
            return  # the parent closed the control socket: retire
        if len(fds) != 1:
            _send_error(control, f"a fork request carries one socket, not {len(fds)}")
            continue
        try:
            pid = os.fork()
        except OSError as exc:
            os.close(fds[0])
            _send_error(control, f"fork failed: {exc}")
            continue
        if pid == 0:  # the worker
            code = 0
            try:
                control.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                serve_queries(Connection(fds[0]), store, kind, source, max_rows, count)
            except BaseException:  # noqa: BLE001 - never return into the fork server's loop
                code = 1
            finally:
                os._exit(code)
        os.close(fds[0])
        try:
            control.sendall(_MESSAGE.pack(b"P", pid))
        except OSError:
            return


# --------------------------------------------------------------------------- parent side


class WorkerProcess:
    """A forked worker: its pid and, where the kernel has them, a pidfd that stays bound to
    this process (signals through it never reach a recycled pid). Safe to use from several
    threads; once killed it stays dead."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._lock = threading.Lock()
        self._killed = False
        self._pidfd: int | None = None
        with contextlib.suppress(AttributeError, OSError):  # no pidfd: plain pid below
            self._pidfd = os.pidfd_open(pid)

    def alive(self) -> bool:
        with self._lock:
            if self._killed:
                return False
            if self._pidfd is not None:
                return not select.select([self._pidfd], [], [], 0)[0]  # readable once it exits
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def kill(self, wait_s: float = 5.0) -> None:
        """SIGKILL, then wait (at most ``wait_s``) until it is gone; a second call does nothing."""
        with self._lock:
            if self._killed:
                return
            self._killed = True
            fd, self._pidfd = self._pidfd, None
        with contextlib.suppress(ProcessLookupError, OSError):
            if fd is not None:
                signal.pidfd_send_signal(fd, signal.SIGKILL)
            else:
                os.kill(self.pid, signal.SIGKILL)
        if fd is not None:
            if not select.select([fd], [], [], wait_s)[0]:
                log.error("query worker %s did not exit after SIGKILL", self.pid)
            os.close(fd)


class ForkServer:
    """The parent's handle on one fork server (one snapshot generation).

    :meth:`fork` may be called from several threads; the first caller waits until the
    snapshot is loaded (at most ``startup_timeout_s``)."""

    def __init__(self, kind: str, source: str, max_rows: int, startup_timeout_s: float) -> None:
        self.startup_timeout_s = startup_timeout_s
        self._lock = threading.Lock()
        self._ready = False
        self._failed: str | None = None
        self._control, child = socket.socketpair()
        package_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from linkedalliance.forkserver import fork_server_entry; fork_server_entry()",
                str(child.fileno()),
                kind,
                source,
                str(max_rows),
            ],
            pass_fds=(child.fileno(),),
            stdin=subprocess.DEVNULL,
            env=env,
        )
        child.close()

    @property
    def ready(self) -> bool:
        """True once the snapshot was loaded (a later failure means the process died)."""
        return self._ready

    def _read(self, timeout_s: float) -> tuple[bytes, int]:
        self._control.settimeout(timeout_s)
        try:
            head = self._recv_exactly(_MESSAGE.size)
            kind, value = _MESSAGE.unpack(head)
            if kind == b"E":
                raise ForkServerError(self._recv_exactly(value).decode("utf-8", "replace"))
            return kind, value
        except (TimeoutError, OSError) as exc:
            raise ForkServerError(f"no answer from the query fork server ({exc})") from exc

    def _recv_exactly(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self._control.recv(size - len(data))
            if not chunk:
                raise ForkServerError("the query fork server exited")
            data += chunk
        return data

    def _wait_ready(self) -> None:
        if self._ready:
            return
        if self._failed is not None:
            raise ForkServerError(self._failed)
        try:
            kind, _ = self._read(self.startup_timeout_s)
            if kind != b"R":
                raise ForkServerError(f"unexpected message {kind!r} from the fork server")
        except ForkServerError as exc:
            self._failed = str(exc)
            raise
        self._ready = True

    def fork(self) -> tuple[WorkerProcess, Connection]:
        """A new worker and the parent's end of its socket."""
        parent, child = socket.socketpair()
        try:
            with self._lock:
                self._wait_ready()
                try:
                    socket.send_fds(self._control, [b"F"], [child.fileno()])
                except OSError as exc:
                    raise ForkServerError(f"the query fork server is gone ({exc})") from exc
                kind, pid = self._read(30.0)
            if kind != b"P":
                raise ForkServerError(f"unexpected message {kind!r} from the fork server")
        except BaseException:
            parent.close()
            raise
        finally:
            child.close()
        return WorkerProcess(pid), Connection(parent.detach())

    def close(self) -> None:
        """Retire the fork server (its workers live on until their sockets close); one that
        is still loading is killed."""
        with contextlib.suppress(OSError):
            self._control.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            self._control.close()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
