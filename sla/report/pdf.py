"""The report as a PDF (reportlab: pure Python, no system library): summary, charts, then every
table of `sla.report.tables`, A4 landscape, in the report's language (`translation.override`):
its words, numbers and dates as the page shows them. Long cells wrap; every page after the first
repeats the title in a header, and every page carries the version, the inputs hash and its
number."""

from __future__ import annotations

import io
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
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from common.quantities import Duration, Quantity, number, text
from sla.report.content import ReportContent
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


def _cell(text: str, fits: int, style: ParagraphStyle) -> Any:
    return text if len(text) <= fits else Paragraph(escape(text), style)


def _table(table: Table, font: str, bold: str, width: float) -> list[Any]:
    styles = getSampleStyleSheet()
    heading = ParagraphStyle("h", parent=styles["Heading2"], fontName=bold, fontSize=12)
    cell = ParagraphStyle("c", fontName=font, fontSize=6.5, leading=8)
    head = ParagraphStyle("hc", fontName=bold, fontSize=6.5, leading=8)
    flow: list[Any] = [_para(table.title, font, heading)]
    rows = table.rows[:MAX_ROWS]
    if not rows:
        flow.append(Paragraph(escape(pgettext("report", "None.")), cell))
        return flow
    data = [[_para(h, font, head) for h in table.headers]]
    column = width / len(table.headers)
    fits = int(column / (6.5 * 0.55))  # characters of 6.5 pt text a column holds
    # Short values as plain strings (ten times faster to lay out); long ones wrap.
    data += [[_cell(_text(v, font), fits, cell) for v in row] for row in rows]
    grid = LongTable(data, repeatRows=1, colWidths=[column] * len(table.headers))
    style: list[Any] = [
        ("FONT", (0, 1), (-1, -1), font, 6.5),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde4ee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f7fa")]),
    ]
    # Columns of figures align right, as on the page.
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in _figure_columns(rows)]
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
    )
    width = page[0] - 2 * margin
    styles = getSampleStyleSheet()
    title = ParagraphStyle("t", parent=styles["Title"], fontName=bold, fontSize=16)
    body = ParagraphStyle("b", parent=styles["BodyText"], fontName=font, fontSize=8.5, leading=11)
    flow: list[Any] = [
        _para(heading, font, title),
        _para(f"{content.contract_title} · {content.operator}", font, body),
    ]
    if content.provisional:
        provisional = _(
            "Provisional: the monitoring does not yet reach far enough past the month's end"
        )
        flow.append(Paragraph(f"<b>{escape(provisional)}</b>", body))
    flow.append(Spacer(1, 4 * mm))
    by_key = {t.key: t for t in tables}
    flow += _table(by_key["summary"], font, bold, width * 0.6)
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
        "penalties",
        "adjustments",
        "outages",
        "quality",
    ):
        flow += [PageBreak(), *_table(by_key[key], font, bold, width)]
    flow += [PageBreak(), _para(by_key["annex"].title, font, title)]
    flow.append(_para(method_text(), font, body))
    flow += _table(by_key["annex"], font, bold, width)
    version = _("version %(number)s") % {"number": content.version}
    footer = f"{content.contract} {content.period} {version} · {content.inputs_hash[:16]}…"
    page_word = _("page %(number)s")

    def on_page(canvas: Any, document: Any) -> None:
        """Every page: the version, inputs hash and page number; after the first, the title."""
        canvas.saveState()
        canvas.setFont(font, 7)
        if document.page > 1:
            canvas.drawString(margin, page[1] - 9 * mm, heading)
            canvas.drawRightString(page[0] - margin, page[1] - 9 * mm, content.operator)
        canvas.drawString(margin, 8 * mm, footer)
        canvas.drawRightString(page[0] - margin, 8 * mm, page_word % {"number": document.page})
        canvas.restoreState()

    doc.build(flow, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
