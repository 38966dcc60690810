"""What keeps the public pages safe on the open internet: headers, same-origin posts,
form tokens and the client's address.

Cross-site form posts are refused by the browser's own `Sec-Fetch-Site` and, for
older browsers, by `Origin` (the method Datasette and Go 1.25 use); a form token
(an HMAC of a random cookie, keyed per store) is the second lock. The HMAC key
lives in the database, so every server process checks the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import cast
from urllib.parse import urlsplit

from fastapi import Request, Response
from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite

from sync.server.db import CentralStore
from sync.server.models import PublicSecret

FORM_COOKIE = "kv_form"
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
WIDGET_CSP = "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors *"
SVG_CSP = "default-src 'none'; frame-ancestors *"


def page_headers(response: Response, *, csp: str = PAGE_CSP, framable: bool = False) -> None:
    response.headers["Content-Security-Policy"] = csp
    response.headers["X-Content-Type-Options"] = "nosniff"
    # The withdrawal code is in the address: never hand it to another site.
    response.headers["Referrer-Policy"] = "no-referrer"
    if not framable:
        response.headers["X-Frame-Options"] = "DENY"


def is_cross_site(request: Request) -> bool:
    """True for a request another site made the browser send."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return False  # not a browser form post (curl, a test client): the token decides
    host = request.headers.get("host", "")
    return origin == "null" or urlsplit(origin).netloc.lower() != host.lower()


def client_address(request: Request) -> str:
    """Who is asking, for rate limits (behind a proxy, run uvicorn with --proxy-headers)."""
    return request.client.host if request.client else "unknown"


class FormTokens:
    """Tokens for this store's forms: HMAC-SHA256 of the browser's random cookie."""

    NAME = "form-token"

    def __init__(self, store: CentralStore):
        self.store = store
        self._key: bytes | None = None

    def key(self) -> bytes:
        if self._key is None:
            table = cast(Table, PublicSecret.__table__)
            insert = postgresql.insert if self.store.dialect == "postgresql" else sqlite.insert
            with self.store.session() as session:
                session.execute(
                    insert(table)
                    .values(name=self.NAME, value=secrets.token_bytes(32))
                    .on_conflict_do_nothing()
                )
                self._key = session.scalar(
                    select(PublicSecret.value).where(PublicSecret.name == self.NAME)
                )
                session.commit()
        assert self._key is not None
        return self._key

    def token_for(self, nonce: str) -> str:
        return hmac.new(self.key(), f"form:{nonce}".encode(), hashlib.sha256).hexdigest()

    def nonce(self, request: Request) -> tuple[str, bool]:
        """The browser's cookie, or a new one (True: it must be set on the answer)."""
        current = request.cookies.get(FORM_COOKIE, "")
        if 20 <= len(current) <= 64 and current.replace("-", "").replace("_", "").isalnum():
            return current, False
        return secrets.token_urlsafe(24), True

    def check(self, request: Request, token: str) -> bool:
        nonce = request.cookies.get(FORM_COOKIE)
        if not nonce or len(nonce) > 64 or not token or len(token) > 128:
            return False
        return hmac.compare_digest(self.token_for(nonce), token)


def set_form_cookie(response: Response, request: Request, nonce: str) -> None:
    response.set_cookie(
        FORM_COOKIE,
        nonce,
        path="/aterkalla",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
