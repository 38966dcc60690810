"""Connection limits uvicorn lacks: a header deadline and a cap on open connections.

uvicorn (h11) closes a kept-alive connection after `timeout_keep_alive`,
but a connection that opens and sends nothing, or half a request line,
stays open for ever; a few thousand of them exhaust the process's file
descriptors and nobody gets an answer. `guarded_h11(...)` builds uvicorn's
h11 protocol with:

- a header deadline: a request's headers must be complete within
  `header_timeout` of the connection opening (or of the request's first
  byte on a kept-alive connection), else the connection is closed;
- a cap: with more than `max_connections` open, the one that has waited
  longest without a request in progress is closed, so an idle flood makes
  room for real requests; when none is idle, the new one is.

Either is logged once a minute with a count (`sync.server.floodlog`).
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

logger = logging.getLogger("uvicorn.error")
# How `serve --workers N` hands each worker process its limits (see WorkerGuardedH11).
HEADER_TIMEOUT_VARIABLE = "KLIMATAVTAL_STORE_HEADER_TIMEOUT_SECONDS"
MAX_CONNECTIONS_VARIABLE = "KLIMATAVTAL_STORE_MAX_CONNECTIONS"


class _Guarded(H11Protocol):
    header_timeout: float
    max_connections: int
    # Connections waiting for a request's headers, longest-waiting first.
    waiting: dict[_Guarded, None]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._wait(with_deadline=True)
        if len(self.connections) > self.max_connections:
            victim = next((c for c in self.waiting if c is not self), self)
            logger.warning(
                "too many connections: closing the longest idle one (limit %d)",
                self.max_connections,
            )
            victim._close()

    def data_received(self, data: bytes) -> None:
        previous = self.cycle
        super().data_received(data)
        if self.cycle is not previous:
            self._stop_waiting()  # a request's headers are in
        elif self in self.waiting and self._deadline is None:
            # The first bytes of another request on a kept-alive connection.
            self._deadline = self.loop.call_later(self.header_timeout, self._close)

    def on_response_complete(self) -> None:
        cycle = self.cycle
        super().on_response_complete()
        if self.cycle is cycle and not self.transport.is_closing():
            self._wait(with_deadline=False)  # uvicorn's keep-alive timeout runs now

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def _wait(self, *, with_deadline: bool) -> None:
        self.waiting[self] = None
        if with_deadline:
            self._deadline = self.loop.call_later(self.header_timeout, self._close)

    def _stop_waiting(self) -> None:
        self.waiting.pop(self, None)
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _close(self) -> None:
        self._stop_waiting()
        if not self.transport.is_closing():
            self.transport.close()


def guarded_h11(*, header_timeout: float, max_connections: int) -> type[H11Protocol]:
    """uvicorn's h11 protocol with these limits (a class of its own, for `Config(http=...)`)."""
    return type(
        "GuardedH11Protocol",
        (_Guarded,),
        {"header_timeout": header_timeout, "max_connections": max_connections, "waiting": {}},
    )


class WorkerGuardedH11(_Guarded):
    """The same limits in each process of `serve --workers N`.

    uvicorn starts its worker processes afresh and hands them the protocol by
    import string (a class built by `guarded_h11` cannot travel there), so
    this one reads its limits from the environment `serve` sets up for them.
    """

    header_timeout = float(os.environ.get(HEADER_TIMEOUT_VARIABLE, "10"))
    max_connections = int(os.environ.get(MAX_CONNECTIONS_VARIABLE, "2000"))
    waiting: dict[_Guarded, None] = {}
