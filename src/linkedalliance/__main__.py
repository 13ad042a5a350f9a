"""``python -m linkedalliance`` runs the CLI."""

from .cli import main

main()
