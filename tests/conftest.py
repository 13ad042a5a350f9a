"""Shared fixtures: the repository, a tiny project to break on purpose, and one build of
the real seeds per test session (in a temporary directory, never in output/)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "data" / "mini"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


def make_project(dest: Path, seeds: Path = MINI / "seeds") -> Path:
    """A project directory with the real ontology and shapes and the given seeds."""
    shutil.copytree(REPO / "ontology", dest / "ontology")
    shutil.copytree(REPO / "shapes", dest / "shapes")
    shutil.copytree(seeds, dest / "seeds")
    return dest


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    """A one-document project (tests/data/mini) that tests may edit freely."""
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The real seeds built once into a temporary output directory."""
    from linkedalliance.build import build

    out = tmp_path_factory.mktemp("output")
    return build(REPO, out)


@pytest.fixture(scope="session")
def seed_store(seed_build):  # type: ignore[no-untyped-def]
    """The built dataset (N-Quads) in an in-memory pyoxigraph store."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(
        path=str(seed_build.output_dir / "linkedalliance.nq"), format=ox.RdfFormat.N_QUADS
    )
    return store
