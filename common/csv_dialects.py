"""CSV as the reader's spreadsheet opens it. A French spreadsheet expects `;` between cells, a
decimal comma and a byte-order mark (else it guesses Windows-1252 and breaks the accents); the
English one, commas and points. The web pages' downloads follow the page's language; the API's
`?format=csv` and the CLI's exports stay machine formats (MACHINE)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    decimal: str
    bom: bool

    def number(self, value: Decimal | float) -> str:
        """A number with this dialect's decimal mark, never in exponent notation."""
        text = format(value, "f") if isinstance(value, Decimal) else repr(value)
        return text.replace(".", self.decimal) if self.decimal != "." else text

    def encode(self, text: str) -> bytes:
        return ("\ufeff" if self.bom else "").encode() + text.encode()


MACHINE = CsvDialect(delimiter=",", decimal=".", bom=False)
FRENCH = CsvDialect(delimiter=";", decimal=",", bom=True)


def for_language(language: str | None) -> CsvDialect:
    """The dialect of a web page's download in `language` (fr → FRENCH, else MACHINE)."""
    return FRENCH if (language or "").startswith("fr") else MACHINE
