"""`main.py serve` in its own process(es), as organisers run it, for tests and benchmarks."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


class ServeProcess:
    """`serve --workers N --database-url URL` on a free port of 127.0.0.1."""

    def __init__(self, database_url: str, *, workers: int = 1) -> None:
        self.database_url = database_url
        self.workers = workers
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServeProcess:
        self._process = subprocess.Popen(
            [
                sys.executable,
                "main.py",
                "serve",
                "--database-url",
                self.database_url,
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{self.url}/api/v1/stats", timeout=1).raise_for_status()
                return self
            except httpx.HTTPError:
                if time.monotonic() > deadline or self._process.poll() is not None:
                    self._process.kill()
                    raise RuntimeError("the central store did not start") from None
                time.sleep(0.1)

    @property
    def pid(self) -> int:
        """The server's process (with --workers N, the parent of the N workers)."""
        return self._process.pid

    def __exit__(self, *exc: object) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
