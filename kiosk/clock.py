"""Time, as the kiosk's logic asks for it: one small object a test can replace.

Timeouts and idle resets follow `monotonic()`, which never jumps when the
laptop's clock is set; records (event dates, the dashboard's "today") follow
`time()`, the wall clock. The flow and the volunteer panel take a clock, so
their tests move a fake one instead of waiting on real timers.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that only moves forward (timeouts, idle)."""
        ...

    def time(self) -> float:
        """Seconds since the epoch on the wall clock (what records show)."""
        ...


class SystemClock:
    """The real clocks of the machine."""

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()


def local_now(clock: Clock) -> datetime:
    """The wall clock's time as an aware local datetime."""
    return datetime.fromtimestamp(clock.time()).astimezone()
