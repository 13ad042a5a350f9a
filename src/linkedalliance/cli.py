"""The ``linkedalliance`` command line: a thin layer over the library.

Each sub-command lives in ``linkedalliance/commands/<name>.py`` and exposes ``command``
(a :class:`click.Command`); they are discovered here, so adding a command never means
editing this file. Library errors (:class:`LinkedAllianceError`) are printed as one line
and exit with status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from . import commands
from .errors import LinkedAllianceError


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except LinkedAllianceError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="linkedalliance")
def main() -> None:
    """Build, query, validate and serve the linkedalliance knowledge graph.

    \b
    Typical session:
      linkedalliance build              # seeds/ -> output/ (validated)
      linkedalliance query -f queries/cq01.rq  # a competency question, as a table
      linkedalliance validate mine.ttl  # check a file against the shapes
      linkedalliance serve              # SPARQL endpoint + pages on 127.0.0.1
    """


def _register() -> None:
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            main.add_command(command)


_register()
