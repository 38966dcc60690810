"""Benchmark: 20 kiosk processes syncing 1,000 signatures each at once into PostgreSQL,
`serve --workers 2` against one worker (issue 17: how the store outgrows one process).

Each run gets a fresh PostgreSQL schema (dropped afterwards) and `main.py serve`
in its own process(es); the 20 kiosks are their own processes (tests/bench/
scaleout_kiosk.py), started, then released together. Printed per run: signatures
per second from the release until the last kiosk finished, the p50/p99 latency
of one batch upload, 5xx answers, and the rows the store holds afterwards
(exactly 20,000: none twice, none lost). Batches of 100, so each kiosk sends ten
and the percentiles have 200 samples.

KLIMATAVTAL_TEST_DATABASE_URL names the server (default the local test database).
The kiosks share the machine's cores with the store, so on a 2-core machine a
second worker has little idle CPU to use: the ratio says what this machine shows.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url

from kiosk.store import open_store
from kiosk.store.models import Signature, SyncState
from kiosk.store.outbox import SERVER_URL_KEY, TOKEN_KEY
from kiosk.store.repository import set_setting
from sync.server.db import open_central_store
from sync.server.devices import add_device
from tests.sync.fill import fill_pending
from tests.sync.serve_process import ROOT, ServeProcess

KIOSKS = 20
EACH = 1_000
BATCH = 100
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEADLINE_S = 240  # per run: the bench never hangs


def prepare_kiosks(folder: Path) -> list[Path]:
    dirs = []
    for index in range(KIOSKS):
        data_dir = folder / f"kiosk-{index}"
        store = open_store(data_dir)
        fill_pending(store, count=EACH, seed=1000 + index)
        store.close()
        dirs.append(data_dir)
    return dirs


def point_kiosks(dirs: list[Path], url: str, tokens: list[str]) -> None:
    """Everything pending again, aimed at this run's store."""
    for data_dir, token in zip(dirs, tokens, strict=True):
        store = open_store(data_dir)
        with store.session() as session:
            session.execute(
                update(Signature).values(sync_state=SyncState.PENDING, synced_at_utc=None)
            )
            set_setting(session, SERVER_URL_KEY, url)
            set_setting(session, TOKEN_KEY, token)
            session.commit()
        store.close()


def one_run(base_url: str, dirs: list[Path], folder: Path, workers: int) -> dict[str, float]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = (
        make_url(base_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    kiosks: list[subprocess.Popen[bytes]] = []
    try:
        central = open_central_store(url)
        with central.session() as session:
            tokens = [add_device(session, name=f"kiosk-{i}")[1] for i in range(KIOSKS)]
            session.commit()
        central.close()
        with ServeProcess(url, workers=workers) as server:
            point_kiosks(dirs, server.url, tokens)
            go = folder / f"go-{workers}"
            reports = [folder / f"report-{workers}-{i}.json" for i in range(KIOSKS)]
            for data_dir in dirs:
                (data_dir / "ready").unlink(missing_ok=True)
            for data_dir, report in zip(dirs, reports, strict=True):
                kiosks.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "tests.bench.scaleout_kiosk"]
                        + [str(data_dir), str(go), str(BATCH), str(report)],
                        cwd=ROOT,
                    )
                )
            deadline = time.monotonic() + DEADLINE_S
            while not all((d / "ready").exists() for d in dirs):
                if time.monotonic() > deadline or any(k.poll() is not None for k in kiosks):
                    raise RuntimeError("the kiosk processes did not start")
                time.sleep(0.05)
            time.sleep(1.0)  # let their start-up CPU settle before the clock starts
            released = time.time()
            go.touch()
            for kiosk in kiosks:
                kiosk.wait(timeout=max(1.0, deadline - time.monotonic()))
        results = [json.loads(report.read_text()) for report in reports]
        with admin.connect() as connection:
            rows, distinct = connection.execute(
                text(f"SELECT count(*), count(DISTINCT id) FROM {schema}.signatures")
            ).one()
    finally:
        for kiosk in kiosks:
            if kiosk.poll() is None:
                kiosk.kill()
                kiosk.wait()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
    latencies = sorted(s for result in results for s in result["batches"])
    elapsed = max(result["finished"] for result in results) - released
    return {
        "seconds": elapsed,
        "rate": rows / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": statistics.quantiles(latencies, n=100)[98] * 1000,
        "batches": len(latencies),
        "errors": sum(code >= 500 for result in results for code in result["statuses"]),
        "rows": rows,
        "distinct": distinct,
        "done": all(result["done"] for result in results),
    }


def run() -> None:
    base_url = os.environ.get("KLIMATAVTAL_TEST_DATABASE_URL", DEFAULT_URL)
    with tempfile.TemporaryDirectory(prefix="bench-scaleout-") as tmp:
        folder = Path(tmp)
        dirs = prepare_kiosks(folder)
        runs = {workers: one_run(base_url, dirs, folder, workers) for workers in (1, 2)}
    print(
        f"scale-out: {KIOSKS} kiosk processes x {EACH:,} signatures at once into PostgreSQL "
        f"(batches of {BATCH}), on {os.cpu_count()} cores shared with the kiosks"
    )
    for workers, r in runs.items():
        print(
            f"  serve --workers {workers}: {r['seconds']:6.2f} s  {r['rate']:6.0f} signatures/s  "
            f"batch p50 {r['p50']:.0f} ms, p99 {r['p99']:.0f} ms ({r['batches']} batches)  "
            f"5xx: {r['errors']}  rows {r['rows']:,} ({r['distinct']:,} distinct)  "
            f"{'all sent' if r['done'] else 'NOT ALL SENT'}"
        )
    ratio = runs[2]["rate"] / runs[1]["rate"]
    exact = all(r["rows"] == r["distinct"] == KIOSKS * EACH for r in runs.values())
    print(
        f"  2 workers / 1 worker: {ratio:.2f}x throughput (goal >= 1.6x): "
        f"{'OK' if ratio >= 1.6 else 'MISSED'}; none twice, none lost: "
        f"{'OK' if exact else 'MISSED'}; no 5xx: "
        f"{'OK' if not any(r['errors'] for r in runs.values()) else 'MISSED'}"
    )


if __name__ == "__main__":
    run()
