"""A clock the test moves by hand: no test waits for real time to pass."""

from __future__ import annotations

import time


class FakeClock:
    """Both kiosk clocks (see kiosk.clock), standing still until `advance`."""

    def __init__(self, wall: float | None = None):
        self._wall = time.time() if wall is None else wall  # today's date, for the dashboard
        self.elapsed = 0.0

    def monotonic(self) -> float:
        return self.elapsed

    def wall(self) -> float:
        return self._wall

    def advance(self, seconds: float) -> None:
        self.elapsed += seconds
        self._wall += seconds
