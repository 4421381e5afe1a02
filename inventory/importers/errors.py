"""What goes wrong in an import file, located the way the user counts: CSV line or YAML item."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    """A row of the file: `line 3` of a CSV file (header = line 1), `item 2 (line 7)` of YAML."""

    number: int
    kind: str = "line"  # "line" (CSV) or "item" (YAML, counted from 1)
    line: int | None = None  # the YAML line the item starts on

    def __str__(self) -> str:
        if self.kind == "item" and self.line is not None:
            return f"item {self.number} (line {self.line})"
        return f"{self.kind} {self.number}"


@dataclass(frozen=True)
class RowError:
    """One problem: where (row, column; either may be unknown) and why, in plain words."""

    location: Location | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.location is not None:
            where.append(str(self.location))
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def sort_key(self) -> int:
        return self.location.number if self.location else 0


class ImportFailed(Exception):
    """The file was refused as a whole; `errors` says why, one entry per problem, in file order."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = sorted(errors, key=RowError.sort_key)  # stable: a row keeps its order
        super().__init__("\n".join(str(e) for e in self.errors))


def file_error(message: str, location: Location | None = None) -> ImportFailed:
    return ImportFailed([RowError(location, None, message)])
