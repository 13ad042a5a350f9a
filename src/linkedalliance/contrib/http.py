"""HTTP: ``POST /contributions`` (bearer token), ``GET /contributions``, ``GET /contributions/{n}``.

Mount with ``*contrib.http.routes`` in :func:`linkedalliance.server.app.create_app`, before the
linked-data fallback route. The service is created on first use from the app's store and
settings and kept in ``AppState.cache``.

Answers of ``POST /contributions``:

* 201 merged: JSON with the number, the contribution IRI (also in ``Location``) and any warnings;
* 200 already merged (same canonical content hash): the existing contribution, nothing changed;
* 422 rejected: the validation report, as JSON (default) or SHACL Turtle (``Accept: text/turtle``);
* 400 unparsable body, with line and column; 401 no token, 403 wrong token or writes off;
  413 body over the limit (``LINKEDALLIANCE_MAX_CONTRIBUTION_BYTES``, default 2 MB);
  415 a media type other than Turtle, TriG, JSON-LD, N-Triples or N-Quads.

The write token is the ``write_token`` setting, else the environment variable
``LINKEDALLIANCE_WRITE_TOKEN``, read once when the service starts; none means no writes.
"""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import LinkedAllianceError, RdfSyntaxError, UnsupportedFormat
from ..rdfio import format_from_media_type
from ..server.negotiation import negotiate
from ..server.state import AppState, state
from . import make_context
from .merge import ContributionNotFound, Contributions
from .parse import CONTRIBUTION_FORMATS, ContributionTooLarge

TOKEN_ENV = "LINKEDALLIANCE_WRITE_TOKEN"
MAX_BYTES_ENV = "LINKEDALLIANCE_MAX_CONTRIBUTION_BYTES"
DEFAULT_MAX_BYTES = 2_000_000
_CACHE_KEY = "contrib.http"


class WriteRefused(LinkedAllianceError):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class _Service:
    contributions: Contributions
    token: str | None
    max_bytes: int


def _service(app: AppState) -> _Service:
    cached = app.cache.get(_CACHE_KEY)
    if isinstance(cached, _Service):
        return cached
    settings = app.settings
    project = Path(settings.project_dir)
    ctx = make_context(
        app.store,
        project_dir=project,
        texts_dir=Path(settings.output_dir) / "texts",
        scheme=settings.scheme,
    )
    token = settings.write_token or os.environ.get(TOKEN_ENV) or None
    max_bytes = int(os.environ.get(MAX_BYTES_ENV) or settings.max_contribution_bytes)
    service = _Service(Contributions(app.store, ctx), token, max_bytes)
    app.cache[_CACHE_KEY] = service
    return service


def _error(status: int, message: str, **extra: object) -> JSONResponse:
    body: dict[str, object] = {"ok": False, "status": status, "error": message, "errors": [message]}
    body.update(extra)
    headers = {"WWW-Authenticate": 'Bearer realm="linkedalliance"'} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def _authorise(request: Request, service: _Service) -> None:
    if service.token is None:
        raise WriteRefused(
            "writes are off on this server: no write token is configured (start it with "
            f"--token-file or {TOKEN_ENV})",
            403,
        )
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise WriteRefused("send the write token as 'Authorization: Bearer <token>'", 401)
    if not hmac.compare_digest(given.strip().encode(), service.token.encode()):
        raise WriteRefused("the bearer token is not valid for writes", 403)


async def _read_body(request: Request, limit: int) -> bytes:
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise ContributionTooLarge(f"the body has {length} bytes; the limit is {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ContributionTooLarge(f"the body is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def post_contribution(request: Request) -> Response:
    app = state(request)
    try:
        service = _service(app)
        _authorise(request, service)
        media = request.headers.get("content-type", "")
        try:
            fmt = format_from_media_type(media)
        except UnsupportedFormat:
            fmt = None
        if fmt is None or fmt.name not in CONTRIBUTION_FORMATS:
            return _error(
                415,
                f"unsupported media type {media.split(';')[0].strip()!r}: send "
                "text/turtle, application/trig or application/ld+json",
            )
        body = await _read_body(request, service.max_bytes)
        by = request.headers.get("x-contributor", "").strip() or "anonymous (HTTP)"
        message = request.query_params.get("message", "")
        outcome = await anyio.to_thread.run_sync(
            lambda: service.contributions.contribute(
                body, fmt, "request body", by=by, message=message
            )
        )
    except WriteRefused as exc:
        return _error(exc.status, exc.message)
    except ContributionTooLarge as exc:
        return _error(413, exc.message)
    except RdfSyntaxError as exc:
        return _error(400, exc.message, line=exc.line, column=exc.column)
    except LinkedAllianceError as exc:  # refused input (422), store errors (502)...
        return _error(exc.status, exc.message)
    if outcome.status == "rejected":
        assert outcome.checked is not None
        report = outcome.checked.report
        if (
            negotiate(request.headers.get("accept"), ["application/json", "text/turtle"])
            == "text/turtle"
        ):
            return Response(
                report.to_turtle(), status_code=422, media_type="text/turtle; charset=utf-8"
            )
        return Response(report.to_json(), status_code=422, media_type="application/json")
    record = outcome.record
    assert record is not None
    payload: dict[str, object] = {
        "ok": True,
        "status": outcome.status,
        "contribution": record.number,
        "iri": record.iri,
        "graph": record.graph,
        "triples": record.triples,
        "href": f"/contributions/{record.number}",
    }
    if outcome.checked is not None:
        payload["warnings"] = [
            r.message for r in outcome.checked.report.results if r.severity != "Violation"
        ]
        payload["notes"] = list(outcome.checked.notes)
    status = 201 if outcome.status == "merged" else 200
    return JSONResponse(payload, status_code=status, headers={"Location": record.iri})


async def list_contributions(request: Request) -> Response:
    service = _service(state(request))
    records = await anyio.to_thread.run_sync(service.contributions.records)
    return JSONResponse({"ok": True, "contributions": [r.to_json() for r in records]})


async def get_contribution(request: Request) -> Response:
    service = _service(state(request))
    number = int(request.path_params["n"])
    try:
        record, triples = await anyio.to_thread.run_sync(lambda: service.contributions.show(number))
    except ContributionNotFound as exc:
        return _error(404, exc.message)
    wanted = negotiate(
        request.headers.get("accept"), ["application/json", "application/n-triples", "text/turtle"]
    )
    if wanted in ("application/n-triples", "text/turtle"):
        # N-Triples is valid Turtle
        return Response("".join(f"{t} .\n" for t in triples), media_type=f"{wanted}; charset=utf-8")
    if wanted is None:
        return _error(406, "acceptable: application/json, text/turtle, application/n-triples")
    return JSONResponse({"ok": True, **record.to_json(), "href": f"/contributions/{number}"})


routes = [
    Route("/contributions", post_contribution, methods=["POST"]),
    Route("/contributions", list_contributions, methods=["GET", "HEAD"]),
    Route("/contributions/{n:int}", get_contribution, methods=["GET", "HEAD"]),
]
