"""Benchmark: what a kiosk downloads per sync pass from a store holding 100,000 signatures.

Issue 17: the kiosk syncs after every signature and every minute, often over a
phone hotspot, so what one pass downloads must grow with what changed since the
last pass, not with the store. The store (SQLite, `main.py serve` in its own
process) is filled with 100,000 signatures from other kiosks, half with an email
HMAC, and 100 withdrawals, through `repository.store_batch` as uploads would.
A kiosk then syncs pass by pass; its HTTP bodies are counted on the wire (bodies
only; headers add ~300 bytes a request), beside what the same pass uploads:

- the first pass (no cursor yet: the whole privacy state, once);
- a pass when nothing changed anywhere;
- a pass after this kiosk took 10 signatures;
- a pass after other kiosks sent 1,000 signatures and 10 signers withdrew.
"""

from __future__ import annotations

import base64
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import httpx

from kiosk.privacy.local import kiosk_outbox
from kiosk.store import open_store
from sync.client import Uploader
from sync.enrolment import enroll
from sync.privacy.keys import development_keys
from sync.privacy.withdrawal import code_for
from sync.protocol import EventInfo, SignatureRecord, UploadBatch
from sync.server import repository
from sync.server.db import open_central_store
from sync.server.devices import add_device
from tests.sync.fill import fill_pending
from tests.sync.serve_process import ServeProcess

STORE_SIZE = 100_000
BATCH = 500


class CountingTransport(httpx.HTTPTransport):
    """Counts the request and response bodies that cross the wire."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0
        self.received = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += len(request.read())
        response = super().handle_request(request)
        self.received += len(response.read())
        return response


@dataclass
class Elsewhere:
    """Other kiosks' uploads and signers' withdrawals, straight into the store."""

    database_url: str
    serial: int = 0

    def upload(self, count: int) -> list[str]:
        keys = development_keys()
        sealed = keys.seal({"name": "bench"})  # one blob for all: the store cannot open it
        blob = base64.b64encode(sealed).decode("ascii")
        event = EventInfo.model_validate(
            {"id": str(uuid.uuid4()), "name": "Elsewhere", "date": date(2026, 6, 13)}
        )
        codes: list[str] = []
        central = open_central_store(self.database_url)
        try:
            with central.session() as session:
                device, _token = add_device(session, name=f"elsewhere-{self.serial}")
                session.commit()
            for start in range(0, count, BATCH):
                records = []
                for _ in range(min(BATCH, count - start)):
                    self.serial += 1
                    key = str(uuid.uuid4())
                    codes.append(code_for(key))
                    email = f"elsewhere{self.serial}@example.se" if self.serial % 2 else None
                    moment = datetime(2026, 6, 13, 9, 0, self.serial % 60)
                    records.append(
                        SignatureRecord.model_validate(
                            {
                                "id": key,
                                "event_id": event.id,
                                "created_at_utc": moment,
                                "utc_offset_minutes": 120,
                                "local_date": date(2026, 6, 13),
                                "language": "sv",
                                "sealed": blob,
                                "email_hmac": keys.email_hmac(email),
                                "withdrawal_code": codes[-1],
                                "consent_version": "v1",
                                "consent_sha256": "ab" * 32,
                                "consent_given_at_utc": moment,
                            }
                        )
                    )
                batch = UploadBatch.model_validate(
                    {"kiosk_uuid": str(uuid.uuid4()), "events": [event], "records": records}
                )
                with central.session() as session:
                    repository.store_batch(session, batch=batch, device=session.merge(device))
                    session.commit()
        finally:
            central.close()
        return codes

    def withdraw(self, codes: list[str]) -> None:
        central = open_central_store(self.database_url)
        try:
            with central.session() as session:
                for code in codes:
                    repository.withdraw(session, code=code)
                session.commit()
        finally:
            central.close()


def one_pass(store, transport: CountingTransport) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(bytes uploaded, bytes downloaded) by one sync pass."""
    transport.sent = transport.received = 0
    with Uploader(kiosk_outbox(store), transport=transport) as uploader:
        outcome = uploader.sync_once()
    assert outcome.done, outcome
    return transport.sent, transport.received


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-download-") as tmp:
        folder = Path(tmp)
        database_url = f"sqlite:///{folder / 'central.sqlite3'}"
        elsewhere = Elsewhere(database_url)
        started = time.perf_counter()
        codes = elsewhere.upload(STORE_SIZE)
        elsewhere.withdraw(codes[:100])
        filled = time.perf_counter() - started
        central = open_central_store(database_url)
        with central.session() as session:
            _device, token = add_device(session, name="kiosk")
            session.commit()
        central.close()
        store = open_store(folder / "kiosk")
        transport = CountingTransport()
        rows: list[tuple[str, int, int]] = []
        with ServeProcess(database_url) as server:
            enroll(kiosk_outbox(store), server_url=server.url, token=token)
            rows.append(("first pass (no cursor: whole state)", *one_pass(store, transport)))
            rows.append(("nothing changed anywhere", *one_pass(store, transport)))
            fill_pending(store, count=10, seed=17)
            rows.append(("this kiosk took 10 signatures", *one_pass(store, transport)))
            more = elsewhere.upload(1_000)
            elsewhere.withdraw(more[:10])
            rows.append(("elsewhere: 1,000 new, 10 withdrawn", *one_pass(store, transport)))
            rows.append(("nothing changed again", *one_pass(store, transport)))
        store.close()

    print(
        f"download: bytes per sync pass, store holding {STORE_SIZE:,} signatures "
        f"(half with an email HMAC, 100 withdrawn; filled in {filled:.0f} s)"
    )
    print(f"  {'pass':38} {'uploaded':>10} {'downloaded':>11}")
    for name, up, down in rows:
        print(f"  {name:38} {up:>10,} {down:>11,}")
    full = rows[0][2]
    quiet = rows[1][2]
    print(
        f"  a pass with nothing new downloads {quiet:,} bytes, "
        f"{quiet / full:.4%} of the whole state ({full:,}): "
        f"{'OK' if quiet < full / 100 else 'MISSED'} (grows with what changed, not the store)"
    )


if __name__ == "__main__":
    run()
