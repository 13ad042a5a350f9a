"""The hot path: RDF look-ups of ``/id/...`` and ``/doc/...`` answered before the framework.

A program that dereferences an entity IRI (``Accept: text/turtle``, a ``.jsonld`` suffix...)
needs no routing, no request object, no middleware and no exception machinery: the app
(:class:`~.app.LinkedDataApp`) first asks :meth:`Lookups.answer` for an answer from the ASGI
scope alone. It renders with the same function as the routed handler
(:func:`.entities.rdf_answer`, with its body cache) and adds the same CORS headers as the
CORS middleware (:data:`CORS_EXPOSE`). Anything else is ``None`` and goes through the app
unchanged: HTML pages (they render absolute URLs from the request), unknown resources (404),
406, query strings, other methods and paths, and any error. ``tests/test_server_lookup.py``
checks that both ways give the same status, headers and body.
"""

from __future__ import annotations

import logging

from starlette.types import Scope

from . import entities
from .negotiation import negotiate
from .state import AppState
from .urls import split_suffix

log = logging.getLogger(__name__)

PREFIXES = ("/id/", "/doc/")
#: Response headers a browser script on another origin may read (the CORS middleware's too).
CORS_EXPOSE = ("X-SPARQL-Truncated", "Link", "Vary")

Headers = list[tuple[bytes, bytes]]


class Lookups:
    """Answers RDF look-ups of ``/id/`` and ``/doc/`` resources from the scope (see module)."""

    def __init__(self, state: AppState) -> None:
        self.state = state
        self._cors = [
            (b"access-control-allow-origin", b"*"),
            (b"access-control-expose-headers", ", ".join(CORS_EXPOSE).encode("latin-1")),
        ]

    def answer(self, scope: Scope) -> tuple[bytes, Headers] | None:
        """Body and headers of a ``200`` answer, or ``None`` to let the app answer."""
        path: str = scope["path"]
        if (
            scope["method"] not in ("GET", "HEAD")
            or scope["query_string"]
            or not path.startswith(PREFIXES)
        ):
            return None
        prefix = "/id/" if path.startswith("/id/") else "/doc/"
        name = path[len(prefix) :]
        if not name or "/" in name:
            return None  # not a route of its own: the app's catch-all decides
        accept = origin = None
        for key, value in scope["headers"]:  # the first of each, as Starlette reads them
            if key == b"accept" and accept is None:
                accept = value.decode("latin-1")
            elif key == b"origin" and origin is None:
                origin = value
        stem, media = split_suffix(name)
        if media is None:
            media = negotiate(accept, entities.OFFERS)
        if media is None or media == "text/html":
            return None
        urls = self.state.urls
        resource = urls.entity(stem) if prefix == "/id/" else urls.document(stem)
        iri = urls.iri_for_path(prefix + stem)
        try:
            found = entities.rdf_answer(self.state, iri, resource, media)
        except Exception:  # the app answers again and reports the error in its own way
            log.debug("look-up of %s left to the app", path, exc_info=True)
            return None
        if found is None:
            return None
        body, link = found
        headers = [
            (b"vary", b"Accept, Origin"),
            (b"link", link.encode("latin-1")),
            (b"content-length", str(len(body)).encode("latin-1")),
            (b"content-type", entities.content_type(media).encode("latin-1")),
        ]
        if origin is not None:
            headers += self._cors
        return body, headers
