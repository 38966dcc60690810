"""Benchmarks for printing: summaries that scale, and a sheet of flyers.

- Summary of 100,000 signatures against 1,000 (goal: at most 1.5x), split
  into the SQL aggregation and the whole PDF. The bare baseline is the
  same-sized `SELECT count(*)`, timed in the same run.
- A sheet of four A6 flyers: the time to make it.

Run with `make bench` (or `python -m tests.bench`); `run()` prints figures.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from kiosk.content import load_content
from kiosk.demo import fill_demo
from kiosk.documents import FlyerOptions, build_summary, make_flyer
from kiosk.store import open_store
from kiosk.store.models import Signature
from kiosk.store.summary_queries import SummaryScope, summarise

SIZES = (1_000, 100_000)
TODAY = date(2026, 6, 13)
RANGE = (date(2026, 1, 1), date(2026, 12, 31))


def _best(action: Callable[[], object], repeat: int = 11) -> float:
    """Median seconds of `repeat` runs after one warm-up."""
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _measure(size: int, folder: Path) -> dict[str, float]:
    content = load_content()
    store = open_store(folder / f"data-{size}")
    try:
        started = time.perf_counter()
        fill_demo(store, content, count=size, today=TODAY)
        fill_s = time.perf_counter() - started

        def count() -> int:
            with store.session() as session:
                return session.scalar(select(func.count()).select_from(Signature)) or 0

        def queries() -> object:
            with store.session() as session:
                return summarise(session, SummaryScope(start=RANGE[0], end=RANGE[1]))

        def pdf() -> bytes:
            return build_summary(store, content, start=RANGE[0], end=RANGE[1])

        return {
            "fill": fill_s,
            "count": _best(count),
            "queries": _best(queries),
            "pdf": _best(pdf),
        }
    finally:
        store.close()


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="klimatavtal-bench-") as folder:
        results = {size: _measure(size, Path(folder)) for size in SIZES}
    small, large = (results[size] for size in SIZES)
    print("Summary of a date range (median of 11):")
    print(f"  {'':28}{'1,000':>12}{'100,000':>12}{'ratio':>8}")
    for key, label in (
        ("count", "baseline SELECT count(*)"),
        ("queries", "summary queries (SQL)"),
        ("pdf", "summary PDF (queries + PDF)"),
    ):
        ratio = large[key] / small[key]
        print(f"  {label:28}{small[key] * 1000:>10.1f}ms{large[key] * 1000:>10.1f}ms{ratio:>7.2f}x")
    goal = large["pdf"] / small["pdf"]
    verdict = "meets" if goal <= 1.5 else "MISSES"
    print(f"  goal: summary PDF at 100,000 within 1.5x of 1,000 -> {goal:.2f}x ({verdict})")
    print(f"  (demo fill: {small['fill']:.1f} s and {large['fill']:.1f} s, not part of the goal)")

    content = load_content()
    sheet = _best(lambda: make_flyer(content, FlyerOptions(size="a6", up=4)))
    single = _best(lambda: make_flyer(content, FlyerOptions(size="a6")))
    print("Flyers (median of 11):")
    print(f"  one A6 flyer:                {single * 1000:8.1f} ms")
    print(f"  a sheet of four A6 flyers:   {sheet * 1000:8.1f} ms")


if __name__ == "__main__":
    run()
