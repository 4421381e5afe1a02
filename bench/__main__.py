"""Run every benchmark module `bench/bench_*.py`; each has `run() -> list[Figure]`.

`python -m bench [NAME ...]` runs only the modules whose name contains one of NAME.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import traceback

import bench


def main(argv: list[str]) -> int:
    modules = pkgutil.iter_modules(bench.__path__)
    names = sorted(m.name for m in modules if m.name.startswith("bench_"))
    if argv:
        names = [n for n in names if any(a in n for a in argv)]
    failed = 0
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        try:
            for figure in module.run():
                print(figure.line(), flush=True)
        except Exception:  # a broken benchmark is reported, the others still run
            failed += 1
            print(f"# {name} failed:", file=sys.stderr)
            traceback.print_exc()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
