"""One kiosk of bench_sync_scaleout as its own process: wait for the start, sync, report.

python -m tests.bench.scaleout_kiosk DATA_DIR GO_FILE BATCH REPORT
says `ready` (a file in DATA_DIR), waits for GO_FILE, syncs everything pending
in batches of BATCH, and writes REPORT (JSON): each upload's latency and HTTP
status, and whether the pass finished.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import httpx

from kiosk.privacy.local import kiosk_outbox
from kiosk.store import open_store
from sync.client import Backoff, Uploader, sync_until_done


class TimingTransport(httpx.HTTPTransport):
    """Times every POST /signatures (a batch) and keeps every status."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[float] = []
        self.statuses: list[int] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        response = super().handle_request(request)
        response.read()
        if request.method == "POST" and request.url.path.endswith("/signatures"):
            self.batches.append(time.perf_counter() - started)
        self.statuses.append(response.status_code)
        return response


def main(argv: list[str]) -> int:
    data_dir, go_file, batch, report = argv
    store = open_store(Path(data_dir))
    transport = TimingTransport()
    try:
        Path(data_dir, "ready").touch()
        while not Path(go_file).exists():
            time.sleep(0.005)
        with Uploader(kiosk_outbox(store), batch_size=int(batch), transport=transport) as up:
            outcome = sync_until_done(up, attempts=20, backoff=Backoff(base=0.05, cap=1.0))
    finally:
        store.close()
    Path(report).write_text(
        json.dumps(
            {
                "done": outcome.done,
                "finished": time.time(),
                "batches": transport.batches,
                "statuses": transport.statuses,
            }
        )
    )
    return 0 if outcome.done else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
