"""The console's overview against `GET /api/v1/stats`, on a store of 100,000 signatures.

Rows are written straight into the store's tables (as an upload would leave
them, sealed blobs included), then both pages are fetched over HTTP from a
real uvicorn on 127.0.0.1, interleaved. Goal from issue 12: the overview at
most 3x /stats at the median.

/stats answers from a snapshot refreshed at most every 30 s (public/counter.py),
so most requests never reach the database; the goal was set against the work of
reading the figures. The baseline is therefore /stats just after the snapshot was
dropped (the request reads the store), and the cached answer is printed beside.
"""

from __future__ import annotations

import statistics
import tempfile
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert

from sync.server.app import create_app
from sync.server.console import accounts
from sync.server.models import Device, StoredSignature, StoreEvent
from sync.server.settings import Settings
from tests.bench import ratio, report, timed
from tests.sync.conftest import ServerThread

SIGNATURES = 100_000
REQUESTS = 30
GOAL = 3.0
PASSWORD = "benchmark password"


def first_of(index: int) -> str:
    """The first signature with the same email HMAC (HMACs repeat after 90,000)."""
    return str(uuid.UUID(int=index - 89_999, version=4))


def fill(app) -> None:  # type: ignore[no-untyped-def]
    start = datetime(2026, 5, 1, 9, 0)
    with app.state.store.session() as session:
        session.add(Device(id=1, name="laptop-1", token_sha256="0" * 64, created_at_utc=start))
        events = [str(uuid.uuid4()) for _ in range(40)]
        session.execute(
            insert(StoreEvent),
            [{"id": e, "name": f"Torg {n}", "place": "Helsingborg",
              "date": date(2026, 5, 1) + timedelta(days=n)} for n, e in enumerate(events)],
        )  # fmt: skip
        rows = []
        for index in range(SIGNATURES):
            day = index % 40
            moment = start + timedelta(days=day, seconds=index)
            rows.append({
                "id": str(uuid.UUID(int=index + 1, version=4)), "content_sha256": "0" * 64,
                "event_id": events[day], "device_id": 1, "kiosk_uuid": str(uuid.UUID(int=1)),
                "received_at_utc": moment, "created_at_utc": moment, "utc_offset_minutes": 120,
                "local_date": moment.date(), "language": "sv", "sealed": b"\0" * 400,
                "email_hmac": f"{index % 90_000:064x}", "withdrawal_code": "AAAAAAAAAA",
                "duplicate_of": None if index < 90_000 else first_of(index),
                "postcode_area": "252", "lives_or_works_in_helsingborg": True,
                "community_opt_in": index % 3 == 0, "helper_opt_in": index % 5 == 0,
                "consent_version": "2026-1", "consent_sha256": "0" * 64,
                "consent_given_at_utc": moment, "commitments": "[]",
            })  # fmt: skip
            if len(rows) == 5000:
                session.execute(insert(StoredSignature), rows)
                rows = []
        accounts.add_user(session, name="bench", role="viewer", password=PASSWORD, now=start)
        session.commit()


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Settings(database_url=f"sqlite:///{Path(folder) / 'store.sqlite3'}"))
        fill(app)
        with ServerThread(app) as url, httpx.Client(base_url=url, timeout=60) as client:
            form = client.get("/console/login").text
            token = form.split('name="csrf_token" value="')[1].split('"')[0]
            client.post("/console/login", data={"name": "bench", "password": PASSWORD,
                                                "csrf_token": token})  # fmt: skip
            assert client.get("/console/").status_code == 200
            cache = app.state.public.cache
            cached, stats, overview = [], [], []
            for _ in range(REQUESTS):
                cached.append(timed(lambda: client.get("/api/v1/stats").raise_for_status()))
                cache.invalidate()  # the next one reads the store, as every refresh does
                stats.append(timed(lambda: client.get("/api/v1/stats").raise_for_status()))
                overview.append(timed(lambda: client.get("/console/").raise_for_status()))
        report("GET /api/v1/stats from its 30 s snapshot", cached)
        report(f"GET /api/v1/stats read from {SIGNATURES:,} signatures", stats)
        report(f"GET /console/ (overview), {SIGNATURES:,} signatures", overview)
        ratio("overview / stats (median)", statistics.median(overview),
              statistics.median(stats), GOAL)  # fmt: skip
