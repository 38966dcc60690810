"""Users, for admins: list, add with a role, change a role or password, remove.

The same account functions as the `users` command (`sync.server.console.accounts`),
so a password is hashed one way and a rule is checked in one place; this page only
adds what a browser needs: the password typed twice, errors in the page's
language, a confirmation before removing, and an admin always left.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import RedirectResponse, Response

from sync.server.console import accounts
from sync.server.console.accounts import AccountError, Login
from sync.server.console.deps import Admin, ConfigDep, DbDep, FormDep, audit_action
from sync.server.console.render import page
from sync.server.models import ConsoleUser
from sync.server.web.language import Words, page_language

router = APIRouter(prefix="/console/users")

# AccountError.reason -> the words that explain it on the page.
ERRORS = {
    "name": "console.users.error.name",
    "role": "console.users.error.role",
    "short": "console.users.error.short",
    "exists": "console.users.error.exists",
    "missing": "console.users.error.missing",
    "last_admin": "console.users.error.last_admin",
    "differ": "console.users.error.differ",
}
# Each role's name in the page's language (literal keys, so `make translations` finds them).
ROLE_WORDS = {
    "viewer": "console.role.viewer",
    "organiser": "console.role.organiser",
    "admin": "console.role.admin",
}


def _error(request: Request, reason: str) -> str:
    return Words(page_language(request))(ERRORS[reason], min=accounts.MIN_PASSWORD)


def _list(request: Request, db: DbDep, login: Login, **values: Any) -> Response:
    values.setdefault("error", None)
    values.setdefault("added", {})
    return page(
        request,
        "users.html",
        login=login,
        users=accounts.list_users(db),
        roles=accounts.ROLES,
        role_words=ROLE_WORDS,
        min_password=accounts.MIN_PASSWORD,
        **values,
    )


def _user(db: DbDep, user_id: int) -> ConsoleUser:
    user = db.get(ConsoleUser, user_id)
    if user is None:
        raise HTTPException(404, "no such user")
    return user


def _edit(request: Request, login: Login, user: ConsoleUser, **values: Any) -> Response:
    values.setdefault("error", None)
    values.setdefault("message", None)
    return page(
        request,
        "user.html",
        login=login,
        user=user,
        roles=accounts.ROLES,
        role_words=ROLE_WORDS,
        min_password=accounts.MIN_PASSWORD,
        **values,
    )


def _twice(form: dict[str, str]) -> str:
    password = form.get("password", "")
    if password != form.get("password_again", ""):
        raise AccountError("differ", "the two passwords differ")
    return password


def _record(request: Request, config: ConfigDep, db: DbDep, login: Login, detail: str) -> None:
    audit_action(request, config, db, login, action="user.changed", detail=detail)
    db.commit()


@router.get("")
def users(request: Request, db: DbDep, login: Admin) -> Response:
    return _list(request, db, login)


@router.post("")
def add(request: Request, db: DbDep, config: ConfigDep, login: Admin, form: FormDep) -> Response:
    typed = {"name": form.get("name", ""), "role": form.get("role", "")}
    try:
        user = accounts.add_user(
            db, name=typed["name"], role=typed["role"], password=_twice(form), now=config.clock()
        )
    except AccountError as exc:
        db.rollback()
        error = _error(request, exc.reason)
        return _list(request, db, login, error=error, added=typed, status_code=400)
    _record(request, config, db, login, f"{user.name} added as {user.role}")
    return RedirectResponse("/console/users", status_code=303)


@router.get("/{user_id}")
def edit(request: Request, db: DbDep, login: Admin, user_id: int) -> Response:
    return _edit(request, login, _user(db, user_id))


@router.post("/{user_id}/role")
def change_role(
    request: Request, db: DbDep, config: ConfigDep, login: Admin, form: FormDep, user_id: int
) -> Response:
    user = _user(db, user_id)
    before = user.role
    try:
        accounts.set_role(db, name=user.name, role=form.get("role", ""))
    except AccountError as exc:
        db.rollback()
        return _edit(request, login, user, error=_error(request, exc.reason), status_code=400)
    _record(request, config, db, login, f"{user.name}: role {before} -> {user.role}")
    if user.id == login.user_id and user.role != "admin":
        return RedirectResponse("/console/", status_code=303)  # this page is no longer theirs
    return _edit(request, login, user, message="console.users.role_changed")


@router.post("/{user_id}/password")
def change_password(
    request: Request, db: DbDep, config: ConfigDep, login: Admin, form: FormDep, user_id: int
) -> Response:
    user = _user(db, user_id)
    try:
        accounts.set_password(
            db, name=user.name, password=_twice(form), keep_session=login.session_id
        )
    except AccountError as exc:
        db.rollback()
        return _edit(request, login, user, error=_error(request, exc.reason), status_code=400)
    _record(request, config, db, login, f"{user.name}: new password")
    return _edit(request, login, user, message="console.users.password_changed")


@router.get("/{user_id}/remove")
def confirm_remove(request: Request, db: DbDep, login: Admin, user_id: int) -> Response:
    return page(request, "user_remove.html", login=login, user=_user(db, user_id))


@router.post("/{user_id}/remove")
def remove(
    request: Request, db: DbDep, config: ConfigDep, login: Admin, form: FormDep, user_id: int
) -> Response:
    user = _user(db, user_id)
    if form.get("confirm") != "yes":
        return RedirectResponse(f"/console/users/{user.id}", status_code=303)
    name = user.name
    try:
        accounts.remove_user(db, name=name, keep_an_admin=True)
    except AccountError as exc:
        db.rollback()
        return _edit(request, login, user, error=_error(request, exc.reason), status_code=400)
    _record(request, config, db, login, f"{name} removed")
    if user_id == login.user_id:
        return RedirectResponse("/console/login", status_code=303)  # their session ended too
    return RedirectResponse("/console/users", status_code=303)
