"""What the public pages share per app: the store, rate limiter, form tokens, cache."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from sync.protocol import Stats
from sync.server import repository
from sync.server.db import CentralStore
from sync.server.devices import device_for_token
from sync.server.public.counter import StatsCache
from sync.server.public.security import FormTokens
from sync.server.ratelimit import RateLimiter


@dataclass
class PublicState:
    store: CentralStore
    limiter: RateLimiter
    tokens: FormTokens
    cache: StatsCache

    goal: int | None = None

    def fresh_stats(self, token: str) -> Stats | None:
        """The figures of this moment for a kiosk with a valid token, else None."""
        with self.store.session() as session:
            if device_for_token(session, token) is None:
                return None
            return repository.public_stats(session, goal=self.goal)

    def withdraw(self, code: str) -> None:
        with self.store.session() as session:
            repository.withdraw(session, code=code)
            session.commit()


def get_public(request: Request) -> PublicState:
    state: PublicState = request.app.state.public
    return state
