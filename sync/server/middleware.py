"""ASGI middleware of the central store, one job each.

On the open internet a request body is the cheapest way to tie up the
store: sent slowly, or large, by someone without a token. So the token of
a device request is checked before a byte of its body is read
(`DeviceGate`), and every body is read within a size cap (small without a
device token) and a deadline that a slow trickle does not keep extending
(`BodySizeLimit`). Every refusal closes the connection.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable

import anyio.to_thread
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.protocol import OLDEST_PROTOCOL, PROTOCOL_HEADER, PROTOCOL_VERSION

# Set in the scope by DeviceGate once the request's device token is known good.
AUTHENTICATED = "klimatavtal.authenticated"
# Set in the scope by DeviceGate when it asked the database for this request: what
# `find` returned (the device, as sync.server.dependencies.get_device adopts it), so
# the route does not ask again.
CHECKED_DEVICE = "klimatavtal.checked_device"
# How long a good token is believed without asking the database again. A revoked
# token's requests are still refused by the route (which asks unless the gate just
# did); this only bounds how long its bodies are read before that answer.
TOKEN_CACHE_SECONDS = 5.0
TOKEN_CACHE_SIZE = 10_000
# Every body may take this long, plus the time its size needs at the floor rate.
BODY_GRACE_SECONDS = 5.0
CLOSE = {"Connection": "close"}


def _bearer_token(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            return token if scheme.lower() == "bearer" and token else None
    return None


class DeviceGate:
    """Refuse a device-API request without a valid token before its body is read.

    `find` asks the database (it runs in a worker thread, off the event loop)
    and returns the token's device or None; good answers are kept for
    `TOKEN_CACHE_SECONDS`. A request that made it ask carries the device in its
    scope (`CHECKED_DEVICE`). Paths outside `prefix`, and the public ones, pass
    untouched.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        find: Callable[[str], object | None],
        prefix: str,
        public_paths: frozenset[str],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.find = find
        self.prefix = prefix
        self.public_paths = public_paths
        self.clock = clock
        self._good_until: dict[str, float] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or not path.startswith(self.prefix)
            or path.rstrip("/") in self.public_paths
        ):
            await self.app(scope, receive, send)
            return
        token = _bearer_token(scope)
        if token is None:
            await self._refuse(
                scope, receive, send, "this needs a device token: Authorization: Bearer TOKEN"
            )
            return
        if not await self._good(token, scope):
            await self._refuse(
                scope,
                receive,
                send,
                "the device token is wrong or has been revoked; ask an organiser for a new one",
            )
            return
        scope[AUTHENTICATED] = True
        await self.app(scope, receive, send)

    async def _good(self, token: str, scope: Scope) -> bool:
        key = hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
        now = self.clock()
        if self._good_until.get(key, 0.0) > now:
            return True
        device = await anyio.to_thread.run_sync(self.find, token)
        if device is None:
            self._good_until.pop(key, None)
            return False
        scope[CHECKED_DEVICE] = device
        if len(self._good_until) >= TOKEN_CACHE_SIZE:
            self._good_until.clear()
        self._good_until[key] = now + TOKEN_CACHE_SECONDS
        return True

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, detail: str) -> None:
        response = JSONResponse(
            {"detail": detail},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer", **CLOSE},
        )
        await response(scope, receive, send)


class BodySizeLimit:
    """Read a body within limits, or answer (JSON, like every other error) and close.

    413 for a body larger than allowed, whether declared or found out while
    reading: `max_bytes` for a request DeviceGate let through, the much
    smaller `anonymous_max_bytes` for any other. 408 for a body not complete
    by its deadline: `BODY_GRACE_SECONDS` plus the time the bytes received so
    far need at `min_bytes_per_second`, never more than `timeout_seconds`.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        anonymous_max_bytes: int,
        timeout_seconds: float,
        min_bytes_per_second: int,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.anonymous_max_bytes = anonymous_max_bytes
        self.timeout_seconds = timeout_seconds
        self.min_bytes_per_second = min_bytes_per_second

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes if scope.get(AUTHENTICATED) else self.anonymous_max_bytes
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await self._too_large(scope, receive, send, limit)
            return
        loop = asyncio.get_running_loop()
        start = loop.time()
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            allowed = min(
                self.timeout_seconds, BODY_GRACE_SECONDS + size / self.min_bytes_per_second
            )
            try:
                async with asyncio.timeout_at(start + allowed):
                    message = await receive()
            except TimeoutError:
                await self._too_slow(scope, receive, send)
                return
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._too_large(scope, receive, send, limit)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    @staticmethod
    async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = JSONResponse(
            {"detail": f"request body larger than {limit} bytes; send smaller batches"},
            status_code=413,
            headers=CLOSE,
        )
        await response(scope, receive, send)

    async def _too_slow(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse(
            {
                "detail": "the request body came too slowly and was dropped; nothing was "
                "stored, try again"
            },
            status_code=408,
            headers=CLOSE,
        )
        await response(scope, receive, send)


class ProtocolVersion:
    """Every answer names the store's protocol version (`Klimatavtal-Protocol`), so a
    kiosk can tell the store from a proxy and knows which end is older. A kiosk whose
    version this store cannot work with gets a 400 that says which end to update."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = PROTOCOL_HEADER.lower().encode()
        stated = dict(scope["headers"]).get(header, b"").decode("latin-1").strip()
        if stated.isdigit() and not OLDEST_PROTOCOL <= int(stated) <= PROTOCOL_VERSION:
            kiosk = int(stated)
            update = "kiosk" if kiosk < OLDEST_PROTOCOL else "store"
            response = JSONResponse(
                {
                    "detail": f"this central store speaks sync protocol {OLDEST_PROTOCOL} to "
                    f"{PROTOCOL_VERSION}, the kiosk {kiosk}: the {update} must be updated",
                    "update": update,
                    "store_protocol": PROTOCOL_VERSION,
                },
                status_code=400,
                headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
            )
            await response(scope, receive, send)
            return

        async def named(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (header, str(PROTOCOL_VERSION).encode()),
                ]
            await send(message)

        await self.app(scope, receive, named)
