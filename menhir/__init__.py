"""Menhir project package: settings, URLs, the embedded database and the `menhir` command line."""
