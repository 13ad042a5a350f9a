"""Durability with a real server process: ``kill -9`` in the middle of a merge transaction, then
restart; and concurrent contributions from several clients."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from linkedalliance.contrib import open_data_store
from linkedalliance.contrib.merge import MARKER_ENV, PAUSE_ENV
from linkedalliance.namespaces import IriScheme

pytestmark = pytest.mark.slow

DATA = Path(__file__).resolve().parent / "data" / "contrib"
TOKEN = "durability-token"
REPO = Path(__file__).resolve().parent.parent


def statements(text_path: Path, count: int) -> list[bytes]:
    """``count`` distinct valid contributions: statements quoting unique sentences of a document."""
    text = text_path.read_text(encoding="utf-8")
    doc_id = text_path.stem
    out: list[bytes] = []
    candidates = (
        s
        for s in re.split(r"(?<=[.!?])\s+", text)
        if 40 < len(s) < 200 and not set(s) & {'"', "\\", "\n"} and text.count(s) == 1
    )
    for i, sentence in enumerate(candidates):
        if len(out) == count:
            break
        out.append(
            f"""
@prefix : <https://w3id.org/linkedalliance/id/> .
@prefix doc: <https://w3id.org/linkedalliance/doc/> .
@prefix la: <https://w3id.org/linkedalliance/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
:durability-test-statement-{i} a la:Statement ;
    la:speaker :epoch-times ;
    la:quote "{sentence}" ;
    prov:wasDerivedFrom doc:{doc_id} .
""".encode()
        )
    assert len(out) == count
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, data: Path, out: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "linkedalliance",
                "serve",
                "--no-build",
                "--project-dir",
                str(REPO),
                "--port",
                str(self.port),
                "--setting",
                "data_dir",
                str(data),
                "--setting",
                "output_dir",
                str(out),
                "--setting",
                "query_workers",
                "1",
            ],
            env={**os.environ, "LINKEDALLIANCE_WRITE_TOKEN": TOKEN, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read().decode())  # type: ignore[union-attr]
            try:
                if httpx.get(self.url + "/contributions", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def post(self, body: bytes, timeout: float = 60) -> httpx.Response:
        return httpx.post(
            self.url + "/contributions",
            content=body,
            timeout=timeout,
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"},
        )

    def numbers(self) -> list[int]:
        listed = httpx.get(self.url + "/contributions", timeout=10).json()["contributions"]
        return [c["number"] for c in listed if not c["reverted"]]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def dirs(tmp_path: Path, seed_build) -> Iterator[tuple[Path, Path]]:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    store = open_data_store(data, seed_build.output_dir / "linkedalliance.nq", scheme=IriScheme())
    del store
    yield data, seed_build.output_dir


def graph_sizes(data: Path) -> dict[str, int]:
    store = ox.Store.read_only(str(data))
    sizes: dict[str, int] = {}
    for q in store:
        if isinstance(q.graph_name, ox.NamedNode):
            sizes[q.graph_name.value] = sizes.get(q.graph_name.value, 0) + 1
    return sizes


def test_kill_9_in_the_middle_of_a_merge_leaves_all_or_nothing(
    dirs: tuple[Path, Path], tmp_path: Path
) -> None:
    data, out = dirs
    first, second = statements(out / "texts" / "004_d7e9a36df2ad22de.txt", 2)
    server = Server(data, out)
    try:
        assert server.post(first).status_code == 201
    finally:
        server.stop()
    before = graph_sizes(data)
    marker = tmp_path / "paused"
    server = Server(data, out, env={PAUSE_ENV: "60", MARKER_ENV: str(marker)})
    outcome: dict[str, object] = {}

    def post() -> None:
        try:
            outcome["response"] = server.post(second, timeout=90)
        except httpx.HTTPError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=post)
    thread.start()
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the merge never reached its pause"
    assert "quads given to the transaction" in marker.read_text()
    os.kill(server.process.pid, signal.SIGKILL)  # a real kill -9, inside the transaction
    server.process.wait()
    thread.join(timeout=30)
    assert "error" in outcome  # the client saw the connection drop, not an answer
    print(f"\nkilled mid-merge: {marker.read_text()}")
    assert graph_sizes(data) == before  # none of contribution 2, all of contribution 1
    server = Server(data, out)
    try:
        assert server.numbers() == [1]
        r = server.post(second)
        assert r.status_code == 201 and r.json()["contribution"] == 2
        assert server.numbers() == [1, 2]
    finally:
        server.stop()


def test_concurrent_contributions_are_all_merged_once(dirs: tuple[Path, Path]) -> None:
    data, out = dirs
    bodies = statements(out / "texts" / "003_1cc3018536d32595.txt", 6)
    bad = (DATA / "rejected.ttl").read_bytes()
    sent = bodies + bodies[:2] + [bad, bad]  # two duplicates, two rejections
    server = Server(data, out)
    try:
        answers: list[httpx.Response] = []
        lock = threading.Lock()

        def post(body: bytes) -> None:
            r = server.post(body)
            with lock:
                answers.append(r)

        threads = [threading.Thread(target=post, args=(b,)) for b in sent]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        codes = sorted(r.status_code for r in answers)
        assert codes == [200, 200] + [201] * 6 + [422, 422], [r.text[:300] for r in answers]
        merged = sorted(r.json()["contribution"] for r in answers if r.status_code == 201)
        assert merged == [1, 2, 3, 4, 5, 6]
        assert server.numbers() == [1, 2, 3, 4, 5, 6]
    finally:
        server.stop()
    sizes = graph_sizes(data)
    for n in range(1, 7):
        assert sizes[f"https://w3id.org/linkedalliance/graph/contribution/{n}"] > 10
