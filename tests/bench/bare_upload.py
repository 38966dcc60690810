"""The bare batched upload: the least a batched sync can do, the baseline of bench_sync.

Server (`python -m tests.bench.bare_upload serve DB PORT`): a bare FastAPI endpoint
that does `json.loads` + `executemany` into SQLite with the store's pragmas (WAL,
synchronous=FULL), one transaction per batch. Client (`upload`): reads the kiosk's
pending rows with sqlite3, posts the same fields as JSON in batches of 500 and
marks each batch sent in the kiosk's file. No validation, no digests, no ORM.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import sys
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import Response

COLUMNS = (
    "id, event_id, created_at_utc, utc_offset_minutes, local_date, language, sealed, "
    "email_hmac, withdrawal_code, postcode_area, lives_or_works_in_helsingborg, "
    "community_opt_in, helper_opt_in, consent_version, consent_sha256, "
    "consent_given_at_utc, clock_unreliable"
)
NAMES = [name.strip() for name in COLUMNS.split(",")]


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000"):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def app(database: Path) -> FastAPI:
    connection = connect(database)
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS signatures ({COLUMNS}, commitments, PRIMARY KEY (id))"
    )
    marks = ", ".join("?" * (len(NAMES) + 1))
    insert = f"INSERT OR IGNORE INTO signatures VALUES ({marks})"
    bare = FastAPI()

    @bare.post("/upload")
    async def upload(request: Request) -> Response:
        records = json.loads(await request.body())["records"]
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            insert,
            [
                [*(r[name] for name in NAMES[:6]), base64.b64decode(r["sealed"])]
                + [r[name] for name in NAMES[7:]]
                + [json.dumps(r["commitments"])]
                for r in records
            ],
        )
        connection.execute("COMMIT")
        return Response(json.dumps({"stored": len(records)}), media_type="application/json")

    return bare


def upload(kiosk_db: Path, url: str, batch: int = 500) -> int:
    """Send every pending row; returns how many were sent."""
    kiosk = connect(kiosk_db)
    sent = 0
    with httpx.Client(base_url=url, timeout=60) as http:
        while True:
            rows = kiosk.execute(
                f"SELECT {COLUMNS} FROM signatures WHERE sync_state = 'pending' "
                "AND practice = 0 ORDER BY created_at_utc, id LIMIT ?",
                (batch,),
            ).fetchall()
            if not rows:
                return sent
            ids = [row[0] for row in rows]
            marks = ", ".join("?" * len(ids))
            commitments: dict[str, list[str]] = {key: [] for key in ids}
            for signature_id, commitment in kiosk.execute(
                "SELECT signature_id, commitment_id FROM signature_commitments "
                f"WHERE signature_id IN ({marks}) ORDER BY signature_id, position",
                ids,
            ):
                commitments[signature_id].append(commitment)
            records = []
            for row in rows:
                record = dict(zip(NAMES, row, strict=True))
                record["sealed"] = base64.b64encode(record["sealed"]).decode("ascii")
                record["commitments"] = commitments[record["id"]]
                records.append(record)
            http.post("/upload", content=json.dumps({"records": records})).raise_for_status()
            kiosk.execute("BEGIN IMMEDIATE")
            kiosk.execute(f"UPDATE signatures SET sync_state = 'sent' WHERE id IN ({marks})", ids)
            kiosk.execute("COMMIT")
            sent += len(ids)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        import uvicorn

        uvicorn.run(
            app(Path(sys.argv[2])), host="127.0.0.1", port=int(sys.argv[3]), log_level="warning"
        )
