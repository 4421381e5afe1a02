"""Data-quality findings: written once in English, recognised, said in the reader's language."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from sla.calc.findings import TEMPLATES, finding, recognise
from sla.report.findings import SAYINGS, say


def _params(template: str) -> dict[str, str]:
    return {
        name: "3600" if name == "seconds" else f"T-{name}"
        for name in re.findall(r"\{(\w+)\}", template)
    }


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_every_kind_is_recognised_from_its_sentence_and_has_a_saying(kind: str) -> None:
    params = _params(TEMPLATES[kind])
    assert recognise(finding(kind, **params)) == (kind, params)
    assert kind in SAYINGS


def test_a_sentence_of_no_known_kind_is_shown_as_stored() -> None:
    assert recognise("something an older version wrote") is None
    assert say("something an older version wrote") == "something an older version wrote"


def test_findings_in_french_with_durations_and_missing_fields_translated() -> None:
    up = finding("ticket_up_during", ticket="T2", seconds=3900)
    incomplete = finding("link_incomplete", link="CIR-1", missing="service class, no monthly fee")
    hours = "1\xa0h 05\xa0min"
    with translation.override("fr"):
        assert (
            say(up)
            == f"Ticket T2 : la supervision a vu le lien actif pendant {hours} de ce ticket."
        )
        assert say(incomplete) == (
            "Lien CIR-1 : pas de classe de service, pas de redevance mensuelle ; "
            "écarté des chiffres."
        )
    with translation.override("en"):
        assert say(up) == f"Ticket T2: the monitoring saw the link up for {hours} of it."
        assert say(incomplete) == (
            "Link CIR-1: no service class, no monthly fee; left out of the figures."
        )
