"""``linkedalliance contributions list | show N | revert N``: the contribution log."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from ..contrib import Contributions, open_service
from ..errors import LinkedAllianceError
from ._options import project_dir_option

_project = project_dir_option("ontology/, shapes/ and output/")
_data = click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The store's directory [default: PROJECT_DIR/data].",
)


T = TypeVar("T")


def _with_service(
    project_dir: Path, data_dir: Path | None, action: Callable[[Contributions], T]
) -> T:
    """Open the store, run ``action``, release the store (an open on-disk store is locked);
    library errors exit with status 2."""
    try:
        service = open_service(project_dir=project_dir, data_dir=data_dir)
        try:
            return action(service)
        finally:
            service.store.close()
            del service
            gc.collect()  # drop the store now: the next command in this process may reopen it
    except LinkedAllianceError as exc:
        message = exc.message
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(2)


@click.group("contributions")
def command() -> None:
    """List, inspect and revert merged contributions.

    \b
    Examples:
      linkedalliance contributions list
      linkedalliance contributions show 3
      linkedalliance contributions revert 3 --by "Maintainer" -m "wrong document"
    """


@command.command("list")
@_project
@_data
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_command(project_dir: Path, data_dir: Path | None, as_json: bool) -> None:
    """Every contribution, oldest first (reverted ones are marked)."""
    records = _with_service(project_dir, data_dir, lambda s: s.records())
    if as_json:
        click.echo(json.dumps([r.to_json() for r in records], indent=2))
        return
    if not records:
        click.echo("no contributions yet")
        return
    for r in records:
        state = f"reverted {r.reverted_at}" if r.reverted else "merged"
        click.echo(
            f"{r.number:>4}  {r.created}  {r.triples:>6} triples  {state:<30}  {r.by}: {r.message}"
        )


@command.command("show")
@click.argument("number", type=int)
@_project
@_data
def show_command(number: int, project_dir: Path, data_dir: Path | None) -> None:
    """The log entry of contribution NUMBER and its triples (N-Triples)."""
    record, triples = _with_service(project_dir, data_dir, lambda s: s.show(number))
    for key, value in record.to_json().items():
        if value not in (None, ""):
            click.echo(f"# {key}: {value}")
    for t in triples:
        click.echo(f"{t} .")


@command.command("revert")
@click.argument("number", type=int)
@click.option("--by", required=True, help="Who reverts.")
@click.option("--message", "-m", default="", help="Why.")
@_project
@_data
def revert_command(
    number: int, by: str, message: str, project_dir: Path, data_dir: Path | None
) -> None:
    """Remove contribution NUMBER's graph and record the revert (the number is not reused)."""
    record = _with_service(
        project_dir, data_dir, lambda s: s.revert(number, by=by, message=message)
    )
    click.echo(f"reverted contribution {record.number} (<{record.graph}> removed)")
