"""Dependencies of every console route: the database, who is logged in, their role,
and a checked form (its CSRF token, `sync.server.web.csrf`). Roles are checked here,
on the server, for every route; hiding a link is only a courtesy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from sync.server.console import audit
from sync.server.console.accounts import Login, login_for, role_at_least
from sync.server.console.config import ConsoleConfig
from sync.server.web.address import client_address
from sync.server.web.csrf import FIELD, get_tokens

SESSION_COOKIE = "console_session"
MAX_FORM_BYTES = 64 * 1024


class LoginRequired(Exception):
    """No valid session: a page goes to the login form, a form post is refused."""


class Forbidden(Exception):
    """Logged in, but this role may not do this (403)."""


class BadForm(Exception):
    """The form's CSRF token is missing or wrong (403): nothing was changed."""


def get_config(request: Request) -> ConsoleConfig:
    config: ConsoleConfig = request.app.state.console_config
    return config


ConfigDep = Annotated[ConsoleConfig, Depends(get_config)]


def get_db(request: Request) -> Iterator[Session]:
    session = request.app.state.store.session()
    try:
        yield session
    finally:
        session.close()


DbDep = Annotated[Session, Depends(get_db)]


def idle_time(request: Request) -> timedelta:
    """How long a login lasts without a request (Settings.console_idle_minutes)."""
    return timedelta(minutes=request.app.state.settings.console_idle_minutes)


def current_login(request: Request, db: DbDep, config: ConfigDep) -> Login:
    token = request.cookies.get(SESSION_COOKIE)
    login = None
    if token:
        login = login_for(db, token=token, now=config.clock(), idle=idle_time(request))
    if login is None:
        raise LoginRequired
    return login


def role(needed: str):  # type: ignore[no-untyped-def]
    """A dependency: the login, if its role is at least `needed`; else 403."""

    def check(login: Annotated[Login, Depends(current_login)]) -> Login:
        if not role_at_least(login.role, needed):
            raise Forbidden
        return login

    return check


Viewer = Annotated[Login, Depends(role("viewer"))]
Organiser = Annotated[Login, Depends(role("organiser"))]
Admin = Annotated[Login, Depends(role("admin"))]


async def read_form(request: Request) -> dict[str, str]:
    """An urlencoded form as a dict of first values (the console posts no files)."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise BadForm
    parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {key: values[0] for key, values in parsed.items()}


async def checked_form(
    request: Request, login: Annotated[Login, Depends(current_login)]
) -> dict[str, str]:
    """The posted form, once its CSRF token matches this session's."""
    form = await read_form(request)
    given = form.pop(FIELD, None) or request.headers.get("x-csrf-token")
    if not get_tokens(request).matches(login.csrf_token, given):
        raise BadForm
    return form


FormDep = Annotated[dict[str, str], Depends(checked_form)]


def audit_action(
    request: Request, config: ConsoleConfig, db: Session, login: Login, *, action: str, detail: str
) -> None:
    """Add to the audit log what the logged-in user just did, and from which address;
    the caller commits it together with the change itself."""
    audit.record(
        db,
        now=config.clock(),
        actor=login.name,
        action=action,
        detail=detail,
        address=client_address(request),
    )
