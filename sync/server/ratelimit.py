"""Rate limits whose counts live in the store's database, so they hold across every
server process (`serve --workers N`) and survive a restart.

A fixed window per limit: one upsert counts a request and returns the count so
far (INSERT ... ON CONFLICT DO UPDATE ... RETURNING, atomic on SQLite and
PostgreSQL alike). Addresses are kept only as a truncated SHA-256: the table
holds no IP address. The first request of a new window clears that limit's old
windows, so the table stays small without a cleaning job.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, delete
from sqlalchemy.dialects import postgresql, sqlite

from sync.server.db import CentralStore
from sync.server.models import RateCount


@dataclass(frozen=True)
class Limit:
    """At most `requests` per `seconds` for one key (an address, or everyone)."""

    name: str
    requests: int
    seconds: int


class RateLimiter:
    def __init__(self, store: CentralStore, *, clock: Callable[[], float] = time.time):
        self.store = store
        self.clock = clock

    def hit(self, limit: Limit, who: str = "*") -> float | None:
        """Count one request of `who` under `limit`: None when allowed, else the seconds
        until the window ends (for Retry-After)."""
        now = self.clock()
        window = int(now // limit.seconds)
        key = f"{limit.name}:{_anonymous(who)}"
        table = cast(Table, RateCount.__table__)
        insert = postgresql.insert if self.store.dialect == "postgresql" else sqlite.insert
        statement = (
            insert(table)
            .values(key=key, window=window, count=1)
            .on_conflict_do_update(
                index_elements=["key", "window"], set_={"count": table.c.count + 1}
            )
            .returning(table.c.count)
        )
        with self.store.session() as session:
            count = int(session.execute(statement).scalar_one())
            if count == 1:
                session.execute(
                    delete(RateCount).where(
                        RateCount.key.startswith(f"{limit.name}:", autoescape=True),
                        RateCount.window < window,
                    )
                )
            session.commit()
        if count <= limit.requests:
            return None
        return (window + 1) * limit.seconds - now


def _anonymous(who: str) -> str:
    return "*" if who == "*" else hashlib.sha256(who.encode("utf-8", "replace")).hexdigest()[:20]
