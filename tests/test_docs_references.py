"""The repository explains itself: every document that code, tests and docs cite exists in it,
and none cites the design notes that live outside the repository."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CITED = re.compile(r"(?<![\w/.\[-])((?:\.\./)*(?:docs/)?[\w./-]*[\w-]+\.md)\b")
OUTSIDE = re.compile(r"(?<![\w/])(ARCHITECTURE\.md|CONVENTIONS\.md|SNMP-NOTES|SLA\.md)")


def tracked(*patterns: str) -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", *patterns], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [ROOT / line for line in out.splitlines()]


def test_no_file_cites_the_design_notes_outside_the_repository() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in tracked("*.py", "*.md", "*.html")
        if path != Path(__file__).resolve()  # this file names them to look for them
        for m in OUTSIDE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_every_cited_document_exists() -> None:
    missing = []
    for path in tracked("*.py", "*.md", "*.html"):
        for m in CITED.finditer(path.read_text(encoding="utf-8")):
            cited = m.group(1)
            if "/" not in cited and path.suffix != ".md":
                continue  # a bare name in code ("README.md") is checked below
            base = path.parent if path.suffix == ".md" and not cited.startswith("docs/") else ROOT
            if not (base / cited).resolve().exists() and not (ROOT / cited).exists():
                missing.append(f"{path.relative_to(ROOT)} cites {cited}")
    assert missing == []
