"""Security headers for every HTML page the store serves, by route.

One small ASGI middleware with one job, as Datasette does: `SecurityHeaders`
puts a Content-Security-Policy (scripts and styles only from our own files,
nothing inline), `nosniff`, `Referrer-Policy: no-referrer` (a withdrawal
code travels in the public page's address and must never reach another
site) and `frame-ancestors` on every answer whose path has a policy in
`POLICIES`. Only the counter widget may be framed by other sites (the
campaign's website embeds it); everything else says `frame-ancestors 'none'`.
The API and its docs get no page policy.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# 'wasm-unsafe-eval' lets libsodium's WebAssembly run (the console's export); it
# allows no JavaScript eval.
PAGE_CSP = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# The public withdrawal page runs no script at all and works without one.
PUBLIC_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
WIDGET_CSP = "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors *"
IMAGE_CSP = "default-src 'none'; frame-ancestors *"


@dataclass(frozen=True)
class Policy:
    csp: str
    framable: bool = False

    def headers(self) -> list[tuple[bytes, bytes]]:
        found = [
            (b"content-security-policy", self.csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
        ]
        if not self.framable:
            found += [
                (b"x-frame-options", b"DENY"),
                (b"cross-origin-opener-policy", b"same-origin"),
            ]
        return found


PAGE = Policy(PAGE_CSP)
PUBLIC = Policy(PUBLIC_CSP)
# (exact path, policy) first, then (prefix, policy); the first match wins.
EXACT = {
    "/widget/counter": Policy(WIDGET_CSP, framable=True),
    "/widget/counter.svg": Policy(IMAGE_CSP, framable=True),
}
PREFIXES = (
    ("/console", PAGE),
    ("/language/", PAGE),
    ("/static/", PAGE),
    ("/aterkalla", PUBLIC),
    ("/widget/", PAGE),
)


def policy_for(path: str) -> Policy | None:
    if path in EXACT:
        return EXACT[path]
    return next((policy for prefix, policy in PREFIXES if path.startswith(prefix)), None)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._headers = {id(p): p.headers() for p in (PAGE, PUBLIC, *EXACT.values())}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        policy = policy_for(scope["path"]) if scope["type"] == "http" else None
        if policy is None:
            return await self.app(scope, receive, send)
        extra = self._headers[id(policy)]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        return await self.app(scope, receive, with_headers)
