"""``python -m clarity`` runs the command line, as the ``clarity`` command does."""

from clarity.cli import run

run()
