"""The central store's public pages: the signer's withdrawal page and the live counter.

`mount(app, settings, store)` adds them to the app `create_app` builds. They
face the open internet: plain forms without JavaScript, rate limits in the
database, and a counter that a traffic spike never carries through to the
database. They render with the store's one web base (`sync.server.web`:
templates, stylesheet, security headers per route, CSRF), as the console does.
"""

from __future__ import annotations

from fastapi import FastAPI

from sync.server.db import CentralStore
from sync.server.public import widget, withdraw
from sync.server.public.counter import StatsCache
from sync.server.public.state import PublicState
from sync.server.ratelimit import RateLimiter
from sync.server.settings import Settings


def mount(app: FastAPI, settings: Settings, store: CentralStore) -> None:
    public = PublicState(
        store=store,
        limiter=RateLimiter(store),
        tokens=app.state.form_tokens,
        cache=StatsCache(lambda: public.stats()),
        default_goal=settings.goal,
    )
    app.state.public = public
    app.include_router(widget.router)
    app.include_router(withdraw.router)
