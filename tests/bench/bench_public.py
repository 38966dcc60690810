"""Benchmark: the public counter under 200 concurrent connections.

`/widget/counter.svg` and `/api/v1/stats` against a static file served by the
same server (Starlette's StaticFiles, mounted for this run) in the same run,
from a bounded load generator on raw asyncio sockets (tests/public/load.py):
200 keep-alive connections at once. The server runs in its own process, with
a store of 5,000 signatures.

Two measures. Throughput: every connection asks again as soon as it is
answered (closed loop); goal at least half the static file's requests per
second. Latency: the 200 connections stay open but ask at half the static
file's top rate between them (open loop), so p99 measures serving, not the
queue a saturated closed loop builds by construction (200 in flight at N/s
wait 200/N s); goal p99 under 50 ms.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from sync.server.db import open_central_store
from sync.server.devices import add_device
from tests.public.load import hammer
from tests.sync.records import event_json, record_json

ROOT = Path(__file__).resolve().parents[2]
CONNECTIONS = 200
PER_CONNECTION = 25
SIGNATURES = 5_000
PATHS = (
    ("static file", "/bench-static/counter.svg"),
    ("/widget/counter.svg", "/widget/counter.svg"),
    ("/api/v1/stats", "/api/v1/stats"),
)
SERVER = """
import sys, uvicorn
from starlette.staticfiles import StaticFiles
from sync.server.app import create_app
from sync.server.settings import Settings
app = create_app(Settings(database_url=sys.argv[1], goal=10_000))
app.mount("/bench-static", StaticFiles(directory=sys.argv[2]))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[3]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fill(url: str, token: str) -> None:
    event = event_json()
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
        for start in range(0, SIGNATURES, 250):
            records = [
                record_json(event["id"], email=f"signer{i % 4000}@example.se")
                for i in range(start, start + 250)
            ]
            batch = {
                "kiosk_uuid": "5c0c7d52-6d8d-4a57-9b0a-6f1c1d7d7a11",
                "events": [event],
                "records": records,
            }
            http.post("/api/v1/signatures", json=batch, timeout=60).raise_for_status()


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite:///{Path(folder) / 'central-store.sqlite3'}"
        central = open_central_store(database_url)
        with central.session() as session:
            _device, token = add_device(session, name="bench")
            session.commit()
        central.close()
        static = Path(folder, "static")
        static.mkdir()
        # About the size of the counter's SVG, so both answers carry as many bytes.
        (static / "counter.svg").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>" * 17)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, database_url, str(static), str(port)], cwd=ROOT
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(f"{url}/api/v1/stats", timeout=1)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("the store did not start") from None
                    time.sleep(0.1)
            fill(url, token)
            results = {}
            paced = {}
            for name, path in PATHS:
                hammer(url, [path], connections=20, per_connection=5)  # warm up
                load = hammer(url, [path], connections=CONNECTIONS, per_connection=PER_CONNECTION)
                assert set(load.statuses) == {200}, set(load.statuses)
                results[name] = load
                print(
                    f"{name:22} {load.per_second:8.0f} requests/s   p99 {load.p99_ms():7.1f} ms"
                    f"   (closed loop: {len(load.statuses)} requests, {CONNECTIONS} connections)"
                )
            rate = results["static file"].per_second / 2
            for name, path in PATHS:
                load = hammer(url, [path], connections=CONNECTIONS, per_connection=5, rate=rate)
                assert set(load.statuses) == {200}, set(load.statuses)
                paced[name] = load
                print(
                    f"{name:22} p99 {load.p99_ms():6.1f} ms at {rate:.0f} requests/s "
                    f"over {CONNECTIONS} open connections (open loop)"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
    baseline = results["static file"].per_second
    for name, _path in PATHS[1:]:
        ratio = results[name].per_second / baseline
        p99 = paced[name].p99_ms()
        fast = ratio >= 0.5 and p99 < 50
        print(
            f"{name:22} {ratio:5.2f}x the static file's requests/s, p99 {p99:.1f} ms: "
            f"{'meets' if fast else 'MISSES'} the goal (>= 0.5x, p99 < 50 ms)"
        )
