"""The console's own settings, until the store's pydantic settings carry them.

`behind_proxy` says the store runs behind a reverse proxy that terminates
https: only then are X-Forwarded-Proto / X-Forwarded-For believed (a client
talking to the store directly could otherwise claim to be anyone).
Environment: KLIMATAVTAL_STORE_BEHIND_PROXY=1.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sync.server.devices import utc_now

BEHIND_PROXY_ENV = "KLIMATAVTAL_STORE_BEHIND_PROXY"


@dataclass(frozen=True)
class ConsoleConfig:
    behind_proxy: bool = False
    idle: timedelta = timedelta(minutes=30)
    # UTC, naive (as the store's tables keep it); tests hand in a fake clock.
    clock: Callable[[], datetime] = field(default=utc_now)
    refresh_seconds: int = 30

    @classmethod
    def from_environment(cls) -> ConsoleConfig:
        return cls(behind_proxy=os.environ.get(BEHIND_PROXY_ENV, "") in ("1", "true", "yes"))
