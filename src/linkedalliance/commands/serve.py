"""``linkedalliance serve``: the SPARQL endpoint, linked-data IRIs and pages on 127.0.0.1."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Literal

import click
from starlette.applications import Starlette

from ..contrib.http import TOKEN_ENV
from ..errors import BuildError
from ..settings import DEFAULT_DATA_DIR, Settings, help_text
from ..store import OxigraphStore, open_store

DATASET = "linkedalliance.nq"


def load_store(
    settings: Settings, *, project_dir: Path, build_if_missing: bool, echo: bool = True
) -> OxigraphStore:
    """Open the store the settings describe, building ``output/`` first when it is missing.

    With a ``data_dir`` the store is on disk and created from the built dataset on first
    use (atomically, see :func:`linkedalliance.contrib.open_data_store`); otherwise the
    built dataset is loaded into memory.
    """
    output = Path(settings.output_dir)
    dataset = output / DATASET
    data_dir = Path(settings.data_dir) if settings.data_dir is not None else None
    has_store = data_dir is not None and data_dir.is_dir() and any(data_dir.iterdir())
    if not dataset.is_file() and not has_store:
        if not build_if_missing:
            raise BuildError(f"{dataset} is missing; run `linkedalliance build` first")
        if echo:
            click.echo(f"{dataset} is missing: building first...", err=True)
        from ..build import build

        build(project_dir, output)
    if data_dir is not None:
        from ..contrib import open_data_store

        return open_data_store(data_dir, dataset, scheme=settings.scheme)
    return open_store(data_dir=None, dataset_file=dataset)


def resolve_settings(
    pairs: tuple[tuple[str, str], ...], *, project_dir: Path, token_file: Path | None
) -> Settings:
    """Settings from ``--setting`` pairs, plus what a user expects without saying it:
    the project's ``data/`` store when it exists or when writes are on (contributions must
    survive a restart), and the write token from ``--token-file`` or the environment."""
    settings = Settings.from_pairs(pairs)
    changes: dict[str, object] = {"project_dir": str(project_dir)}
    token = settings.write_token
    if token_file is not None:
        token = token_file.read_text(encoding="utf-8").strip()
        if not token:
            raise click.BadParameter(f"{token_file} is empty", param_hint="--token-file")
    token = token or os.environ.get(TOKEN_ENV) or None
    changes["write_token"] = token
    default_store = project_dir / DEFAULT_DATA_DIR
    if settings.data_dir is None and (
        token or (default_store.is_dir() and any(default_store.iterdir()))
    ):
        changes["data_dir"] = str(default_store)
    return replace(settings, **changes)  # type: ignore[arg-type]


def _show_settings(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(help_text())
        ctx.exit()


@click.command("serve")
@click.option(
    "--setting",
    "settings_pairs",
    type=(str, str),
    multiple=True,
    metavar="NAME VALUE",
    help="Set a server setting (repeatable); see --help-settings.",
)
@click.option(
    "--help-settings",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_settings,
    help="List the settings with defaults and exit.",
)
@click.option(
    "--project-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Project root used when output/ must be built first.",
)
@click.option(
    "--host", default=None, help="Address to bind (default 127.0.0.1; same as --setting host)."
)
@click.option(
    "-p", "--port", type=int, default=None, help="Port (default 8000; same as --setting port)."
)
@click.option(
    "--token-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help=f"File holding the bearer token that allows POST /contributions (or set {TOKEN_ENV}); "
    "without a token, writes are off.",
)
@click.option("--no-build", is_flag=True, help="Fail instead of building when output/ is missing.")
@click.option(
    "--get",
    "get_path",
    metavar="PATH",
    help="Request PATH in process (no port), print the body and exit.",
)
@click.option(
    "-H",
    "--header",
    "headers",
    multiple=True,
    metavar="'NAME: VALUE'",
    help="Request header for --get (repeatable), e.g. -H 'Accept: text/turtle'.",
)
@click.option(
    "--headers",
    "show_headers",
    is_flag=True,
    help="With --get, print the status line and response headers first.",
)
def command(
    settings_pairs: tuple[tuple[str, str], ...],
    project_dir: Path,
    host: str | None,
    port: int | None,
    token_file: Path | None,
    no_build: bool,
    get_path: str | None,
    headers: tuple[str, ...],
    show_headers: bool,
) -> None:
    """Serve the knowledge graph: SPARQL at /sparql, entities at /id/{slug}, pages.

    \b
    Loads output/linkedalliance.nq (building it first when missing) and serves
    on 127.0.0.1:8000 by default. Examples:
      linkedalliance serve --port 9000 --setting query_time_limit_s 5
      linkedalliance serve --get /id/belarus -H 'Accept: text/turtle'
      linkedalliance serve --get '/sparql?query=ASK{}'

    Writes (POST /contributions) are on only with a token (--token-file or
    LINKEDALLIANCE_WRITE_TOKEN); the store is then kept on disk in ./data (also used
    whenever ./data exists), so merged contributions survive restarts.

    With --get the exit status is 0 for a 2xx answer and 1 otherwise.
    """
    shortcuts = [("host", host)] if host else []
    shortcuts += [("port", str(port))] if port is not None else []
    settings = resolve_settings(
        (*shortcuts, *settings_pairs), project_dir=project_dir, token_file=token_file
    )
    store = load_store(settings, project_dir=project_dir, build_if_missing=not no_build)
    from ..server.app import create_app

    app = create_app(store, settings)
    if get_path is not None:
        sys.exit(get(app, get_path, headers, show_headers=show_headers))
    import uvicorn

    app.state.la.runner.start()  # load the query workers while uvicorn starts

    click.echo(
        f"serving {len(store)} quads on http://{settings.host}:{settings.port}/ (SPARQL: /sparql)",
        err=True,
    )
    http, loop = fast_stack()
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=settings.access_log,
        http=http,
        loop=loop,
    )


def fast_stack() -> tuple[Literal["httptools", "h11"], Literal["uvloop", "asyncio"]]:
    """uvicorn's C HTTP parser and event loop when installed (``uvicorn[standard]``): about
    3x the requests per second of h11 on the asyncio loop for small answers."""
    import importlib.util

    http: Literal["httptools", "h11"] = "h11"
    loop: Literal["uvloop", "asyncio"] = "asyncio"
    if importlib.util.find_spec("httptools") is not None:
        http = "httptools"
    if importlib.util.find_spec("uvloop") is not None:
        loop = "uvloop"
    return http, loop


def get(app: Starlette, path: str, headers: tuple[str, ...], *, show_headers: bool) -> int:
    """Answer one request in process and print it; returns the exit status."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    request_headers: dict[str, str] = {}
    for header in headers:
        name, sep, value = header.partition(":")
        if not sep:
            raise click.BadParameter(f"{header!r} is not 'Name: value'", param_hint="-H")
        request_headers[name.strip()] = value.strip()
    with TestClient(
        app,
        base_url="http://127.0.0.1",
        raise_server_exceptions=False,
    ) as client:
        response = client.get(path, headers=request_headers)
    if show_headers:
        click.echo(f"HTTP/1.1 {response.status_code} {response.reason_phrase}")
        for name, value in response.headers.items():
            click.echo(f"{name}: {value}")
        click.echo("")
    sys.stdout.flush()
    sys.stdout.buffer.write(response.content) if hasattr(sys.stdout, "buffer") else click.echo(
        response.text, nl=False
    )
    return 0 if 200 <= response.status_code < 300 else 1
