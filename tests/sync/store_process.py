"""`klimatavtal-store serve` in a process of its own, as production runs it.

Tests of the store under hostile traffic need its memory (/proc/PID/status),
its file limit and its log, none of which a server thread inside pytest has.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

START = "from sync.server.cli import main; raise SystemExit(main())"


@dataclass
class StoreProcess:
    process: subprocess.Popen[bytes]
    host: str
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS for the store process")

    def open_files_limit(self) -> tuple[int, int]:
        for line in Path(f"/proc/{self.process.pid}/limits").read_text().splitlines():
            if line.startswith("Max open files"):
                soft, hard = line.split()[3:5]
                return int(soft), int(hard)
        raise RuntimeError("no open files limit for the store process")

    def connect(self) -> socket.socket:
        return socket.create_connection((self.host, self.port), timeout=10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def store_process(
    database_url: str,
    log: Path,
    *,
    settings: dict[str, str] | None = None,
    files_limit: tuple[int, int] | None = None,
) -> Iterator[StoreProcess]:
    """Start the store, wait (bounded) until it answers, stop it afterwards."""
    env = {
        **os.environ,
        **{f"KLIMATAVTAL_STORE_{k.upper()}": v for k, v in (settings or {}).items()},
    }
    port = _free_port()

    def limit_files() -> None:
        if files_limit is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, files_limit)

    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                START,
                "serve",
                "--database-url",
                database_url,
                "--port",
                str(port),
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=limit_files,
        )
    running = StoreProcess(process=process, host="127.0.0.1", port=port, log=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the store did not start: {log.read_text()}")
            try:
                httpx.get(f"{running.url}/api/v1/stats", timeout=5).raise_for_status()
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
