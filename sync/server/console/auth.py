"""Login and logout. A wrong password is counted per account and per address;
from the fifth in a row each one locks both for twice as long (30 s, 1 min, 2 min,
… up to an hour), and while locked not even the right password is tried."""

from __future__ import annotations

import math
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
    current_login,
    idle_time,
    read_form,
)
from sync.server.console.render import page
from sync.server.web.address import client_address, is_https
from sync.server.web.csrf import FIELD, get_tokens, set_nonce_cookie
from sync.server.web.language import Words, page_language

router = APIRouter(prefix="/console")


def _login_form(request: Request, *, error: str | None = None, status_code: int = 200) -> Response:
    """The login form; its CSRF token is tied to the browser's nonce cookie (no session yet)."""
    tokens = get_tokens(request)
    nonce, new = tokens.browser_nonce(request)
    response = page(
        request,
        "login.html",
        login=None,
        error=error,
        login_csrf=tokens.token_for(nonce),
        status_code=status_code,
    )
    if new:
        set_nonce_cookie(response, request, nonce)
    return response


@router.get("/login")
def login_page(request: Request) -> Response:
    return _login_form(request)


@router.post("/login")
async def login(request: Request, db: DbDep, config: ConfigDep) -> Response:
    form = await read_form(request)
    words = Words(page_language(request))
    if not get_tokens(request).browser_matches(request, form.get(FIELD)):
        raise BadForm
    name, password = form.get("name", "").strip(), form.get("password", "")
    address = client_address(request)
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
    accounts.end_idle_sessions(db, now=now, idle=idle_time(request))
    token = accounts.start_session(db, user=user, now=now)
    audit.record(db, now=now, actor=user.name, action="login", address=address)
    db.commit()
    response = RedirectResponse("/console/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=is_https(request),
        path="/console",
    )
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
        address=client_address(request),
    )
    db.commit()
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response
