"""Run every tests/bench/bench_*.py, or those whose name contains a filter.

python -m tests.bench            # all
python -m tests.bench store      # bench_store.py only (make bench ARGS=store)
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover(filters: list[str]) -> list[str]:
    names = sorted(path.stem for path in HERE.glob("bench_*.py"))
    if filters:
        names = [name for name in names if any(word in name for word in filters)]
    return names


def main(argv: list[str]) -> int:
    names = discover(argv)
    if not names:
        print(
            f"no benchmark matches {' '.join(argv)!r}; there are: "
            f"{', '.join(discover([])) or 'none'}",
            file=sys.stderr,
        )
        return 2
    failed = []
    for name in names:
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        try:
            importlib.import_module(f"{__package__}.{name}").run()
        except Exception:
            traceback.print_exc()
            failed.append(name)
        print(f"   ({time.perf_counter() - start:.1f} s)\n", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
