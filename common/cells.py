"""Spreadsheet cells that stay data (issue 13, finding 5: formula injection).

A spreadsheet opening a CSV runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return as a formula: an operator's ticket reference `=HYPERLINK(…)` would run on the syndicate's
machines. Every CSV writer passes its text cells through `neutralise`, which prefixes such a
cell with a quote (`'`), the spreadsheets' own "this is text" mark; `restore` takes exactly one
quote off again, so every export imports back unchanged. Numbers stay numbers: a plain decimal
such as a negative longitude (`-3.52`) is left alone. In XLSX, text cells are stored as text,
never as formulas (see `sla.report.export`).
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?\Z")  # a decimal point or comma
_QUOTED = re.compile(r"'*[=+\-@\t\r]")  # quotes, then a trigger: what neutralise may produce


def neutralise(text: str) -> str:
    """`text` safe to open in a spreadsheet; a plain number is returned as it is."""
    if _NUMBER.match(text):
        return text
    return "'" + text if _QUOTED.match(text) else text


def restore(text: str) -> str:
    """The text `neutralise` was given (one quote fewer before a trigger)."""
    if text.startswith("'") and _QUOTED.match(text) and not _NUMBER.match(text[1:]):
        return text[1:]
    return text
