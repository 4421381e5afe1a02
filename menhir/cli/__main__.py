"""`python -m menhir.cli …` is the `menhir` command (the demo starts its children this way)."""

from menhir.cli import main

main()
