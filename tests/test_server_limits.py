"""A pathological property path is stopped at the time limit like a cross product, the
server keeps answering others meanwhile, and the worker pool recovers."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from linkedalliance.settings import Settings
from serverdata import LiveServer, free_port, write_output

# Reachability in both directions over any predicate, then its transitive closure again:
# quadratic in the graph and far beyond the limit on 3,000 filler triples.
PATHOLOGICAL_PATH = (
    "SELECT (COUNT(*) AS ?n) WHERE { "
    "?a (<urn:x:none>|!<urn:x:none>|^!<urn:x:none>)* ?b . "
    "?b (!<urn:x:none>|^!<urn:x:none>)+ ?c }"
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("limits")
    write_output(root / "output", bulk=3000)
    settings = Settings(
        port=free_port(),
        output_dir=str(root / "output"),
        query_time_limit_s=2.0,
        query_workers=2,
    )
    with LiveServer(settings) as live:
        yield live.url


def test_pathological_property_path_is_stopped(server: str) -> None:
    outcome: dict[str, httpx.Response] = {}

    def run() -> None:
        with httpx.Client(timeout=60) as client:
            outcome["r"] = client.get(f"{server}/sparql", params={"query": PATHOLOGICAL_PATH})

    started = time.monotonic()
    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.3)
    with httpx.Client(base_url=server, timeout=30) as client:
        other = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert other.status_code == 200 and other.json()["boolean"] is True
    thread.join(30)
    elapsed = time.monotonic() - started
    response = outcome["r"]
    assert response.status_code == 503
    assert response.json()["error"].startswith("query stopped after the time limit of 2 s")
    assert elapsed < 15  # stopped, not run to completion
    with httpx.Client(base_url=server, timeout=30) as client:
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
