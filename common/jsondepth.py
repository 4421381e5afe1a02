"""JSON documents nested beyond any real use are refused before anything walks them (issue 13,
finding 11: a body nested 3,000 levels deep made the API answer 500 and `menhir sla evaluate`
exit with a traceback). Python's decoder and every recursive walk would hit the recursion
limit; `parse_json` answers with a clear error instead."""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64


class TooDeep(ValueError):
    """The document nests arrays and objects more than MAX_DEPTH levels."""


def depth(text: str | bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text, counted without parsing it
    (brackets inside strings do not count)."""
    data = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    deepest = level = 0
    in_string = escaped = False
    for ch in data:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            level += 1
            deepest = max(deepest, level)
        elif ch in "]}":
            level -= 1
    return deepest


def check_depth(text: str | bytes) -> None:
    openings = (
        text.count(b"[") + text.count(b"{")
        if isinstance(text, bytes)
        else text.count("[") + text.count("{")
    )
    if openings <= MAX_DEPTH:
        return  # nesting never exceeds the openings: most bodies end here, at C speed
    found = depth(text)
    if found > MAX_DEPTH:
        raise TooDeep(f"JSON nested {found} levels deep; at most {MAX_DEPTH} are accepted")


def parse_json(text: str | bytes) -> Any:
    """`json.loads` after the depth check (raises TooDeep or json.JSONDecodeError)."""
    check_depth(text)
    return json.loads(text)
