"""``python -m toolkit`` runs the same command line as ``manualkit``."""

from toolkit.cli import main

main()
