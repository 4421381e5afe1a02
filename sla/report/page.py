"""What the report's web page adds to its tables: the language it is shown in, the summary's
tiles and the chart, all in the active language (the view renders under
`translation.override(report_language(...))`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.quantities import amount, percent
from sla.models import PenaltyStatus
from sla.report.charts import availability_bars
from sla.report.content import ReportContent
from sla.report.standing import standing
from sla.report.tables import Table, build_tables, method_text

COLLAPSE_OVER = 12  # rows: a longer table is folded (<details>) with its count


def report_language(asked: str | None) -> str:
    """The language asked for (`?lang=fr`), else the reader's (the page's) language."""
    known = [code for code, _name in settings.LANGUAGES]
    if asked in known:
        return str(asked)
    current = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return current if current in known else settings.LANGUAGE_CODE


@dataclass(frozen=True)
class PageTable:
    """A table as the page lays it out: each cell's text, whether it is a figure, and the page
    of its evidence (a ticket, a link, a site, an incident) when there is one."""

    table: Table
    rows: list[list[tuple[str, bool, str]]]

    @property
    def key(self) -> str:
        return self.table.key

    @property
    def title(self) -> str:
        return self.table.title

    @property
    def headers(self) -> list[str]:
        return self.table.headers

    @property
    def count(self) -> int:
        return len(self.table.rows)

    @property
    def collapsed(self) -> bool:
        return self.count > COLLAPSE_OVER


Href = Callable[[list[Any]], str]


def _evidence(content: ReportContent) -> dict[str, dict[int, Href]]:
    """For each table, the columns whose cells link to their evidence."""
    by_circuit = content.sites
    by_code = {i.site_code: i for i in content.sites.values()}

    def link(value: Any) -> str:
        info = by_circuit.get(str(value))
        return reverse("inventory:link", args=[info.link_id]) if info else ""

    def site(value: Any) -> str:
        info = by_code.get(str(value))
        if info is None or info.establishment_id is None:
            return ""
        return reverse("inventory:establishment", args=[info.establishment_id])

    def ticket(value: Any) -> str:
        pk = content.ticket_pks.get(str(value))
        return reverse("alerting:ticket", args=[pk]) if pk else ""

    incidents = content.outage_incidents

    def incident(row: list[Any]) -> str:
        pk = incidents.get((str(row[0]), row[2]))
        return reverse("alerting:incident", args=[pk]) if pk else ""

    def col(i: int, to: Callable[[Any], str]) -> Href:
        return lambda row: to(row[i])

    return {
        "worst_sites": {0: col(0, site)},
        "tickets": {0: col(0, ticket), 1: col(1, link), 2: col(2, site)},
        "claims": {0: col(0, link), 1: col(1, site)},
        "capacity": {0: col(0, link), 1: col(1, site)},
        "service_quality": {0: col(0, link), 1: col(1, site)},
        "adjustments": {1: col(1, link), 2: col(2, site), 4: col(4, ticket)},
        "outages": {0: col(0, link), 1: col(1, site), 2: incident},
        "subscriptions": {0: col(0, link), 1: col(1, site)},
    }


def page_tables(content: ReportContent, tables: list[Table]) -> dict[str, PageTable]:
    evidence = _evidence(content)
    out = {}
    for t in tables:
        links = evidence.get(t.key, {})
        rows = [
            [
                (v, figure, links[i](raw) if i in links else "")
                for i, (v, figure) in enumerate(shown)
            ]
            for raw, shown in zip(t.rows, t.shown, strict=True)
        ]
        out[t.key] = PageTable(t, rows)
    return out


def contents(tables: dict[str, PageTable], pending_claims: int = 0) -> list[tuple[str, str, Any]]:
    """The table of contents: anchor, title, count of rows (None for a section of prose)."""
    entries: list[tuple[str, str, Any]] = [("summary", pgettext("report", "Summary"), None)]
    for key in ("by_class", "worst_sites", "by_category", "by_department", "tickets", "works"):
        entries.append((key, tables[key].title, tables[key].count))
    entries.append(("claims", tables["claims"].title, tables["claims"].count))
    if pending_claims:
        entries.append(("pending-claims", _("Pending claims"), pending_claims))
    for key in ("capacity", "service_quality"):
        entries.append((key, tables[key].title, tables[key].count))
    entries.append(("penalties", tables["penalties"].title, tables["penalties"].count))
    for key in ("adjustments", "outages", "quality"):
        entries.append((key, tables[key].title, tables[key].count))
    entries.append(("annex", _("Method annex"), None))
    return entries


def page_context(content: ReportContent) -> dict[str, Any]:
    s = content.summary
    tables = build_tables(content)
    shown = page_tables(content, tables)
    return {
        "c": content,
        "tables": shown,
        "toc": contents(shown),
        "standing": standing(content),
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
