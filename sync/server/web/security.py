"""Security headers and the cross-origin check for the store's HTML pages.

Two small ASGI middlewares with one job each, as Datasette does:

- `SecurityHeaders` puts a Content-Security-Policy (scripts and styles only
  from our own files, nothing inline), `nosniff`, a referrer policy and
  `frame-ancestors` on every answer under its path prefixes.
- `CrossOriginGuard` refuses a POST (or any unsafe method) that a browser
  says came from another site, by `Sec-Fetch-Site` and else `Origin`
  (Filippo Valsorda's method). Requests with neither header are not from a
  browser page; the per-session CSRF token in every form still applies.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.responses import PlainTextResponse

from sync.server.web.words import Words

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def content_security_policy(frame_ancestors: str) -> str:
    # 'wasm-unsafe-eval' lets libsodium's WebAssembly run; it allows no JavaScript eval.
    return (
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
        "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
        f"frame-ancestors {frame_ancestors}"
    )


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p.rstrip("/") or path.startswith(p) for p in prefixes)


class SecurityHeaders:
    def __init__(self, app: ASGIApp, prefixes: tuple[str, ...], frame_ancestors: str = "'none'"):
        self.app = app
        self.prefixes = prefixes
        self.headers = [
            (b"content-security-policy", content_security_policy(frame_ancestors).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if frame_ancestors == "'none'":
            self.headers.append((b"x-frame-options", b"DENY"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _under(scope["path"], self.prefixes):
            return await self.app(scope, receive, send)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self.headers
            await send(message)

        return await self.app(scope, receive, with_headers)


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


def language_of(headers: dict[bytes, bytes]) -> str:
    for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
        name, _, value = part.strip().partition("=")
        if name == "lang":
            return value
    return "sv"


class CrossOriginGuard:
    def __init__(self, app: ASGIApp, prefixes: tuple[str, ...]):
        self.app = app
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] not in SAFE_METHODS
            and _under(scope["path"], self.prefixes)
        ):
            headers = dict(scope["headers"])
            if is_cross_origin(headers):
                words = Words(language_of(headers))
                response = PlainTextResponse(words("web.error.cross_origin"), status_code=403)
                return await response(scope, receive, send)
        return await self.app(scope, receive, send)
