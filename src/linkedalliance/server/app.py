"""The app factory: :func:`create_app` composes the routers over one store and settings.

No module globals: everything a handler needs hangs off ``app.state.la`` (an
:class:`~.state.AppState`), so two apps with different stores and settings can live in one
process. Errors are converted in one place (:func:`handle_error`): browsers get an HTML page,
everyone else the JSON shape ``{"ok": false, "status": N, "error": "...", "errors": [...]}``.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from ..contrib import http as contrib_http
from ..errors import LinkedAllianceError
from ..settings import Settings
from ..store import Store
from . import entities, pages, sparql, urls
from .lookup import CORS_EXPOSE, Lookups
from .negotiation import prefers_html
from .state import AppState, NotFound, state

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent


def error_body(status: int, message: str, errors: list[str] | None = None) -> dict[str, object]:
    """The one JSON error shape."""
    return {"ok": False, "status": status, "error": message, "errors": errors or [message]}


async def handle_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, LinkedAllianceError):
        status, message = exc.status, exc.message
    elif isinstance(exc, HTTPException):
        status, message = exc.status_code, str(exc.detail)
    else:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        status, message = 500, "internal server error (logged on the server)"
    headers = {"Vary": "Accept"}
    if status == 405 and isinstance(exc, HTTPException) and exc.headers:
        headers.update(exc.headers)
    if prefers_html(request.headers.get("accept")):
        response: Response = pages.error_page(request, state(request), status, message)
        response.headers.update(headers)
        return response
    return JSONResponse(error_body(status, message), status_code=status, headers=headers)


async def download(request: Request) -> Response:
    app = state(request)
    name = request.path_params["name"]
    root = app.output_dir.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file() or path.name.startswith("."):
        raise NotFound(f"no download named {name!r}")
    media = None
    with contextlib.suppress(LinkedAllianceError):
        from ..rdfio import format_from_path

        media = format_from_path(path).media_type
    if path.suffix == ".txt":
        media = "text/plain; charset=utf-8"
    return FileResponse(path, media_type=media)


async def downloads_redirect(request: Request) -> Response:
    return RedirectResponse(urls.DOWNLOADS, status_code=301)


class LinkedDataApp(Starlette):
    """Starlette with a short cut: RDF look-ups (:mod:`.lookup`) are answered before the
    middleware stack and the router, which cost more than rendering the answer."""

    def __init__(self, lookups: Lookups, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lookups = lookups

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            found = self.lookups.answer(scope)
            if found is not None:
                body, headers = found
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await super().__call__(scope, receive, send)


def create_app(store: Store, settings: Settings | None = None) -> Starlette:
    """A Starlette app serving ``store`` with ``settings`` (defaults when ``None``)."""
    settings = settings or Settings()
    runner = store.runner(
        time_limit_s=settings.query_time_limit_s,
        max_rows=settings.max_result_rows,
        workers=settings.query_workers,
    )
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
    )
    app_state = AppState(store, settings, urls.Urls(settings.base_iri), runner, templates)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # workers start with the first query, or earlier when the caller calls runner.start()
        try:
            yield
        finally:
            runner.close()

    routes = [
        *entities.routes,  # first: look-ups are the hot path (their paths are disjoint)
        Route(urls.HOME, pages.home, methods=["GET", "HEAD"]),
        *sparql.routes,
        Route(urls.QUERY, pages.query_page, methods=["GET", "HEAD"]),
        Route(urls.DOWNLOADS, pages.downloads, methods=["GET", "HEAD"]),
        Route("/downloads", downloads_redirect, methods=["GET", "HEAD"]),
        Route(urls.DOWNLOADS + "{name:path}", download, methods=["GET", "HEAD"]),
        Mount(urls.STATIC.rstrip("/"), StaticFiles(directory=HERE / "static"), name="static"),
        *contrib_http.routes,
        entities.fallback,
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_credentials=False,
            allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=list(CORS_EXPOSE),
        ),
    ]
    app = LinkedDataApp(
        Lookups(app_state),
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={
            Exception: handle_error,
            HTTPException: handle_error,
            LinkedAllianceError: handle_error,
        },
    )
    app.state.la = app_state
    return app
