"""The translation catalogues: one per app (`<app>/locale/fr/LC_MESSAGES/django.po`, and
`djangojs.po` where the app has scripts), English as the source language, French translated.

`python -m menhir.catalogues` re-extracts every catalogue after a change to the marked strings;
`make install` compiles them (msgfmt, from Debian's gettext). Tests check that the extraction is up
to date and that every entry is translated.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib

from menhir.env import PROJECT_DIR

LANGUAGES = ("fr",)
APPS = (
    "common",
    "core",
    "inventory",
    "poller",
    "metrics",
    "topology",
    "alerting",
    "sla",
    "dashboards",
    "menhir",
)
# Apps whose static scripts hold strings.
SCRIPT_APPS = ("menhir", "dashboards", "topology", "alerting")


def extract(root: Path = PROJECT_DIR, apps: tuple[str, ...] = APPS) -> None:
    """Run makemessages inside each app's directory under `root` (the app's own catalogue)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "menhir.settings"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_DIR), env.get("PYTHONPATH")]))
    for app in apps:
        domains = ["django", "djangojs"] if app in SCRIPT_APPS else ["django"]
        (root / app / "locale").mkdir(exist_ok=True)
        for domain in domains:
            command = [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "--domain",
                domain,
                "--no-wrap",
                "--add-location=file",
                "--no-obsolete",
                "--ignore",
                "locale",
                "--ignore",
                "migrations",
                *[f"--locale={lang}" for lang in LANGUAGES],
            ]
            subprocess.run(command, cwd=root / app, env=env, check=True, capture_output=True)
    for path in catalogue_files(root):
        _own_header(path)


HEADER = {
    "Project-Id-Version": "Menhir",
    "Report-Msgid-Bugs-To": "",
    "Last-Translator": "Menhir <menhir@localhost>",
    "Language-Team": "French",
    "Language": "fr",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n > 1);",
}


def _own_header(path: Path) -> None:
    """A new catalogue comes with gettext's template header, marked fuzzy (which would make
    msgfmt and Django skip it): give it Menhir's."""
    catalogue = polib.pofile(str(path), wrapwidth=0)
    if not catalogue.metadata_is_fuzzy:
        return
    created = catalogue.metadata.get("POT-Creation-Date", "")
    catalogue.metadata = {**HEADER, "POT-Creation-Date": created, "PO-Revision-Date": created}
    catalogue.metadata_is_fuzzy = False
    catalogue.header = "Menhir's French catalogue. English is the source language."
    catalogue.save()


def catalogue_files(root: Path = PROJECT_DIR) -> list[Path]:
    return sorted(root.glob("*/locale/*/LC_MESSAGES/*.po"))


if __name__ == "__main__":
    extract()
    for path in catalogue_files():
        print(path.relative_to(PROJECT_DIR))
