"""Readers of the deployment files (docker-compose.yml, .env.example, Dockerfile) and of the
variables the settings read, shared by the validation tests."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from menhir.env import PROJECT_DIR

COMPOSE = PROJECT_DIR / "docker-compose.yml"
ENV_EXAMPLE = PROJECT_DIR / ".env.example"
DOCKERFILE = PROJECT_DIR / "Dockerfile"
README = PROJECT_DIR / "README.md"
SETTINGS = PROJECT_DIR / "menhir" / "settings.py"
VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<rest>[^}]*)\}")
ENV_LINE = re.compile(r"^\s*(?P<comment>#\s*)?(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")
SETTINGS_READ = re.compile(
    r"env_(?:str|bool|int|float|list|choice)\(\s*\"(?P<name>[A-Z][A-Z0-9_]*)\""
)
ENVIRON_READ = re.compile(r"os\.environ(?:\.get\(|\[)\s*\"(?P<name>[A-Z][A-Z0-9_]*)\"")


def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(data, dict)
    return data


def compose_variables(text: str | None = None) -> set[str]:
    """Every ${VAR} the compose file interpolates ($$ escapes excluded)."""
    source = (text if text is not None else COMPOSE.read_text()).replace("$$", "")
    return {m.group("name") for m in VARIABLE.finditer(source)}


def env_example() -> dict[str, tuple[str, bool]]:
    """NAME -> (value, set): a commented `# NAME=default` documents a variable left unset."""
    found: dict[str, tuple[str, bool]] = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = ENV_LINE.match(line)
        if match:
            found[match.group("name")] = (match.group("value"), not match.group("comment"))
    return found


def settings_variables() -> set[str]:
    """The environment variables menhir/settings.py reads."""
    return {m.group("name") for m in SETTINGS_READ.finditer(SETTINGS.read_text())}


def code_environ_variables() -> set[str]:
    """Menhir's variables read outside settings.py (the CLI, the data folder, the bootstrap)."""
    names: set[str] = set()
    for path in (PROJECT_DIR / "menhir").rglob("*.py"):
        text = path.read_text()
        names |= {m.group("name") for m in ENVIRON_READ.finditer(text)}
        names |= {m.group("name") for m in SETTINGS_READ.finditer(text)}
    return {n for n in names if n.startswith(("MENHIR_", "DATABASE_", "REDIS_", "CELERY_"))}


def readme_variables() -> set[str]:
    """Variables named in the README's configuration table (`A` / `_B` shorthand expanded)."""
    names: set[str] = set()
    for line in README.read_text().splitlines():
        if not line.startswith("| `"):
            continue
        cell = line.split("|")[1]
        ticks = re.findall(r"`([A-Z_][A-Z0-9_]*)`", cell)
        base = ""
        for tick in ticks:
            if tick.startswith("_") and base:
                # `MENHIR_SMTP_HOST` / `_PORT`: the suffix replaces the first's last word(s).
                stem = base.rsplit("_", tick.count("_"))[0]
                names.add(stem + tick)
            else:
                base = tick
                names.add(tick)
    return names


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str
    stage: int


def dockerfile() -> list[Instruction]:
    """The Dockerfile's instructions (continuations joined), each with its build stage."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    instructions: list[Instruction] = []
    stage = -1
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, args = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            stage += 1
        instructions.append(Instruction(keyword, " ".join(args.split()), stage))
    return instructions


def exec_form(args: str) -> list[str]:
    """A JSON-array instruction argument (CMD ["a", "b"]) or a shell-form one, as a list."""
    import json

    if args.startswith("["):
        value = json.loads(args)
        assert isinstance(value, list)
        return [str(v) for v in value]
    return shlex.split(args)


def project_path(relative: str) -> Path:
    return (PROJECT_DIR / relative).resolve()
