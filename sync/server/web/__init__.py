"""The web base every HTML page of the store shares: the console's and the public ones.

`mount_web(app, store)` adds it once: the static files at /static, the
language link, one security-headers middleware with a policy per route
(`security`), and the CSRF defence (`csrf`). Pages render through
`pages.render` with words from `language.Words`.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from sync.server.db import CentralStore
from sync.server.web import language
from sync.server.web.csrf import CrossOriginGuard, FormTokens
from sync.server.web.pages import STATIC_DIR, STATIC_PATH
from sync.server.web.security import SecurityHeaders


def mount_web(app: FastAPI, store: CentralStore) -> None:
    app.state.form_tokens = FormTokens(store)
    app.include_router(language.router)
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(CrossOriginGuard)
    app.add_middleware(SecurityHeaders)
