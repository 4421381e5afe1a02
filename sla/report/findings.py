"""The data-quality findings of a report in the reader's language.

The inputs and the engine write each finding as one English sentence (`sla.calc.findings`); this
module recognises the sentence and says it again through gettext, with durations in the reader's
units. A sentence of no known kind (written by an older version) is shown as stored.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.quantities import duration
from sla.calc.findings import MISSING_SEPARATOR, recognise

SAYINGS = {
    "ticket_up_during": _(
        "Ticket %(ticket)s: the monitoring saw the link up for %(seconds)s of it."
    ),
    "declared_restoration": _(
        "Ticket %(ticket)s: no downtime evidence for it; the declared restoration is used."
    ),
    "late_reopening": _(
        "Ticket %(ticket)s: a reopening more than the reopening window after the restoration "
        "is not part of this ticket."
    ),
    "reopening_without_evidence": _("Ticket %(ticket)s: no downtime evidence for a reopening."),
    "never_acknowledged": _("Ticket %(ticket)s: never acknowledged; the GTI is not measured."),
    "outage_open": _("Subscription %(subscription)s: an outage is still open."),
    "recovery_unconfirmed": _(
        "Subscription %(subscription)s: an outage's recovery is not confirmed yet (the "
        "monitoring ends fewer than n_up up slots after it)."
    ),
    "insufficiently_measured": _(
        "Subscription %(subscription)s: coverage under 95 %%, insufficiently measured."
    ),
    "link_incomplete": _("Link %(link)s: no %(missing)s; left out of the figures."),
    "class_not_in_force": _(
        "Link %(link)s: service class %(service_class)s is not in force this month."
    ),
    "fault_start_after_opening": _(
        "Ticket %(ticket)s: fault start after its opening; the fault start is ignored."
    ),
    "reopening_before_restoration": _(
        "Ticket %(ticket)s: reopening at %(at)s UTC before the previous restoration; the "
        "reopening is ignored."
    ),
}

MISSING = {
    "service class": pgettext_lazy("missing", "service class"),
    "monthly fee": pgettext_lazy("missing", "monthly fee"),
    "service start": pgettext_lazy("missing", "service start"),
}


def _missing(value: str) -> str:
    words = [str(MISSING.get(word, word)) for word in value.split(MISSING_SEPARATOR)]
    return str(_(", no ")).join(words)


def say(text: str) -> str:
    """A stored finding in the active language."""
    recognised = recognise(text)
    if recognised is None:
        return text
    kind, params = recognised
    if "seconds" in params:
        params["seconds"] = duration(int(params["seconds"]))
    if "missing" in params:
        params["missing"] = _missing(params["missing"])
    return str(SAYINGS[kind]) % params
