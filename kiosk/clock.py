"""Time for the kiosk: the wall clock, which can be wrong, and a monotonic one, which cannot jump.

The flow and the volunteer panel take a clock, so their tests move a fake
one instead of waiting on real timers.

A laptop whose clock reset (a flat battery at an offline stall) says it
is 1970; one set by hand may be years ahead. Signatures saved then must
be kept and marked (`clock_unreliable`), and the volunteer must hear of
it before anyone signs: `clock_problem` says what is wrong, and
`ClockProblem.message` words it in the reader's language. Waits
that must not follow the wall clock (the PIN lockout) use `monotonic`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.i18n import Translator

# Before this the wall clock is wrong: no kiosk ran earlier (well before this build).
EARLIEST_PLAUSIBLE = datetime(2020, 1, 1, tzinfo=UTC)
# After this the clock was set by hand far ahead.
LATEST_PLAUSIBLE = datetime(2100, 1, 1, tzinfo=UTC)


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


@dataclass(frozen=True)
class ClockProblem:
    """An impossible wall-clock reading: the day the laptop says, and which way it is off."""

    day: date
    future: bool  # set far ahead (else: before any kiosk ran, a reset clock)

    def message(self, words: Translator) -> str:
        """What is wrong in plain words, the date as the translator writes dates, then the fix."""
        # TRANSLATORS: {date} is the day the laptop's wrong clock shows, "1 januari 1970".
        key = "volunteer.clock_future" if self.future else "volunteer.clock_past"
        return words(key, date=words.date(self.day)) + " " + words("volunteer.clock_fix")


def clock_problem(now: datetime) -> ClockProblem | None:
    """What is wrong with a wall-clock reading; None when plausible."""
    moment = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    if moment < EARLIEST_PLAUSIBLE:
        return ClockProblem(moment.date(), future=False)
    if moment >= LATEST_PLAUSIBLE:
        return ClockProblem(moment.date(), future=True)
    return None


def current_clock_problem(clock: Clock | None = None) -> ClockProblem | None:
    """The problem with this laptop's clock right now (for the volunteer panel and `status`)."""
    seconds = (clock or SystemClock()).wall()
    return clock_problem(datetime.fromtimestamp(seconds).astimezone())  # the day it shows here


def local_now(clock: Clock) -> datetime:
    """The wall clock's time as an aware local datetime."""
    return datetime.fromtimestamp(clock.wall()).astimezone()
