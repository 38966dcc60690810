"""Time for the kiosk: the wall clock, which can be wrong, and a monotonic one, which cannot jump.

The flow and the volunteer panel take a clock, so their tests move a fake
one instead of waiting on real timers.

A laptop whose clock reset (a flat battery at an offline stall) says it
is 1970; one set by hand may be years ahead. Signatures saved then must
be kept and marked (`clock_unreliable`), and the volunteer must hear of
it before anyone signs: `clock_problem` says so in plain words. Waits
that must not follow the wall clock (the PIN lockout) use `monotonic`.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol

# Before this the wall clock is wrong: no kiosk ran earlier (well before this build).
EARLIEST_PLAUSIBLE = datetime(2020, 1, 1, tzinfo=UTC)
# After this the clock was set by hand far ahead.
LATEST_PLAUSIBLE = datetime(2100, 1, 1, tzinfo=UTC)
FIX = (
    "Set the laptop's date and time (system settings, or connect it to a network "
    "so it sets itself), then restart the kiosk. Signatures saved meanwhile are kept "
    "and marked as having an unreliable time."
)


class Clock(Protocol):
    """Where the kiosk reads the time; tests pass a fake one."""

    def wall(self) -> float:
        """Seconds since the epoch, as the laptop's clock says (it may be wrong)."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary start that never jumps (since boot, here)."""
        ...


class SystemClock:
    """The laptop's own clocks."""

    def wall(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()


def clock_problem(now: datetime) -> str | None:
    """What is wrong with a wall-clock reading, in plain words with the fix; None when plausible."""
    moment = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    if moment < EARLIEST_PLAUSIBLE:
        return f"The laptop's clock says {moment:%Y-%m-%d}, which cannot be right. {FIX}"
    if moment >= LATEST_PLAUSIBLE:
        return f"The laptop's clock says {moment:%Y-%m-%d}, far in the future. {FIX}"
    return None


def current_clock_problem(clock: Clock | None = None) -> str | None:
    """The problem with this laptop's clock right now (for the volunteer panel and `status`)."""
    seconds = (clock or SystemClock()).wall()
    return clock_problem(datetime.fromtimestamp(seconds, UTC))


def local_now(clock: Clock) -> datetime:
    """The wall clock's time as an aware local datetime."""
    return datetime.fromtimestamp(clock.wall()).astimezone()
