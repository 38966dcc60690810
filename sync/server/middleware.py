"""ASGI middleware of the central store, one job each."""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.protocol import OLDEST_PROTOCOL, PROTOCOL_HEADER, PROTOCOL_VERSION


class BodySizeLimit:
    """Answer 413 (JSON, like every other error) for a body larger than the protocol
    allows, whether its length is declared or only found out while reading."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(scope, receive, send)
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

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse(
            {"detail": f"request body larger than {self.max_bytes} bytes; send smaller batches"},
            status_code=413,
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
