"""Benchmarks: `make bench` (`python -m tests.bench [FILTER]`).

Each `bench_*.py` here has a `run()` that measures something and prints its
figures next to a bare baseline measured in the same run, with the ratio
and the goal from the issue. They are not timed tests: a slow machine
prints bigger numbers, not a failure. pytest does not collect them.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def percentile(samples: list[float], fraction: float) -> float:
    """The value below which `fraction` of the samples lie (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def timed(action: Callable[[], object]) -> float:
    """Seconds one call takes, by the monotonic high-resolution clock."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def report(label: str, samples: list[float], unit: str = "ms", scale: float = 1000.0) -> None:
    print(
        f"  {label:<34} median {statistics.median(samples) * scale:8.3f} {unit}"
        f"   p95 {percentile(samples, 0.95) * scale:8.3f} {unit}   (n={len(samples)})"
    )


def ratio(label: str, measured: float, baseline: float, goal: float) -> float:
    """Print measured/baseline against the goal; return the ratio."""
    value = measured / baseline
    verdict = "within goal" if value <= goal else "ABOVE GOAL"
    print(f"  {label:<34} {value:6.2f}x   (goal ≤ {goal}x: {verdict})")
    return value
