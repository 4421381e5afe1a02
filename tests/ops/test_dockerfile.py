"""The Dockerfile at lint level (hadolint is not packaged for Debian): pinned base image, a
non-root user, a health check on /health, `menhir` as the entry point, tidy apt layers, and every
Python package of the project copied into the build."""

from __future__ import annotations

import re
import tomllib

from menhir.cli import own_commands
from menhir.env import PROJECT_DIR
from tests.ops.deployfiles import Instruction, dockerfile, exec_form, project_path


def final_stage(instructions: list[Instruction]) -> list[Instruction]:
    last = max(i.stage for i in instructions)
    return [i for i in instructions if i.stage == last]


def test_base_image_is_python_311_slim_and_pinned() -> None:
    instructions = dockerfile()
    args = {
        i.args.split("=", 1)[0]: i.args.split("=", 1)[1]
        for i in instructions
        if i.keyword == "ARG" and "=" in i.args
    }
    for line in (i for i in instructions if i.keyword == "FROM"):
        image = line.args.split()[0]
        image = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], image)
        assert re.fullmatch(r"python:3\.11\.\d+-slim-[a-z]+", image), image
    assert sum(1 for i in instructions if i.keyword == "FROM") == 2  # build, then runtime


def test_runs_as_a_non_root_user_with_menhir_as_entry_point() -> None:
    stage = final_stage(dockerfile())
    users = [i for i in stage if i.keyword == "USER"]
    assert users, "no USER: the container would run as root"
    assert users[-1].args not in {"root", "0", "0:0"}
    user_at = stage.index(users[-1])
    entry = next(i for i in stage if i.keyword == "ENTRYPOINT")
    assert stage.index(entry) > user_at
    argv = exec_form(entry.args)
    assert argv[-1] == "menhir"
    assert argv[0] == "tini"  # PID 1 reaps gunicorn's, Celery's and the lab's children
    command = exec_form(next(i for i in stage if i.keyword == "CMD").args)
    assert command[0] in own_commands()
    assert "useradd" in " ".join(i.args for i in stage if i.keyword == "RUN")


def test_health_check_probes_health_on_the_exposed_port() -> None:
    stage = final_stage(dockerfile())
    checks = [i for i in stage if i.keyword == "HEALTHCHECK"]
    assert len(checks) == 1
    assert re.search(r"--interval=\d+s", checks[0].args)
    assert re.search(r"--timeout=\d+s", checks[0].args)
    exposed = next(i for i in stage if i.keyword == "EXPOSE").args
    assert f"127.0.0.1:{exposed}/health" in checks[0].args
    command = exec_form(next(i for i in stage if i.keyword == "CMD").args)
    assert command[command.index("--port") + 1] == exposed
    assert command[command.index("--host") + 1] == "0.0.0.0"


def test_apt_layers_are_tidy_and_nothing_is_fetched_by_add() -> None:
    instructions = dockerfile()
    for run in (i for i in instructions if i.keyword == "RUN" and "apt-get install" in i.args):
        assert "--no-install-recommends" in run.args
        assert "-y" in run.args.split()
        assert "apt-get update" in run.args, "update and install in one layer"
        assert "rm -rf /var/lib/apt/lists/*" in run.args
    assert not [i for i in instructions if i.keyword == "ADD"], "COPY, never ADD"
    assert not [i for i in instructions if i.keyword == "MAINTAINER"]


def test_every_project_package_is_copied_and_every_copy_exists() -> None:
    config = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())
    packages = {p.rstrip("*") for p in config["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied: set[str] = set()
    for line in (i for i in dockerfile() if i.keyword == "COPY"):
        if line.args.startswith("--from="):
            continue
        *sources, _ = line.args.split()
        for source in sources:
            assert project_path(source).exists(), source
            copied.add(source.strip("./"))
    assert packages <= copied, f"not copied into the image: {packages - copied}"
    assert {"pyproject.toml", "README.md"} <= copied


def test_dockerignore_keeps_local_state_out() -> None:
    ignored = set((PROJECT_DIR / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".data", ".env"} <= ignored


def test_every_python_package_of_the_project_is_installed() -> None:
    """`pip install .` (the image) ships every package the architecture contract names."""
    config = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())
    included = {p.rstrip("*") for p in config["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert set(config["tool"]["importlinter"]["root_packages"]) <= included


def test_the_front_end_libraries_come_from_the_lock_file_and_are_found_at_run_time() -> None:
    instructions = dockerfile()
    runs = " ".join(i.args for i in instructions if i.keyword == "RUN")
    assert "npm ci" in runs  # the committed package-lock.json, never `npm install`
    copies = [i.args for i in instructions if i.keyword == "COPY"]
    assert any("package-lock.json" in c for c in copies)
    env = " ".join(i.args for i in final_stage(instructions) if i.keyword == "ENV")
    target = re.search(r"MENHIR_VENDOR_DIR=(\S+)", env)
    assert target is not None
    assert f"mv node_modules {target.group(1)}" in runs
