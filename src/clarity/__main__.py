"""``python -m clarity`` runs the command line."""

from clarity.cli import main

main()
