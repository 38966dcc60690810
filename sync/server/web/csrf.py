"""The one CSRF defence of every form the store serves: console and public alike.

Two locks, as Datasette and Go 1.25 do it:

1. `CrossOriginGuard` (ASGI middleware) refuses a POST (any unsafe method)
   that a browser says came from another site, by `Sec-Fetch-Site` and, for
   older browsers, `Origin` (Filippo Valsorda's method). Requests with
   neither header are not from a browser page; the token still applies.
2. `FormTokens`: every form carries `csrf_token`, an HMAC-SHA256 of a secret
   nonce under a key kept in the database (so every server process checks
   the same way). The nonce is the login session's own secret for the
   console's forms, and a random HttpOnly cookie (`form_nonce`) for forms
   anyone may post before logging in (the console's login, the public
   withdrawal page).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from sync.server.db import CentralStore
from sync.server.models import PublicSecret
from sync.server.web.address import is_https
from sync.server.web.language import LANGUAGE_COOKIE, Words, language

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FIELD = "csrf_token"
NONCE_COOKIE = "form_nonce"
# Where the store's forms are posted; the device API (Bearer tokens, no cookies) is not.
GUARDED = ("/console", "/language/", "/aterkalla")


def is_cross_origin(headers: dict[bytes, bytes]) -> bool:
    """True when the browser tells us another site's page sent this request."""
    fetch_site = headers.get(b"sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in (b"same-origin", b"none")
    origin = headers.get(b"origin")
    if origin is None:
        return False
    host = headers.get(b"host", b"").decode("latin-1").lower()
    return origin == b"null" or urlsplit(origin.decode("latin-1")).netloc.lower() != host


def _language_of(scope: Scope, headers: dict[bytes, bytes]) -> str:
    for part in scope.get("query_string", b"").decode("latin-1").split("&"):
        name, _, value = part.partition("=")
        if name == "lang":
            return language(value)
    for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
        name, _, value = part.strip().partition("=")
        if name == LANGUAGE_COOKIE:
            return language(value)
    return language(None)


class CrossOriginGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] not in SAFE_METHODS
            and scope["path"].startswith(GUARDED)
        ):
            headers = dict(scope["headers"])
            if is_cross_origin(headers):
                words = Words(_language_of(scope, headers))
                response = PlainTextResponse(words("web.error.cross_origin"), status_code=403)
                return await response(scope, receive, send)
        return await self.app(scope, receive, send)


class FormTokens:
    """Tokens for this store's forms: HMAC-SHA256 of a nonce, keyed per store."""

    KEY_NAME = "form-token"

    def __init__(self, store: CentralStore) -> None:
        self.store = store
        self._key: bytes | None = None

    def key(self) -> bytes:
        if self._key is None:
            table = PublicSecret.__table__
            insert = postgresql.insert if self.store.dialect == "postgresql" else sqlite.insert
            with self.store.session() as session:
                session.execute(
                    insert(table)
                    .values(name=self.KEY_NAME, value=secrets.token_bytes(32))
                    .on_conflict_do_nothing()
                )
                self._key = session.scalar(
                    select(PublicSecret.value).where(PublicSecret.name == self.KEY_NAME)
                )
                session.commit()
        assert self._key is not None
        return self._key

    def token_for(self, nonce: str) -> str:
        return hmac.new(self.key(), f"form:{nonce}".encode(), hashlib.sha256).hexdigest()

    def matches(self, nonce: str | None, token: str | None) -> bool:
        if not nonce or len(nonce) > 64 or not token or len(token) > 128:
            return False
        return hmac.compare_digest(self.token_for(nonce), token)

    # Forms anyone may post: the nonce lives in the browser's cookie.

    def browser_nonce(self, request: Request) -> tuple[str, bool]:
        """The browser's nonce cookie, or a new one (True: `set_cookie` it on the answer)."""
        current = request.cookies.get(NONCE_COOKIE, "")
        if 20 <= len(current) <= 64 and current.replace("-", "").replace("_", "").isalnum():
            return current, False
        return secrets.token_urlsafe(24), True

    def browser_matches(self, request: Request, token: str | None) -> bool:
        return self.matches(request.cookies.get(NONCE_COOKIE), token)


def set_nonce_cookie(response: Response, request: Request, nonce: str) -> None:
    response.set_cookie(
        NONCE_COOKIE,
        nonce,
        path="/",
        httponly=True,
        samesite="strict",
        secure=is_https(request),
    )


def get_tokens(request: Request) -> FormTokens:
    tokens: FormTokens = request.app.state.form_tokens
    return tokens
