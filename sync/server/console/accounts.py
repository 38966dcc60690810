"""Organiser accounts, login sessions and lockout, all kept in the store's database.

Passwords are hashed with argon2id (libsodium's `crypto_pwhash_str` via PyNaCl).
Sessions and failure counts are rows, not process memory, so several
server processes behind one proxy agree on who is logged in and who is
locked out. Keyword-only functions; the caller commits.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import nacl.exceptions
import nacl.pwhash
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sync.server.models import ConsoleLoginFailure, ConsoleSession, ConsoleUser

ROLES = ("viewer", "organiser", "admin")  # each may do everything the ones before it may
MIN_PASSWORD = 10
FREE_TRIES = 5
FIRST_DELAY = timedelta(seconds=30)
LONGEST_DELAY = timedelta(hours=1)
# last_seen is written at most this often, so reading pages does not write on every request.
TOUCH_EVERY = timedelta(seconds=60)


class AccountError(ValueError):
    """An account change cannot be done. The message says why for the terminal; `reason`
    is a short word the console turns into its page's language (console.users.error.*)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def role_at_least(role: str, needed: str) -> bool:
    return ROLES.index(role) >= ROLES.index(needed)


def hash_password(password: str) -> str:
    return nacl.pwhash.argon2id.str(password.encode()).decode("ascii")


def password_matches(stored_hash: str, password: str) -> bool:
    try:
        return nacl.pwhash.verify(stored_hash.encode("ascii"), password.encode())
    except nacl.exceptions.InvalidkeyError:
        return False


def _check_name_role_password(name: str, role: str, password: str | None) -> None:
    if not name or len(name) > 60 or not name.isprintable() or name != name.strip():
        raise AccountError("name", "a user name is 1 to 60 printable characters")
    if role not in ROLES:
        raise AccountError("role", f"the role is one of {', '.join(ROLES)}")
    if password is not None and len(password) < MIN_PASSWORD:
        raise AccountError("short", f"the password must be at least {MIN_PASSWORD} characters")


def add_user(
    session: Session, *, name: str, role: str, password: str, now: datetime
) -> ConsoleUser:
    _check_name_role_password(name, role, password)
    if session.scalar(select(ConsoleUser).where(ConsoleUser.name == name)) is not None:
        raise AccountError("exists", f"a user named {name!r} already exists")
    user = ConsoleUser(
        name=name, role=role, password_hash=hash_password(password), created_at_utc=now
    )
    session.add(user)
    session.flush()
    return user


def user_named(session: Session, name: str) -> ConsoleUser | None:
    return session.scalar(select(ConsoleUser).where(ConsoleUser.name == name))


def _existing(session: Session, name: str) -> ConsoleUser:
    user = user_named(session, name)
    if user is None:
        raise AccountError("missing", f"no user named {name!r}")
    return user


def list_users(session: Session) -> list[ConsoleUser]:
    return list(session.scalars(select(ConsoleUser).order_by(ConsoleUser.name)))


def set_password(
    session: Session, *, name: str, password: str, keep_session: str | None = None
) -> ConsoleUser:
    """A new password; every session of the user ends, so an old login stops working.
    `keep_session` spares the one the console's own page asked from."""
    user = _existing(session, name)
    _check_name_role_password(user.name, user.role, password)
    user.password_hash = hash_password(password)
    ending = delete(ConsoleSession).where(ConsoleSession.user_id == user.id)
    if keep_session is not None:
        ending = ending.where(ConsoleSession.id != keep_session)
    session.execute(ending)
    return user


def _keep_an_admin(session: Session, user: ConsoleUser) -> None:
    """Refuse a change that would leave the store with no admin to manage it."""
    if user.role != "admin":
        return
    admins = session.scalar(
        select(func.count()).select_from(ConsoleUser).where(ConsoleUser.role == "admin")
    )
    if (admins or 0) <= 1:
        raise AccountError("last_admin", f"{user.name} is the last admin; add another first")


def set_role(session: Session, *, name: str, role: str) -> ConsoleUser:
    """A new role, in force from the user's next request (a login reads it each time)."""
    user = _existing(session, name)
    _check_name_role_password(user.name, role, None)
    if role != "admin":
        _keep_an_admin(session, user)
    user.role = role
    session.flush()
    return user


def remove_user(session: Session, *, name: str, keep_an_admin: bool = False) -> None:
    """Remove an account and end its sessions. The console keeps an admin; the command
    line may remove the last one (a shell on the server is the way back in: `users add`)."""
    user = _existing(session, name)
    if keep_an_admin:
        _keep_an_admin(session, user)
    session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
    session.delete(user)
    session.flush()


# --- lockout ------------------------------------------------------------------


def failure_keys(name: str, address: str) -> list[str]:
    return [f"user:{name[:100]}", f"address:{address[:100]}"]


def locked_until(session: Session, *, keys: list[str], now: datetime) -> datetime | None:
    """When the latest lock on this account or address ends, or None if neither is locked."""
    ends = [
        row.locked_until_utc
        for row in session.scalars(
            select(ConsoleLoginFailure).where(ConsoleLoginFailure.key.in_(keys))
        )
        if row.locked_until_utc is not None and row.locked_until_utc > now
    ]
    return max(ends, default=None)


def record_failure(session: Session, *, keys: list[str], now: datetime) -> None:
    """One more wrong password; from the fifth on, each locks for twice as long as the last."""
    for key in keys:
        row = session.get(ConsoleLoginFailure, key)
        if row is None:
            row = ConsoleLoginFailure(key=key, failures=0, last_failure_at_utc=now)
            session.add(row)
        row.failures += 1
        row.last_failure_at_utc = now
        if row.failures >= FREE_TRIES:
            delay = min(FIRST_DELAY * 2 ** (row.failures - FREE_TRIES), LONGEST_DELAY)
            row.locked_until_utc = now + delay
    session.flush()


def clear_failures(session: Session, *, keys: list[str]) -> None:
    session.execute(delete(ConsoleLoginFailure).where(ConsoleLoginFailure.key.in_(keys)))


# --- sessions -------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    """Who is asking, as every route sees it."""

    user_id: int
    name: str
    role: str
    csrf_token: str
    session_id: str


def _session_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def start_session(session: Session, *, user: ConsoleUser, now: datetime) -> str:
    """A new session row; returns the cookie value (the only place it exists)."""
    token = secrets.token_urlsafe(32)
    session.add(
        ConsoleSession(
            id=_session_id(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at_utc=now,
            last_seen_at_utc=now,
        )
    )
    session.flush()
    return token


def login_for(session: Session, *, token: str, now: datetime, idle: timedelta) -> Login | None:
    """The login this cookie belongs to, or None when it is unknown or idle too long."""
    row = session.execute(
        select(ConsoleSession, ConsoleUser)
        .join(ConsoleUser, ConsoleUser.id == ConsoleSession.user_id)
        .where(ConsoleSession.id == _session_id(token))
    ).first()
    if row is None:
        return None
    login_session, user = row
    if now - login_session.last_seen_at_utc > idle:
        session.delete(login_session)
        session.commit()
        return None
    if now - login_session.last_seen_at_utc > TOUCH_EVERY:
        login_session.last_seen_at_utc = now
        session.commit()
    return Login(user.id, user.name, user.role, login_session.csrf_token, login_session.id)


def end_session(session: Session, *, session_id: str) -> None:
    session.execute(delete(ConsoleSession).where(ConsoleSession.id == session_id))


def end_idle_sessions(session: Session, *, now: datetime, idle: timedelta) -> None:
    session.execute(delete(ConsoleSession).where(ConsoleSession.last_seen_at_utc < now - idle))
