"""Login and logout. A wrong password is counted per account and per address;
from the fifth in a row each one locks both for twice as long (30 s, 1 min, 2 min,
… up to an hour), and while locked not even the right password is tried."""

from __future__ import annotations

import math
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from sync.server.console import accounts, audit
from sync.server.console.deps import (
    SESSION_COOKIE,
    BadForm,
    ConfigDep,
    DbDep,
    FormDep,
    client_address,
    current_login,
    is_https,
    read_form,
    token_matches,
)
from sync.server.console.render import page
from sync.server.web.pages import page_language
from sync.server.web.words import Words

router = APIRouter(prefix="/console")
LOGIN_CSRF_COOKIE = "console_login_csrf"


def _login_form(request: Request, *, error: str | None = None, status_code: int = 200) -> Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = page(
        request, "login.html", login=None, error=error, login_csrf=token, status_code=status_code
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/console")
    return response


@router.get("/login")
def login_page(request: Request) -> Response:
    return _login_form(request)


@router.post("/login")
async def login(request: Request, db: DbDep, config: ConfigDep) -> Response:
    form = await read_form(request)
    words = Words(page_language(request))
    if not token_matches(request.cookies.get(LOGIN_CSRF_COOKIE, ""), form.get("csrf_token")) or (
        not request.cookies.get(LOGIN_CSRF_COOKIE)
    ):
        raise BadForm
    name, password = form.get("name", "").strip(), form.get("password", "")
    address = client_address(request, config)
    now = config.clock()
    keys = accounts.failure_keys(name, address)
    until = accounts.locked_until(db, keys=keys, now=now)
    if until is not None:
        seconds = math.ceil((until - now).total_seconds())
        audit.record(db, now=now, actor=name, action="login.locked", address=address)
        db.commit()
        return _login_form(
            request, error=words("console.login.locked", seconds=seconds), status_code=429
        )
    user = accounts.user_named(db, name)
    if user is None or not accounts.password_matches(user.password_hash, password):
        accounts.record_failure(db, keys=keys, now=now)
        audit.record(db, now=now, actor=name, action="login.failed", address=address)
        db.commit()
        return _login_form(request, error=words("console.login.wrong"), status_code=401)
    accounts.clear_failures(db, keys=keys)
    accounts.end_idle_sessions(db, now=now, idle=config.idle)
    token = accounts.start_session(db, user=user, now=now)
    audit.record(db, now=now, actor=user.name, action="login", address=address)
    db.commit()
    response = RedirectResponse("/console/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=is_https(request, config),
        path="/console",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/console")
    return response


@router.post("/logout")
def logout(
    request: Request,
    db: DbDep,
    config: ConfigDep,
    login: Annotated[accounts.Login, Depends(current_login)],
    _form: FormDep,
) -> Response:
    accounts.end_session(db, session_id=login.session_id)
    audit.record(
        db,
        now=config.clock(),
        actor=login.name,
        action="logout",
        address=client_address(request, config),
    )
    db.commit()
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response
