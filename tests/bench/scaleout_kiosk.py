"""The kiosks of bench_sync_scaleout, driven from one process: prepare, wait, send, report.

python -m tests.bench.scaleout_kiosk GO_FILE BATCH REPORT DATA_DIR...

Before the start every kiosk's pass is prepared as `sync.client.Uploader` would
send it: its pending records read through its own outbox, each batch the same
`UploadBatch` JSON with the same headers and token. Then REPORT.ready is
written, and once GO_FILE exists every kiosk sends its batches one after
another on its own keep-alive connection, all kiosks at once (retrying a
5xx or a dropped connection as the client's backoff would), and ends its pass
with the same GET /stats, /privacy and /calendar a real pass ends with.

Why one process: the store's figure is what a fleet of separate laptops asks
of it. Twenty Python processes reading SQLite, validating and serialising on
the same two cores as the store measured the kiosks, not the store. The
requests on the wire are the real kiosks' requests; only the kiosks' own
SQLite work moved before the start (marking sent happens after the clock
stops, through the same outbox, so each kiosk ends with nothing pending).

REPORT (JSON): per kiosk, each upload's latency and every HTTP status, and
whether all its records were acknowledged; `finished` is when the last
kiosk finished, `cpu_seconds` what this process used from the start until then.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from kiosk.privacy.local import kiosk_outbox
from kiosk.store import open_store
from kiosk.store.outbox import StoreOutbox
from kiosk.store.repository import pending_count
from sync.client import ACKNOWLEDGED, DEFAULT_TIMEOUT, request_headers
from sync.outbox import Verdicts
from sync.protocol import API_PREFIX, UploadBatch, UploadResult

JSON = {"Content-Type": "application/json"}
RETRIES = 20


@dataclass
class Kiosk:
    """One kiosk's prepared pass and what the store answered."""

    outbox: StoreOutbox
    server_url: str
    token: str
    bodies: list[bytes]
    batches: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    results: list[UploadResult] = field(default_factory=list)
    finished: float = 0.0


def prepare(data_dir: Path, batch: int) -> Kiosk:
    outbox = kiosk_outbox(open_store(data_dir))
    enrolment = outbox.enrolment()
    assert enrolment is not None, "the bench enrols every kiosk first"
    bodies: list[bytes] = []
    skip: set[str] = set()
    while True:
        pending = outbox.pending_batch(limit=batch, skip=skip)
        if not pending.records:
            break
        skip.update(str(record.id) for record in pending.records)
        upload = UploadBatch.model_validate(
            {
                "kiosk_uuid": enrolment.kiosk_uuid,
                "events": pending.events,
                "records": pending.records,
            }
        )
        bodies.append(upload.model_dump_json().encode())
    return Kiosk(outbox, enrolment.server_url, enrolment.token, bodies)


async def send(kiosk: Kiosk) -> None:
    async with httpx.AsyncClient(
        base_url=kiosk.server_url, timeout=DEFAULT_TIMEOUT, headers=request_headers(kiosk.token)
    ) as http:
        for body in kiosk.bodies:
            for attempt in range(RETRIES):
                started = time.perf_counter()
                try:
                    response = await http.post(
                        f"{API_PREFIX}/signatures", content=body, headers=JSON
                    )
                except httpx.TransportError:
                    await asyncio.sleep(min(1.0, 0.05 * 2**attempt))
                    continue
                kiosk.statuses.append(response.status_code)
                if response.status_code == 200:
                    kiosk.batches.append(time.perf_counter() - started)
                    kiosk.results.append(UploadResult.model_validate_json(response.content))
                    break
                await asyncio.sleep(min(1.0, 0.05 * 2**attempt))
        for path in ("/stats", "/privacy", "/calendar"):
            kiosk.statuses.append((await http.get(f"{API_PREFIX}{path}")).status_code)
    kiosk.finished = time.time()


def acknowledge(kiosk: Kiosk) -> bool:
    """Mark what the store acknowledged, through the kiosk's outbox; True if none is left."""
    for result in kiosk.results:
        ids = [str(item.id) for item in result.results if item.status in ACKNOWLEDGED]
        kiosk.outbox.apply_verdicts(Verdicts(ids, {}, [], result.total))
    with kiosk.outbox.store.read_session() as session:
        left = pending_count(session)
    kiosk.outbox.store.close()
    return left == 0


async def drive(kiosks: list[Kiosk], go_file: Path) -> float:
    """Send every kiosk's pass at once; returns the CPU seconds this process used."""
    while not go_file.exists():
        await asyncio.sleep(0.005)
    started = time.process_time()
    await asyncio.gather(*(send(kiosk) for kiosk in kiosks))
    return time.process_time() - started


def main(argv: list[str]) -> int:
    go_file, batch, report, *data_dirs = argv
    kiosks = [prepare(Path(data_dir), int(batch)) for data_dir in data_dirs]
    Path(report + ".ready").touch()
    cpu_seconds = asyncio.run(drive(kiosks, Path(go_file)))
    Path(report + ".sent").touch()  # the store's work is done: the bench reads the CPU
    done = [acknowledge(kiosk) for kiosk in kiosks]
    Path(report).write_text(
        json.dumps(
            {
                "finished": max(kiosk.finished for kiosk in kiosks),
                "cpu_seconds": cpu_seconds,
                "kiosks": [
                    {"done": ok, "batches": kiosk.batches, "statuses": kiosk.statuses}
                    for kiosk, ok in zip(kiosks, done, strict=True)
                ],
            }
        )
    )
    return 0 if all(done) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
