"""The findings the SLA's input collection and engine report beside the figures.

Each kind of finding is one English sentence written once, here. The engine's JSON output and the
CLI print that sentence (a machine format people also read); the monthly report recognises it again
(`recognise`) to show it in the reader's language, so stored reports of earlier versions are
translated too.
"""

from __future__ import annotations

import re

TEMPLATES: dict[str, str] = {
    "ticket_up_during": "ticket {ticket}: monitoring saw the link UP for {seconds} s of it",
    "declared_restoration": (
        "ticket {ticket}: no downtime evidence for it, declared restoration used"
    ),
    "late_reopening": (
        "ticket {ticket}: reopening more than the reopen window after restoration "
        "is not part of this ticket"
    ),
    "reopening_without_evidence": "ticket {ticket}: no downtime evidence for a reopening",
    "never_acknowledged": "ticket {ticket}: never acknowledged, GTI not measured",
    "outage_open": "subscription {subscription}: an outage is still open",
    "recovery_unconfirmed": (
        "subscription {subscription}: an outage's recovery is not yet confirmed "
        "(the monitoring ends in fewer than n_up UP slots after it)"
    ),
    "insufficiently_measured": (
        "subscription {subscription}: coverage under 95 %, insufficiently measured"
    ),
    "link_incomplete": "link {link}: no {missing}; left out of the figures",
    "class_not_in_force": "link {link}: service class {service_class} not in force this month",
    "fault_start_after_opening": (
        "ticket {ticket}: fault start after its opening; fault start ignored"
    ),
    "reopening_before_restoration": (
        "ticket {ticket}: reopening at {at} before the previous restoration; reopening ignored"
    ),
}

#: What `link_incomplete` lists as missing, joined with ", no ".
MISSING_SEPARATOR = ", no "


def finding(kind: str, **params: object) -> str:
    """The English sentence of a finding of this kind."""
    return TEMPLATES[kind].format(**params)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$")


_PATTERNS = {kind: _pattern(template) for kind, template in TEMPLATES.items()}


def recognise(text: str) -> tuple[str, dict[str, str]] | None:
    """The kind and parameters of a finding's sentence; None for a sentence of no known kind."""
    for kind, pattern in _PATTERNS.items():
        match = pattern.match(text)
        if match is not None:
            return kind, match.groupdict()
    return None
