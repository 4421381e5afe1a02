"""What an import did, counted per object."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportResult:
    model: str
    created: int
    updated: int
    unchanged: int

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged

    def describe(self) -> str:
        return (
            f"{self.model}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged ({self.rows} rows)"
        )
