"""The measuring parts of bench/floors.py (the CPU accounting its tables rest on; Linux)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def floors():
    sys.path.insert(0, str(ROOT / "bench"))  # floors.py imports load.py as a sibling
    try:
        import floors as module

        yield module
    finally:
        sys.path.remove(str(ROOT / "bench"))


def test_split_counts_a_child_apart_from_the_parent(floors) -> None:
    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.5: pass\n"
    before = floors._split(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", burn + "time.sleep(30)"])
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            own, rest = floors._split(os.getpid())
            if rest - before[1] >= 0.4:
                break
            time.sleep(0.1)
        assert child.pid in floors._descendants(os.getpid())
        assert rest - before[1] >= 0.4  # the child's busy half second
        assert own - before[0] < 0.4  # not counted as the parent's
    finally:
        child.kill()
        child.wait()


def test_round_trip_reports_both_sides(floors) -> None:
    wall, parent, child = floors.round_trip(300, None)
    assert wall > 0 and parent > 0 and child > 0
    assert parent <= wall * 1.5  # CPU per trip cannot much exceed its wall time


def test_thread_scaling_makes_every_call(floors) -> None:
    seen: list[int] = []
    lock = threading.Lock()

    def call(i: int) -> None:
        with lock:
            seen.append(i)

    rate = floors.thread_scaling(call, 101, 2)
    assert sorted(seen) == list(range(101)) and rate > 0


def test_hot_loop_is_cpu_time_per_call(floors) -> None:
    def spin(_: int) -> None:
        t = time.process_time()
        while time.process_time() - t < 0.002:
            pass

    assert 1.5 <= floors.hot_loop(spin, 20) <= 20  # ms per call, ~2 (noise above)
