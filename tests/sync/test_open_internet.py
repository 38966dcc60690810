"""The store on the open internet: slow, large, idle and half-sent requests from
anyone must neither fill its memory nor keep real requests from an answer.

Each test runs `klimatavtal-store serve` in a process of its own and talks
to it over real sockets, as an attacker would.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from sync.server.db import open_central_store
from sync.server.devices import add_device
from tests.sync.store_process import StoreProcess, store_process

UPLOAD = "/api/v1/signatures"
MiB = 1024 * 1024
WAIT = 30.0  # seconds a test waits for what should happen well within a second or two


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'central-store.sqlite3'}"


def device_token(database_url: str) -> str:
    central = open_central_store(database_url)
    try:
        with central.session() as session:
            _device, token = add_device(session, name="laptop-1")
            session.commit()
    finally:
        central.close()
    return token


def request_head(length: int, token: str | None = None) -> bytes:
    lines = [
        f"POST {UPLOAD} HTTP/1.1",
        "Host: store.example",
        "Content-Type: application/json",
        f"Content-Length: {length}",
    ]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def send_until_refused(sock: socket.socket, total: int) -> None:
    """Send up to `total` body bytes; stop when the server stops reading or closes."""
    sock.settimeout(1.0)
    chunk = b"x" * (256 * 1024)
    sent = 0
    try:
        while sent < total:
            sent += sock.send(chunk)
    except OSError:  # closed by the server, or its window is full: it reads no more
        pass


def closed_answer(sock: socket.socket, timeout: float = WAIT) -> bytes:
    """What the server sent before it closed the connection (fails if it never does)."""
    sock.settimeout(timeout)
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    return received


@pytest.fixture
def sockets() -> Iterator[ExitStack]:
    with ExitStack() as stack:
        yield stack


def open_sockets(store: StoreProcess, count: int, stack: ExitStack) -> list[socket.socket]:
    return [stack.enter_context(store.connect()) for _ in range(count)]


def peak_growth_kib(store: StoreProcess, before: int) -> int:
    status = Path(f"/proc/{store.process.pid}/status").read_text()
    peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return peak - before


def test_bodies_without_a_token_are_refused_before_they_are_read(database_url, tmp_path, sockets):
    with store_process(database_url, tmp_path / "store.log") as store:
        before = max(store.rss_kib(), peak_growth_kib(store, 0))
        attackers = open_sockets(store, 30, sockets)
        for sock in attackers:
            sock.sendall(request_head(16 * MiB - 1))
            send_until_refused(sock, 4 * MiB)
        for sock in attackers:
            closed_answer(sock)  # each is closed, not left waiting for the rest
        assert peak_growth_kib(store, before) < 32 * 1024
        with httpx.Client(base_url=store.url, timeout=WAIT) as http:
            assert http.get("/api/v1/stats").status_code == 200


def test_a_stalled_body_with_a_token_gets_408_and_the_connection_closes(
    database_url, tmp_path, sockets
):
    token = device_token(database_url)
    settings = {"body_timeout_seconds": "1"}
    with store_process(database_url, tmp_path / "store.log", settings=settings) as store:
        before = store.rss_kib()
        stalled = open_sockets(store, 30, sockets)
        for sock in stalled:
            sock.sendall(request_head(16 * MiB - 1, token) + b'{"protocol": 1, ')
        answers = [closed_answer(sock) for sock in stalled]
        assert all(answer.startswith(b"HTTP/1.1 408") for answer in answers), answers[0]
        assert b"nothing was stored" in answers[0]
        assert peak_growth_kib(store, before) < 32 * 1024


def test_idle_connections_beyond_the_cap_do_not_stop_a_real_request(
    database_url, tmp_path, sockets
):
    """Hundreds of idle connections (the full-size flood is `make bench`: bench_flood)."""
    log = tmp_path / "store.log"
    settings = {"max_connections": "100", "header_timeout_seconds": "300"}
    with store_process(database_url, log, settings=settings, files_limit=(256, 1024)) as store:
        assert store.open_files_limit() == (1024, 1024)  # raised to the hard limit at start
        idle = open_sockets(store, 400, sockets)
        with httpx.Client(base_url=store.url, timeout=WAIT) as http:
            answer = http.get("/api/v1/stats")
        assert answer.status_code == 200 and answer.json()["total"] == 0
        assert closed_answer(idle[0]) == b""  # the longest idle made room
        flood_lines = [line for line in log.read_text().splitlines() if "too many" in line]
        assert len(flood_lines) == 1, log.read_text()[:2000]  # once, not per connection
        assert log.stat().st_size < 2000


def test_half_sent_requests_are_closed_after_the_header_timeout(database_url, tmp_path, sockets):
    settings = {"header_timeout_seconds": "1"}
    with store_process(database_url, tmp_path / "store.log", settings=settings) as store:
        half_sent = open_sockets(store, 200, sockets)
        for sock in half_sent:
            sock.sendall(b"GET /api/v1/stats HTTP/1.1\r\nHost: store.example\r\n")
        silent = open_sockets(store, 50, sockets)
        started = time.monotonic()
        for sock in [*half_sent, *silent]:
            assert closed_answer(sock) == b""
        assert time.monotonic() - started < WAIT
        # A kept-alive connection that starts another request and stalls is closed too.
        with store.connect() as sock:
            sock.sendall(b"GET /api/v1/stats HTTP/1.1\r\nHost: store.example\r\n\r\n")
            sock.settimeout(WAIT)
            answer = b""
            while not answer.endswith(b"}"):  # the whole JSON answer, however it is split
                answer += sock.recv(65536)
            assert answer.startswith(b"HTTP/1.1 200")
            sock.sendall(b"GET /api/v1/stats HTTP/1.1\r\n")
            assert closed_answer(sock) == b""
