"""The entity and document pages rendered by a real browser (headless chromium).

Marked ``browser``; it fails (does not skip) when chromium is missing, because CI installs it.
Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkedalliance.settings import Settings
from serverdata import LiveServer, free_port, write_output

pytestmark = pytest.mark.browser


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    pytest.fail("chromium is not installed (apt-get install -y chromium)")


def dump_dom(url: str, profile: Path) -> str:
    assert url.startswith("http://127.0.0.1:")
    result = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
    out = write_output(root / "output")
    settings = Settings(port=free_port(), output_dir=str(out), queries_dir=str(root))
    with LiveServer(settings) as live:
        yield live.url


def test_entity_page_in_browser(site: str, tmp_path: Path) -> None:
    dom = dump_dom(f"{site}/id/belarus", tmp_path / "profile")
    assert "<h1>Belarus</h1>" in dom
    assert "Belarus joined the Collective Security Treaty Organization in 1994." in dom
    assert 'href="/doc/d1#char=0,67"' in dom
    assert 'href="/id/russia"' in dom


def test_document_page_in_browser(site: str, tmp_path: Path) -> None:
    dom = dump_dom(f"{site}/doc/d1", tmp_path / "profile")
    assert '<mark data-passage="char=84,101">Iskander missiles</mark>' in dom
    assert dom.count("<mark ") == 4  # three passages, one nested in another: four pieces
    assert '<li id="char=68,120">' in dom
