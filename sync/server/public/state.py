"""What the public pages share per app: the store, rate limiter, form tokens, cache."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from sqlalchemy.orm import Session

from sync.protocol import Stats
from sync.server import repository
from sync.server.console.queries import campaign_goal
from sync.server.db import CentralStore
from sync.server.devices import device_for_token
from sync.server.public.counter import StatsCache
from sync.server.ratelimit import RateLimiter
from sync.server.web.address import client_address
from sync.server.web.csrf import FormTokens

TEMPLATES = Path(__file__).resolve().parent / "templates"
__all__ = ["TEMPLATES", "PublicState", "client_address", "get_public"]


@dataclass
class PublicState:
    store: CentralStore
    limiter: RateLimiter
    tokens: FormTokens
    cache: StatsCache
    # `serve --goal`: the goal until an organiser sets one in the console.
    default_goal: int | None = None

    def stats(self) -> Stats:
        """The figures of this moment, with the console's goal (else the default)."""
        with self.store.session() as session:
            return self._stats(session)

    def fresh_stats(self, token: str) -> Stats | None:
        """The figures of this moment for a kiosk with a valid token, else None: one
        session (one connection from the pool) for the token and the figures."""
        with self.store.session() as session:
            if device_for_token(session, token) is None:
                return None
            return self._stats(session)

    def _stats(self, session: Session) -> Stats:
        goal = campaign_goal(session, default=self.default_goal)
        return repository.public_stats(session, goal=goal)

    def withdraw(self, code: str) -> None:
        with self.store.session() as session:
            repository.withdraw(session, code=code)
            session.commit()


async def get_public(request: Request) -> PublicState:
    """async: a plain `def` dependency would take a trip to the thread pool."""
    state: PublicState = request.app.state.public
    return state
