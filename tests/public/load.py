"""A bounded HTTP/1.1 load generator on raw asyncio sockets (keep-alive), for the
counter's spike test and `make bench`: httpx's pool is the bottleneck at 200
concurrent connections, this is not."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Load:
    statuses: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return len(self.statuses) / self.seconds if self.seconds else 0.0

    def p99_ms(self) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


async def _connection(
    host: str, port: int, paths: list[str], load: Load, interval: float, offset: float
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    begin = time.perf_counter() + offset
    try:
        for index, path in enumerate(paths):
            if interval:
                await asyncio.sleep(max(0.0, begin + index * interval - time.perf_counter()))
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            load.latencies.append(time.perf_counter() - started)
            load.statuses.append(int(lines[0].split()[1]))
    finally:
        writer.close()
        await writer.wait_closed()


def hammer(
    base_url: str,
    paths: list[str],
    *,
    connections: int,
    per_connection: int,
    rate: float | None = None,
) -> Load:
    """`connections` keep-alive connections at once, each asking `per_connection` times,
    cycling through `paths`: as fast as answers come (closed loop), or with `rate`
    requests per second spread over all connections (open loop: latency, not queueing)."""
    interval = connections / rate if rate else 0.0
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    load = Load()

    async def run() -> None:
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _connection(
                    host,
                    port,
                    [paths[(c + i) % len(paths)] for i in range(per_connection)],
                    load,
                    interval,
                    interval * c / connections,
                )
                for c in range(connections)
            )
        )
        load.seconds = time.perf_counter() - started

    asyncio.run(run())
    return load
