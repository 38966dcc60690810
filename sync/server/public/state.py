"""What the public pages share per app: the store, rate limiter, form tokens, cache."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from sync.server import repository
from sync.server.db import CentralStore
from sync.server.public.counter import StatsCache
from sync.server.public.security import FormTokens
from sync.server.ratelimit import RateLimiter


@dataclass
class PublicState:
    store: CentralStore
    limiter: RateLimiter
    tokens: FormTokens
    cache: StatsCache

    def withdraw(self, code: str) -> None:
        with self.store.session() as session:
            repository.withdraw(session, code=code)
            session.commit()


def get_public(request: Request) -> PublicState:
    state: PublicState = request.app.state.public
    return state
