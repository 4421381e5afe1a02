"""The demo's banner is not wrapped (issue 16, point 9): a URL or a path cut across two lines
cannot be clicked or copied."""

from __future__ import annotations

from menhir.cli.serve import console


def test_a_long_banner_line_stays_one_line_on_a_narrow_terminal() -> None:
    line = "  SLA:       http://127.0.0.1:8000/sla/reports/LOT-2026-01/2026-11/" + "x" * 120
    width = console.width
    console.width = 60
    try:
        with console.capture() as captured:
            console.print(line)
    finally:
        console.width = width
    assert captured.get() == line + "\n"
