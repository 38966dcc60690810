"""Rendering a console page: the shared web base plus the console's nav and login."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse

from sync.server.console.accounts import Login, role_at_least
from sync.server.web.csrf import get_tokens
from sync.server.web.pages import render

TEMPLATES = Path(__file__).resolve().parent / "templates"

# (path, words key, role needed): the nav shows only what the role may open.
NAV = (
    ("/console/", "console.nav.overview", "viewer"),
    ("/console/events", "console.nav.events", "organiser"),
    ("/console/kiosks", "console.nav.kiosks", "organiser"),
    ("/console/tallies", "console.nav.tallies", "organiser"),
    ("/console/export", "console.nav.export", "organiser"),
    ("/console/users", "console.nav.users", "admin"),
    ("/console/withdrawals", "console.nav.withdrawals", "admin"),
    ("/console/audit", "console.nav.audit", "admin"),
)


def page(
    request: Request,
    template: str,
    *,
    login: Login | None,
    status_code: int = 200,
    **values: object,
) -> HTMLResponse:
    nav = [(path, key) for path, key, needed in NAV if login and role_at_least(login.role, needed)]
    return render(
        request,
        template,
        extra_dirs=(TEMPLATES,),
        status_code=status_code,
        login=login,
        nav=nav,
        current_path=request.url.path,
        # The form token is an HMAC of the session's secret (sync.server.web.csrf).
        csrf_token=get_tokens(request).token_for(login.csrf_token) if login else "",
        can=lambda needed: bool(login and role_at_least(login.role, needed)),
        **values,
    )
