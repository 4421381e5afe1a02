"""What the report's web page adds to its tables: the language it is shown in, the summary's
tiles and the chart, all in the active language (the view renders under
`translation.override(report_language(...))`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation

from common.quantities import amount, percent
from sla.models import PenaltyStatus
from sla.report.charts import availability_bars
from sla.report.content import ReportContent
from sla.report.tables import build_tables, method_text


def report_language(asked: str | None) -> str:
    """The language asked for (`?lang=fr`), else the reader's (the page's) language."""
    known = [code for code, _name in settings.LANGUAGES]
    if asked in known:
        return str(asked)
    current = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return current if current in known else settings.LANGUAGE_CODE


def page_context(content: ReportContent) -> dict[str, Any]:
    s = content.summary
    return {
        "c": content,
        "tables": {t.key: t for t in build_tables(content)},
        "chart": availability_bars(content.by_class),
        "method_text": method_text(),
        "status_choices": PenaltyStatus.choices,
        "tiles": {
            "fleet": percent(s.fleet_availability_pct),
            "gtr": percent(s.gtr_compliance_pct),
            "proposed": amount(s.proposed_ht),
            "coverage": percent(s.coverage_pct),
        },
    }
