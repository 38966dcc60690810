"""The organiser console at /console/: logins, users, the campaign's figures, kiosks,
events, tallies, exports, withdrawals and the audit log, as server-rendered pages.

`mount_console(app)` adds its routers and the device-authenticated calendar
API to the store's app; the web base they render with (static files,
security headers, CSRF) is `sync.server.web`, mounted once by `create_app`.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response

from sync.server.console import (
    auditlog,
    auth,
    calendar_api,
    events,
    export,
    kiosks,
    overview,
    tallies,
    users,
    withdrawals,
)
from sync.server.console.config import ConsoleConfig
from sync.server.console.deps import BadForm, Forbidden, LoginRequired
from sync.server.console.render import page
from sync.server.web.language import Words, page_language


def mount_console(app: FastAPI, config: ConsoleConfig | None = None) -> None:
    app.state.console_config = config or ConsoleConfig()
    for module in (
        auth,
        overview,
        kiosks,
        events,
        tallies,
        export,
        users,
        withdrawals,
        auditlog,
    ):
        app.include_router(module.router, include_in_schema=False)
    app.include_router(calendar_api.router)
    app.add_exception_handler(LoginRequired, _login_required)  # type: ignore[arg-type]
    app.add_exception_handler(Forbidden, _forbidden)  # type: ignore[arg-type]
    app.add_exception_handler(BadForm, _bad_form)  # type: ignore[arg-type]

    @app.get("/console", include_in_schema=False)
    def _slash() -> Response:
        return RedirectResponse("/console/", status_code=308)


def _problem(request: Request, key: str, status_code: int) -> Response:
    words = Words(page_language(request))
    return page(request, "problem.html", login=None, message=words(key), status_code=status_code)


async def _login_required(request: Request, _exc: LoginRequired) -> Response:
    if request.method in ("GET", "HEAD"):
        return RedirectResponse("/console/login", status_code=303)
    return _problem(request, "console.error.login_required", 401)


async def _forbidden(request: Request, _exc: Forbidden) -> Response:
    return _problem(request, "console.error.forbidden", 403)


async def _bad_form(request: Request, _exc: BadForm) -> Response:
    return _problem(request, "console.error.bad_form", 403)
