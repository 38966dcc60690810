"""The store under the floods of issue 10, at full size: how real requests fare.

`klimatavtal-store serve` runs in its own process with its default limits.
Three floods, one after another: 1,100 idle connections, 3,000 half-sent
requests, and 30 bodies of nearly 16 MiB without a token that stall. For
each: /api/v1/stats latency during the flood, the store's memory growth,
how many flood connections are still open after the header timeout, and
how much the log grew.
"""

from __future__ import annotations

import resource
import socket
import tempfile
import time
from pathlib import Path

import httpx

from tests.bench import report
from tests.sync.store_process import StoreProcess, store_process

STATS_SAMPLES = 20
HEADER_TIMEOUT = 10.0


def _stats_latencies(store: StoreProcess) -> list[float]:
    samples = []
    with httpx.Client(base_url=store.url, timeout=30) as http:
        for _ in range(STATS_SAMPLES):
            start = time.perf_counter()
            http.get("/api/v1/stats").raise_for_status()
            samples.append(time.perf_counter() - start)
    return samples


def _still_open(sockets: list[socket.socket]) -> int:
    """Connections the store has not closed (an answer it sent before closing is read past)."""
    open_count = 0
    for sock in sockets:
        sock.setblocking(False)
        try:
            while sock.recv(65536):
                pass
        except BlockingIOError:
            open_count += 1
        except OSError:
            pass
    return open_count


def _flood(store: StoreProcess, label: str, count: int, opening: bytes) -> None:
    log_before = store.log.stat().st_size
    rss_before = store.rss_kib()
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.settimeout(10)
            try:
                sock.connect((store.host, store.port))
                if opening:
                    sock.sendall(opening)
            except OSError:
                sock.close()
                continue
            sockets.append(sock)
        report(f"{label}: /stats during", _stats_latencies(store))
        time.sleep(HEADER_TIMEOUT + 2)  # a benchmark may wait: it measures, not asserts
        print(
            f"  {label}: {len(sockets)} opened, {_still_open(sockets)} still open after "
            f"{HEADER_TIMEOUT + 2:.0f} s; memory +{(store.rss_kib() - rss_before) / 1024:.1f} MB; "
            f"log +{store.log.stat().st_size - log_before} bytes"
        )
    finally:
        for sock in sockets:
            sock.close()


def run() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the benchmark needs 3,000 too
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'central-store.sqlite3'}"
        with store_process(url, Path(folder) / "store.log") as store:
            print(f"  store started with {store.rss_kib() / 1024:.1f} MB")
            _flood(store, "1,100 idle", 1100, b"")
            _flood(store, "3,000 half-sent", 3000, b"GET /api/v1/stats HTTP/1.1\r\n")
            head = (
                "POST /api/v1/signatures HTTP/1.1\r\nHost: x\r\n"
                f"Content-Type: application/json\r\nContent-Length: {16 * 1024 * 1024 - 1}\r\n\r\n"
            ).encode("ascii")
            _flood(store, "30 stalled 16 MiB bodies", 30, head + b"x" * (1024 * 1024))
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
