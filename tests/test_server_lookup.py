"""The look-up short cut (:mod:`linkedalliance.server.lookup`) answers exactly as the app.

Every request is sent twice: to the app as served (the short cut answers RDF look-ups before
the middleware and the router) and to the same app with the short cut bypassed (Starlette's
own ``__call__``: routing, CORS middleware, the routed handler). Status, headers and body must
be the same; the short cut must have answered the RDF look-ups and left the rest alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from linkedalliance.server.app import LinkedDataApp, create_app
from linkedalliance.settings import Settings
from linkedalliance.store import OxigraphStore

SLUGS = ["belarus", "csto", "armenia", "aleksandr-lukashenko"]


@pytest.fixture(scope="module")
def app(seed_build) -> LinkedDataApp:  # type: ignore[no-untyped-def]
    store = OxigraphStore()
    store.load(seed_build.output_dir / "linkedalliance.nq")
    made = create_app(store, Settings(output_dir=str(seed_build.output_dir)))
    assert isinstance(made, LinkedDataApp)
    return made


def routed(app: LinkedDataApp):  # type: ignore[no-untyped-def]
    """The same app without the short cut."""

    async def call(scope: Scope, receive: Receive, send: Send) -> None:
        await Starlette.__call__(app, scope, receive, send)

    return call


def both(app: LinkedDataApp, method: str, path: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    fast = TestClient(app).request(method, path, headers=headers)
    slow = TestClient(routed(app)).request(method, path, headers=headers)
    return fast, slow


def short_cut_answers(app: LinkedDataApp, method: str, path: str, headers: dict[str, str]) -> bool:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    scope = {"type": "http", "method": method, "path": path, "query_string": b"", "headers": raw}
    return app.lookups.answer(scope) is not None


ID_CASES = [
    ("GET", "/id/{slug}", {"Accept": "text/turtle"}),
    ("GET", "/id/{slug}", {"Accept": "application/ld+json"}),
    ("GET", "/id/{slug}", {"Accept": "application/n-triples;q=0.9, text/turtle;q=0.5"}),
    ("GET", "/id/{slug}", {"Accept": "text/turtle", "Origin": "https://example.org"}),
    ("HEAD", "/id/{slug}", {"Accept": "text/turtle"}),
    ("GET", "/id/{slug}.jsonld", {}),
    ("GET", "/id/{slug}.nt", {"Accept": "text/html"}),
]
CASES = [
    (method, path.format(slug=slug), headers)
    for slug in SLUGS
    for method, path, headers in ID_CASES
] + [
    ("GET", "/doc/003_1cc3018536d32595", {"Accept": "text/turtle"}),
    ("GET", "/doc/004_d7e9a36df2ad22de.ttl", {"Origin": "https://example.org"}),
]


@pytest.mark.parametrize(("method", "path", "headers"), CASES)
def test_short_cut_answers_like_the_app(
    app: LinkedDataApp, method: str, path: str, headers: dict[str, str]
) -> None:
    assert short_cut_answers(app, method, path, headers)
    fast, slow = both(app, method, path, headers)
    assert fast.status_code == slow.status_code == 200
    assert sorted(fast.headers.multi_items()) == sorted(slow.headers.multi_items())
    assert fast.content == slow.content
    if method == "GET":
        assert path.split("/")[2].split(".")[0] in fast.text


FALL_THROUGH = [
    ("GET", "/id/belarus", {"Accept": "text/html"}),  # page: absolute URLs from the request
    ("GET", "/id/belarus", {}),  # no Accept: anything, HTML first
    ("GET", "/id/belarus", {"Accept": "image/png"}),  # 406
    ("GET", "/id/no-such-thing", {"Accept": "text/turtle"}),  # 404
    ("GET", "/id/no-such-thing.ttl", {}),
    ("POST", "/id/belarus", {"Accept": "text/turtle"}),  # 405
    ("GET", "/id/", {"Accept": "text/turtle"}),
    ("GET", "/doc/003_1cc3018536d32595.html", {}),
]


@pytest.mark.parametrize(("method", "path", "headers"), FALL_THROUGH)
def test_everything_else_is_left_to_the_app(
    app: LinkedDataApp, method: str, path: str, headers: dict[str, str]
) -> None:
    assert not short_cut_answers(app, method, path, headers)
    fast, slow = both(app, method, path, headers)
    assert fast.status_code == slow.status_code
    assert fast.content == slow.content


def test_short_cut_follows_writes(tmp_path: Path) -> None:
    """A merge changes the answer at once (the body cache is keyed by store generation)."""
    import pyoxigraph as ox

    store = OxigraphStore()
    x = ox.NamedNode("https://w3id.org/linkedalliance/id/x")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    store.add_graph(
        "https://w3id.org/linkedalliance/graph/a", [ox.Triple(x, label, ox.Literal("A"))]
    )
    client = TestClient(create_app(store, Settings(output_dir=str(tmp_path))))
    assert '"A"' in client.get("/id/x.nt").text
    store.add_graph(
        "https://w3id.org/linkedalliance/graph/a", [ox.Triple(x, label, ox.Literal("B"))]
    )
    body = client.get("/id/x.nt").text
    assert '"B"' in body and '"A"' not in body
    store.remove_graph("https://w3id.org/linkedalliance/graph/a")
    assert client.get("/id/x.nt").status_code == 404
