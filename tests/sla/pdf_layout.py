"""Reading a PDF's layout back: where each text run is drawn and where its table's column
rules are, so a test can tell whether a text crosses its column's right edge."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

Matrix = list[float]


def _times(m: Matrix, n: Matrix) -> Matrix:
    """m × n, PDF matrices [a b c d e f]."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return [
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    ]


def _point(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


@dataclass(frozen=True)
class Run:
    page: int
    text: str
    x: float
    y: float
    width: float
    size: float


@dataclass(frozen=True)
class Rule:
    """A vertical line: a column's edge."""

    page: int
    x: float
    y0: float
    y1: float


def _font(font_dict: Any) -> str:
    name = str((font_dict or {}).get("/BaseFont", ""))
    return "DejaVu-Bold" if "Bold" in name else "DejaVu"


def layout(pdf: bytes) -> tuple[list[Run], list[Rule]]:
    """Every text run (its width measured with the font it is drawn in) and every vertical
    rule, per page, in page coordinates."""
    runs: list[Run] = []
    rules: list[Rule] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        pen: list[tuple[float, float]] = []

        def operand(
            op: bytes, args: Any, cm: Matrix, tm: Matrix, number: int = number, pen: Any = pen
        ) -> None:
            if op == b"m":
                pen[:] = [_point(cm, float(args[0]), float(args[1]))]
            elif op == b"l" and pen:
                x0, y0 = pen[-1]
                x1, y1 = _point(cm, float(args[0]), float(args[1]))
                if abs(x0 - x1) < 0.01 and abs(y0 - y1) > 0.5:
                    rules.append(Rule(number, x0, min(y0, y1), max(y0, y1)))
                pen.append((x1, y1))

        def text(
            value: str, cm: Matrix, tm: Matrix, font_dict: Any, size: float, number: int = number
        ) -> None:
            value = value.rstrip("\n")
            if not value.strip():
                return
            m = _times(tm, cm)
            scale = (m[0] ** 2 + m[1] ** 2) ** 0.5
            width = pdfmetrics.stringWidth(value, _font(font_dict), size * scale)
            runs.append(Run(number, value, m[4], m[5], width, size * scale))

        page.extract_text(visitor_operand_before=operand, visitor_text=text)
    return runs, rules


def overflowing(pdf: bytes, tolerance: float = 0.6) -> list[tuple[Run, float]]:
    """The text runs inside a table cell whose right end passes the next column rule."""
    runs, rules = layout(pdf)
    out = []
    for run in runs:
        beside = [r.x for r in rules if r.page == run.page and r.y0 <= run.y <= r.y1]
        left = [x for x in beside if x <= run.x + tolerance]
        right = [x for x in beside if x > run.x + tolerance]
        if not left or not right:
            continue  # not in a table
        edge = min(right)
        if run.x + run.width > edge + tolerance:
            out.append((run, edge))
    return out
