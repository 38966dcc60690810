"""The central store's public pages: the signer's withdrawal page and the live counter.

`mount(app, settings, store)` adds them to the app `create_app` builds. They
face the open internet: plain forms without JavaScript, CSP without inline
script or style, rate limits in the database, and a counter that a traffic
spike never carries through to the database.
"""

from __future__ import annotations

from fastapi import FastAPI

from sync.protocol import Stats
from sync.server import repository
from sync.server.db import CentralStore
from sync.server.public import widget, withdraw
from sync.server.public.counter import StatsCache
from sync.server.public.security import FormTokens
from sync.server.public.state import PublicState
from sync.server.ratelimit import RateLimiter
from sync.server.settings import Settings


def mount(app: FastAPI, settings: Settings, store: CentralStore) -> None:
    def load() -> Stats:
        with store.session() as session:
            return repository.public_stats(session, goal=settings.goal)

    app.state.public = PublicState(
        store=store,
        limiter=RateLimiter(store),
        tokens=FormTokens(store),
        cache=StatsCache(load),
        goal=settings.goal,
    )
    app.include_router(widget.router)
    app.include_router(withdraw.router)
