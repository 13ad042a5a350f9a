"""``linkedalliance serve``: the SPARQL endpoint, linked-data IRIs and pages on 127.0.0.1."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import BuildError
from ..settings import Settings, help_text
from ..store import OxigraphStore, open_store

DATASET = "linkedalliance.nq"


def load_store(settings: Settings, *, project_dir: Path, build_if_missing: bool,
               echo: bool = True) -> OxigraphStore:
    """Open the store the settings describe, building ``output/`` first when it is missing."""
    output = Path(settings.output_dir)
    dataset = output / DATASET
    if not dataset.is_file():
        has_store = settings.data_dir is not None and Path(settings.data_dir).is_dir() and any(
            Path(settings.data_dir).iterdir())
        if not has_store:
            if not build_if_missing:
                raise BuildError(f"{dataset} is missing; run `linkedalliance build` first")
            if echo:
                click.echo(f"{dataset} is missing: building first...", err=True)
            from ..build import build

            build(project_dir, output)
    return open_store(data_dir=settings.data_dir,
                      dataset_file=dataset if dataset.is_file() else None)


def _show_settings(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(help_text())
        ctx.exit()


@click.command("serve")
@click.option(
    "--setting", "settings_pairs", type=(str, str), multiple=True, metavar="NAME VALUE",
    help="Set a server setting (repeatable); see --help-settings.",
)
@click.option("--help-settings", is_flag=True, expose_value=False, is_eager=True,
              callback=_show_settings, help="List the settings with defaults and exit.")
@click.option(
    "--project-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help="Project root used when output/ must be built first.",
)
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1; same as --setting host).")
@click.option("-p", "--port", type=int, default=None, help="Port (default 8000; same as --setting port).")
@click.option("--no-build", is_flag=True, help="Fail instead of building when output/ is missing.")
@click.option("--get", "get_path", metavar="PATH",
              help="Request PATH in process (no port), print the body and exit.")
@click.option("-H", "--header", "headers", multiple=True, metavar="'NAME: VALUE'",
              help="Request header for --get (repeatable), e.g. -H 'Accept: text/turtle'.")
@click.option("--headers", "show_headers", is_flag=True,
              help="With --get, print the status line and response headers first.")
def command(
    settings_pairs: tuple[tuple[str, str], ...],
    project_dir: Path,
    host: str | None,
    port: int | None,
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

    With --get the exit status is 0 for a 2xx answer and 1 otherwise.
    """
    shortcuts = [("host", host)] if host else []
    shortcuts += [("port", str(port))] if port is not None else []
    settings = Settings.from_pairs((*shortcuts, *settings_pairs))
    store = load_store(settings, project_dir=project_dir, build_if_missing=not no_build)
    from ..server.app import create_app

    app = create_app(store, settings)
    if get_path is not None:
        sys.exit(get(app, get_path, headers, show_headers=show_headers))
    import uvicorn

    app.state.la.runner.start()  # load the query workers while uvicorn starts

    click.echo(f"serving {len(store)} quads on http://{settings.host}:{settings.port}/ "
               f"(SPARQL: /sparql)", err=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


def get(app: object, path: str, headers: tuple[str, ...], *, show_headers: bool) -> int:
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
    with TestClient(app, base_url="http://127.0.0.1",  # type: ignore[arg-type]
                    raise_server_exceptions=False) as client:
        response = client.get(path, headers=request_headers)
    if show_headers:
        click.echo(f"HTTP/1.1 {response.status_code} {response.reason_phrase}")
        for name, value in response.headers.items():
            click.echo(f"{name}: {value}")
        click.echo("")
    sys.stdout.flush()
    sys.stdout.buffer.write(response.content) if hasattr(sys.stdout, "buffer") else click.echo(
        response.text, nl=False)
    return 0 if 200 <= response.status_code < 300 else 1
