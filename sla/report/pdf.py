"""The report as a PDF (reportlab: pure Python, no system library): summary, charts, then every
table of `sla.report.tables`, A4 landscape, in the report's language (`translation.override`):
its words, numbers and dates as the page shows them. Long cells wrap; every page after the first
repeats the title in a header, and every page carries the version, the inputs hash and its
number."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from common.quantities import Duration, Quantity, moment, number, text
from sla.report.content import ReportContent
from sla.report.standing import standing
from sla.report.tables import Cell, Table, method_text

FONT_PATHS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
MAX_ROWS = 2500  # per table; beyond, the PDF says so and the XLSX/CSV carry everything


def _fonts() -> tuple[str, str]:
    """DejaVu when Debian's fonts-dejavu-core is there (≥, €, œ…), else the PDF base fonts."""
    regular, bold = FONT_PATHS
    if regular.exists() and bold.exists():
        if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVu", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(bold)))
        return "DejaVu", "DejaVu-Bold"
    return "Helvetica", "Helvetica-Bold"


def _text(value: Cell, font: str) -> str:
    """A cell as the page shows it, in the active language (figures with their units)."""
    shown = text(value)
    return shown.replace("≥", ">=") if font == "Helvetica" else shown


def _para(value: Cell, font: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain text: its markup characters escaped (a site named "A & B")."""
    return Paragraph(escape(_text(value, font)), style)


PAD = 3.0  # points of padding each side of a cell
SIZE = 6.5  # the tables' font size
MIN_COLUMN = 28.0  # points: the narrowest column (a few characters and its padding)


def _width(text: str, font: str, size: float = SIZE) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def column_widths(
    headers: list[str], rows: list[list[str]], font: str, bold: str, width: float
) -> list[float]:
    """Widths that fill `width`: each column gets at least its longest word (up to a limit,
    beyond which the word is split) and the rest goes where the text is longest, so short
    columns (dates, figures) stay on one line and long ones (names, findings) wrap."""
    sample = rows[:400]
    natural, least = [], []
    for index, header in enumerate(headers):
        cells = [row[index] for row in sample]
        longest = max([_width(c, font) for c in cells] + [0.0])
        words = [w for c in cells for w in c.split()] + header.split()
        word = max(
            [_width(w, font) for w in words if w] + [_width(w, bold) for w in header.split()]
        )
        least.append(max(MIN_COLUMN, min(word, 90.0) + 2 * PAD))
        natural.append(max(least[-1], longest + 2 * PAD))
    if sum(natural) <= width:
        spare = width - sum(natural)
        return [n + spare * n / sum(natural) for n in natural]
    if sum(least) >= width:  # too many columns: shrink evenly (words then split)
        return [width * w / sum(least) for w in least]
    room = width - sum(least)
    wants = [n - w for n, w in zip(natural, least, strict=True)]
    return [w + room * x / sum(wants) for w, x in zip(least, wants, strict=True)]


def _cell(text: str, room: float, font: str, style: ParagraphStyle) -> Any:
    """A plain string when it fits its column on one line (ten times faster to lay out);
    else a Paragraph, which wraps at spaces and splits a word longer than the column."""
    if "\n" not in text and _width(text, font) <= room:
        return text
    return Paragraph(escape(text), style)


def _table(table: Table, font: str, bold: str, width: float) -> list[Any]:
    styles = getSampleStyleSheet()
    heading = ParagraphStyle("h", parent=styles["Heading2"], fontName=bold, fontSize=12)
    cell = ParagraphStyle("c", fontName=font, fontSize=SIZE, leading=8, splitLongWords=1)
    right = ParagraphStyle("r", parent=cell, alignment=TA_RIGHT)
    head = ParagraphStyle("hc", fontName=bold, fontSize=SIZE, leading=8, splitLongWords=1)
    flow: list[Any] = [_para(table.title, font, heading)]
    rows = table.rows[:MAX_ROWS]
    if not rows:
        flow.append(Paragraph(escape(pgettext("report", "None.")), cell))
        return flow
    texts = [[_text(v, font) for v in row] for row in rows]
    headers = [_text(h, font) for h in table.headers]
    widths = column_widths(headers, texts, font, bold, width)
    figures = set(_figure_columns(rows))
    data: list[list[Any]] = [[Paragraph(escape(h), head) for h in headers]]
    data += [
        [
            _cell(v, widths[i] - 2 * PAD, font, right if i in figures else cell)
            for i, v in enumerate(row)
        ]
        for row in texts
    ]
    grid = LongTable(data, repeatRows=1, colWidths=widths)
    style: list[Any] = [
        ("FONT", (0, 1), (-1, -1), font, SIZE),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde4ee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f7fa")]),
    ]
    # Columns of figures align right, as on the page.
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in sorted(figures)]
    grid.setStyle(TableStyle(style))
    flow.append(grid)
    if len(table.rows) > MAX_ROWS:
        more = _("… %(count)s more rows in the XLSX and CSV.") % {
            "count": number(len(table.rows) - MAX_ROWS)
        }
        flow.append(Paragraph(escape(more), cell))
    return flow


def _figure_columns(rows: list[list[Cell]]) -> list[int]:
    """The columns whose filled cells are all figures."""
    figure = (int, Decimal, Quantity, Duration)
    columns = []
    for index in range(len(rows[0])):
        filled = [row[index] for row in rows if row[index] is not None]
        if filled and all(isinstance(v, figure) for v in filled):
            columns.append(index)
    return columns


def availability_chart(content: ReportContent, font: str) -> Drawing:
    """Availability per service class against its first (target) threshold."""
    groups = [g for g in content.by_class if g.availability_pct is not None]
    height = 40 + 22 * max(len(groups), 1)
    drawing = Drawing(500, height)
    drawing.add(String(0, height - 12, _("Results by service class"), fontName=font, fontSize=9))
    if not groups:
        return drawing
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 160, 10, 300, height - 40
    chart.data = [[float(Decimal(g.availability_pct or "0")) for g in groups]]
    low = min(chart.data[0])
    chart.valueAxis.valueMin = max(0.0, min(99.0, low - 0.5))
    chart.valueAxis.valueMax = 100
    chart.valueAxis.labels.fontName = font
    chart.categoryAxis.categoryNames = [str(g.label)[:32] for g in groups]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#3b6ea5")
    chart.barLabelFormat = lambda value: number(Decimal(str(value)), 3)
    chart.valueAxis.labelTextFormat = lambda value: number(Decimal(str(value)), 1)
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 14
    drawing.add(chart)
    return drawing


def render_pdf(content: ReportContent, tables: list[Table], lang: str = "en") -> bytes:
    """The report's PDF in `lang`: its words, numbers and dates as a reader of that language
    writes them (`tables` built in the same language)."""
    with translation.override(lang):
        return _render(content, tables)


def _cover(
    content: ReportContent, font: str, bold: str, styles: dict[str, ParagraphStyle]
) -> list[Any]:
    """The first page: what the document is, between whom, for when, and which version."""
    state = _("provisional (R13)") if content.provisional else _("final (R13)")
    rows = [
        (_("Contract"), f"{content.contract} · {content.contract_title}"),
        (_("Operator"), content.operator),
        (_("Period"), content.period),
        (_("Version"), f"{content.version} · {state}"),
        (_("Evaluated"), moment(content.created)),
        (_("Inputs hash (SHA-256)"), content.inputs_hash),
        (_("Code version"), content.code_version),
    ]
    grid = LongTable(
        [[_para(k, bold, styles["body"]), _para(v, font, styles["body"])] for k, v in rows],
        colWidths=[55 * mm, 150 * mm],
        hAlign="LEFT",
    )
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [
        Spacer(1, 30 * mm),
        _para(_("Monthly service-level report"), bold, styles["cover"]),
        _para(f"{content.contract} — {content.period}", bold, styles["title"]),
        Spacer(1, 10 * mm),
        grid,
        Spacer(1, 10 * mm),
        _para(method_text(), font, styles["body"]),
        PageBreak(),
    ]


def _summary(
    content: ReportContent, font: str, bold: str, styles: dict[str, ParagraphStyle]
) -> list[Any]:
    """The summary in words (`sla.report.standing`): what is owed, the caps, the exemption
    threshold, provisional or final, the next step and its deadline."""
    flow: list[Any] = [_para(pgettext("report", "Summary"), bold, styles["heading"])]
    for statement in standing(content):
        flow.append(
            Paragraph(
                f"<b>{escape(_text(statement.title, font))}</b> — "
                f"{escape(_text(statement.text, font))}",
                styles["body"],
            )
        )
        flow.append(Spacer(1, 1.5 * mm))
    return flow


class NumberedCanvas(Canvas):
    """A canvas that knows the page count when it draws each page's footer ("page 3 of 12")."""

    def __init__(self, *args: Any, footer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._footer = footer

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self._footer is not None:
                self._footer(self, total)
            super().showPage()
        super().save()


def _render(content: ReportContent, tables: list[Table]) -> bytes:
    font, bold = _fonts()
    buffer = io.BytesIO()
    page = landscape(A4)
    margin = 12 * mm
    heading = f"{_('Monthly service-level report')} — {content.contract} — {content.period}"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=16 * mm,
        bottomMargin=15 * mm,
        title=heading,
        author="Menhir",
        subject=f"{content.contract_title} · {content.operator}",
    )
    width = page[0] - 2 * margin
    sheet = getSampleStyleSheet()
    styles = {
        "cover": ParagraphStyle(
            "cv", parent=sheet["Title"], fontName=bold, fontSize=22, leading=28
        ),
        "title": ParagraphStyle("t", parent=sheet["Title"], fontName=bold, fontSize=16),
        "heading": ParagraphStyle("h", parent=sheet["Heading2"], fontName=bold, fontSize=12),
        "body": ParagraphStyle(
            "b", parent=sheet["BodyText"], fontName=font, fontSize=8.5, leading=11
        ),
    }
    body = styles["body"]
    flow: list[Any] = _cover(content, font, bold, styles)
    if content.provisional:
        provisional = _(
            "Provisional: the monitoring does not yet reach far enough past the month's end"
        )
        flow.append(Paragraph(f"<b>{escape(provisional)}</b>", body))
    flow += _summary(content, font, bold, styles)
    flow.append(Spacer(1, 3 * mm))
    by_key = {t.key: t for t in tables}
    figures = replace(by_key["summary"], title=_("The month's figures"))
    flow += _table(figures, font, bold, width * 0.6)
    flow.append(_para(_("Penalties carry no VAT."), font, body))
    flow.append(Spacer(1, 4 * mm))
    flow.append(availability_chart(content, font))
    for key in ("by_class", "worst_sites", "by_category", "by_department"):
        flow += [Spacer(1, 4 * mm), *_table(by_key[key], font, bold, width)]
    for key in (
        "tickets",
        "works",
        "claims",
        "capacity",
        "service_quality",
        "penalties",
        "adjustments",
        "outages",
        "quality",
    ):
        flow += [PageBreak(), *_table(by_key[key], font, bold, width)]
    flow += [PageBreak(), _para(by_key["annex"].title, font, styles["title"])]
    flow.append(_para(method_text(), font, body))
    flow += _table(by_key["annex"], font, bold, width)
    version = _("version %(number)s") % {"number": content.version}
    footer = f"{content.contract} {content.period} {version} · {content.inputs_hash[:16]}…"
    page_word = _("page %(number)s of %(count)s")

    def decorate(canvas: Any, total: int) -> None:
        """Every page: the version, inputs hash and page number; after the cover, the title."""
        number = canvas.getPageNumber()
        canvas.saveState()
        canvas.setFont(font, 7)
        if number > 1:
            canvas.drawString(margin, page[1] - 9 * mm, heading)
            canvas.drawRightString(page[0] - margin, page[1] - 9 * mm, content.operator)
        canvas.drawString(margin, 8 * mm, footer)
        canvas.drawRightString(
            page[0] - margin, 8 * mm, page_word % {"number": number, "count": total}
        )
        canvas.restoreState()

    doc.build(flow, canvasmaker=lambda *a, **k: NumberedCanvas(*a, footer=decorate, **k))
    return buffer.getvalue()
