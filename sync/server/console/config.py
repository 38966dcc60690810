"""What a test swaps in the console: its clock and how often the overview refreshes.

Everything an operator sets (behind a proxy, the idle time) is in the store's
`Settings` (sync/server/settings.py) and `serve`'s flags.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sync.server.devices import utc_now


@dataclass(frozen=True)
class ConsoleConfig:
    # UTC, naive (as the store's tables keep it); tests hand in a fake clock.
    clock: Callable[[], datetime] = field(default=utc_now)
    refresh_seconds: int = 30
