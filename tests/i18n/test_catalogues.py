"""The translation catalogues (issue 17): every entry translated, none left fuzzy, no French that
is merely the English copied outside the reviewed shared words, the extraction up to date with
the code, and the compiled catalogues in step with their sources."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from menhir.catalogues import APPS, catalogue_files, extract
from menhir.env import PROJECT_DIR

SHARED_WORDS = {
    line.strip()
    for line in (Path(__file__).with_name("shared_words.txt")).read_text().splitlines()
    if line.strip() and not line.startswith("#")
}
CATALOGUES = catalogue_files()


def test_every_app_with_strings_has_its_french_catalogue() -> None:
    apps = {path.relative_to(PROJECT_DIR).parts[0] for path in CATALOGUES}
    assert {"menhir", "inventory", "alerting", "sla", "dashboards", "topology", "core"} <= apps


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(PROJECT_DIR)))
def test_the_catalogue_is_complete(path: Path) -> None:
    stats = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats, stats
    assert "fuzzy" not in stats, stats
    catalogue = polib.pofile(str(path))
    assert not catalogue.metadata_is_fuzzy
    assert catalogue.metadata["Language"] == "fr"
    copied = [
        e.msgid
        for e in catalogue
        if not e.msgid_plural and e.msgstr == e.msgid and e.msgid not in SHARED_WORDS
    ]
    assert copied == [], "French equal to the English, not in tests/i18n/shared_words.txt"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(PROJECT_DIR)))
def test_the_compiled_catalogue_is_in_step_with_its_source(path: Path) -> None:
    compiled = polib.mofile(str(path.with_suffix(".mo")))
    source = polib.pofile(str(path))
    assert {(e.msgid, e.msgstr) for e in compiled if not e.msgid_plural} == {
        (e.msgid, e.msgstr) for e in source if not e.msgid_plural and not e.obsolete
    }, "run make install: the .mo files are compiled from the .po files"


def _entries(path: Path) -> set[tuple[str, str, str]]:
    return {(e.msgid, e.msgid_plural, e.msgctxt or "") for e in polib.pofile(str(path))}


def test_the_extraction_is_up_to_date(tmp_path: Path) -> None:
    """makemessages on a copy of the code finds exactly the committed entries: a string marked
    for translation and not extracted (or extracted and since removed) fails here."""
    for app in APPS:
        shutil.copytree(
            PROJECT_DIR / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    extract(root=tmp_path)
    fresh = {p.relative_to(tmp_path) for p in catalogue_files(tmp_path)}
    assert fresh == {p.relative_to(PROJECT_DIR) for p in CATALOGUES}
    for relative in fresh:
        assert _entries(tmp_path / relative) == _entries(PROJECT_DIR / relative), (
            f"{relative}: run `python -m menhir.catalogues` and translate the new entries"
        )


def test_every_french_entry_is_what_a_page_shows() -> None:
    """No other catalogue (Django's admin, another app) shadows one of Menhir's translations."""
    from django.utils import translation

    shadowed = []
    with translation.override("fr"):
        for path in CATALOGUES:
            for entry in polib.pofile(str(path)):
                if entry.msgid_plural or path.name != "django.po":
                    continue
                shown = (
                    translation.pgettext(entry.msgctxt, entry.msgid)
                    if entry.msgctxt
                    else translation.gettext(entry.msgid)
                )
                if shown != entry.msgstr:
                    shadowed.append((str(path.relative_to(PROJECT_DIR)), entry.msgid, shown))
    assert shadowed == []
