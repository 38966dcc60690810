"""Say a flood once a minute, not once per connection.

Under a connection flood the same line would be logged thousands of times
a second (asyncio's "socket.accept() out of system resource" comes with a
traceback each time: 58 MB in 30 s), filling the disk and hiding
everything else. `FloodFilter` lets the first record of a kind through,
then one a minute saying how many were held back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

INTERVAL_SECONDS = 60.0
# Records logged per connection or per request that a flood repeats.
FLOOD_MESSAGES = (
    "socket.accept() out of system resource",
    "too many connections",
    "Invalid HTTP request received.",
    "Exceeded concurrency limit.",
)


class FloodFilter(logging.Filter):
    """Pass one record per message kind (its first words) per interval, with a count."""

    def __init__(
        self,
        kinds: tuple[str, ...] = FLOOD_MESSAGES,
        *,
        interval: float = INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.kinds = kinds
        self.interval = interval
        self.clock = clock
        self._next: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        kind = next((kind for kind in self.kinds if message.startswith(kind)), None)
        if kind is None:
            return True
        now = self.clock()
        if now < self._next.get(kind, float("-inf")):
            self._held[kind] = self._held.get(kind, 0) + 1
            return False
        held = self._held.pop(kind, 0)
        self._next[kind] = now + self.interval
        first_line = message.splitlines()[0]
        if held:
            first_line += f" ({held} more like this in the last {self.interval:.0f} s)"
        record.msg, record.args = first_line, None
        # One traceback a minute is still noise: the message says what happened.
        record.exc_info = record.exc_text = None
        return True


def quiet_floods(loggers: tuple[str, ...] = ("asyncio", "uvicorn.error")) -> FloodFilter:
    """Install one shared FloodFilter on the loggers a flood writes to."""
    flood_filter = FloodFilter()
    for name in loggers:
        logging.getLogger(name).addFilter(flood_filter)
    return flood_filter
