"""Turn CSV or YAML bytes into rows of column → raw value, each with its location.

Readers know nothing of models: they check only what makes a file unreadable (encoding, syntax,
shape) and raise ImportFailed with the place of the problem.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from common.cells import restore
from inventory.importers.errors import ImportFailed, Location, RowError, file_error


@dataclass(frozen=True)
class RawRow:
    location: Location
    values: dict[str, Any]


@dataclass(frozen=True)
class Table:
    """A readable file: its rows, and the rows it could not read (reported with the others)."""

    rows: list[RawRow]
    errors: list[RowError]
    header: list[str] | None = None  # CSV: the columns every row has
    model: str | None = None  # YAML: the top-level key


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM, as Excel writes it, is dropped); anything else is refused."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise file_error(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "save it as UTF-8 (in a spreadsheet: CSV UTF-8)",
            Location(line),
        ) from None


def read_csv(data: bytes) -> Table:
    """The header's column names and one row per non-blank line after it.

    The delimiter is a comma, or a semicolon when the header has semicolons and no comma (as
    spreadsheets write CSV in French locales).
    """
    text = decode(data)
    if not text.strip():
        raise file_error("the file is empty: expected a header line naming the columns")
    first = text.lstrip("\r\n").splitlines()[0]
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    errors: list[RowError] = []
    header: list[str] | None = None
    rows: list[RawRow] = []
    last_line = 0
    try:
        for record in reader:
            start, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [name.strip() for name in record]
                errors += _check_header(header, Location(start))
                continue
            if len(record) != len(header):
                errors.append(
                    RowError(
                        Location(start),
                        None,
                        f"{len(record)} values for {len(header)} columns (the header's)",
                    )
                )
                continue
            cells = (restore(cell) for cell in record)  # undo the exporters' neutralise
            rows.append(RawRow(Location(start), dict(zip(header, cells, strict=True))))
    except csv.Error as exc:
        errors.append(RowError(Location(reader.line_num), None, f"unreadable CSV: {exc}"))
        raise ImportFailed(errors) from None
    assert header is not None  # the file is not blank
    return Table(rows, errors, header=header)


def _check_header(header: Sequence[str], location: Location) -> list[RowError]:
    errors = []
    if any(not name for name in header):
        errors.append(RowError(location, None, "a column of the header has no name"))
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            errors.append(RowError(location, name, "the column appears twice in the header"))
        seen.add(name)
    return errors


def read_yaml(data: bytes) -> Table:
    """The top-level key (the model) and its items; each item is a mapping of column → value."""
    text = decode(data)
    if not text.strip():
        raise file_error("the file is empty: expected a top-level key such as `establishments:`")
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        document = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = exc.problem or exc.context or "invalid YAML"
        raise file_error(f"YAML syntax error{where}: {reason}") from None
    except yaml.YAMLError as exc:
        raise file_error(f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    if not isinstance(document, dict) or len(document) != 1:
        raise file_error(
            "expected one top-level key naming the model (e.g. `establishments:`) "
            "followed by a list of mappings"
        )
    assert isinstance(node, yaml.MappingNode)
    (model, items), (_, items_node) = next(iter(document.items())), node.value[0]
    if not isinstance(items, list):
        raise file_error(f"`{model}:` must be followed by a list of mappings (`- code: …`)")
    rows: list[RawRow] = []
    errors: list[RowError] = []
    for index, (item, item_node) in enumerate(zip(items, items_node.value, strict=True), 1):
        location = Location(index, "item", item_node.start_mark.line + 1)
        if not isinstance(item, dict):
            errors.append(RowError(location, None, "expected a mapping of column: value"))
            continue
        rows.append(RawRow(location, {str(k): v for k, v in item.items()}))
    return Table(rows, errors, model=str(model))
