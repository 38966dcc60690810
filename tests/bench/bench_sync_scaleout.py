"""Benchmark: 20 kiosks sending 1,000 signatures each at once into PostgreSQL,
`serve --workers 2` against one worker (issue 17: how the store outgrows one process).

Each run gets a fresh PostgreSQL schema (dropped afterwards) and `main.py serve`
in its own process(es). The 20 kiosks (each its own SQLite store, device token
and keep-alive connection) are driven from one process (tests/bench/
scaleout_kiosk.py) that prepares every request before the start, so the store
meets what a fleet of separate laptops asks of it, not 20 Python processes
competing for its cores. Printed per run: signatures per second from the
release until the last kiosk finished, the p50/p99 latency of one batch upload,
5xx answers, the rows the store holds afterwards (exactly 20,000: none twice,
none lost), and the CPU each part used meanwhile, in cores: the store's
process(es), PostgreSQL, the kiosks' process and everything else on the machine
(other builds), from /proc. Batches of 100, so each kiosk sends ten and the
percentiles have 200 samples.

KLIMATAVTAL_TEST_DATABASE_URL names the server (default the local test database).
Everything shares the machine's cores, so on a 2-core machine a second worker
has only the idle CPU to use: the CPU line says how much there was.
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


def _ticks(pid: str) -> tuple[int, int]:
    """(parent pid, clock ticks) of one process, from /proc: its own user+system time
    and that of its children it has reaped. Without the children's, a PostgreSQL
    backend that ended during the run (a connection the pool closed) took its CPU
    with it: the postmaster reaps it, and only the postmaster's figure keeps it."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return int(fields[1]), sum(int(value) for value in fields[11:15])


def cpu_seconds(roles: dict[str, int]) -> dict[str, float]:
    """CPU seconds used so far by each role's process and its children, and by every
    PostgreSQL process ("database", when it runs on this machine). Linux only."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent, used = _ticks(entry.name)
            names[int(entry.name)] = (entry / "comm").read_text().strip()
        except OSError:
            continue
        parents[int(entry.name)] = parent
        ticks[int(entry.name)] = used
    hz = os.sysconf("SC_CLK_TCK")
    totals = dict.fromkeys([*roles, "database"], 0.0)
    # The whole machine: user, nice, system, irq, softirq, steal (not idle, not iowait).
    cpu = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    totals["machine"] = sum(int(cpu[i]) for i in (0, 1, 2, 5, 6, 7)) / hz
    for pid, used in ticks.items():
        if names.get(pid, "").startswith("postgres"):
            totals["database"] += used / hz
            continue
        ancestor = pid
        while ancestor > 1:
            role = next((r for r, root in roles.items() if root == ancestor), None)
            if role is not None:
                totals[role] += used / hz
                break
            ancestor = parents.get(ancestor, 1)
    return totals


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
    driver: subprocess.Popen[bytes] | None = None
    try:
        central = open_central_store(url)
        with central.session() as session:
            tokens = [add_device(session, name=f"kiosk-{i}")[1] for i in range(KIOSKS)]
            session.commit()
        central.close()
        with ServeProcess(url, workers=workers) as server:
            point_kiosks(dirs, server.url, tokens)
            go = folder / f"go-{workers}"
            report = folder / f"report-{workers}.json"
            ready = Path(f"{report}.ready")
            driver = subprocess.Popen(
                [sys.executable, "-m", "tests.bench.scaleout_kiosk"]
                + [str(go), str(BATCH), str(report)]
                + [str(d) for d in dirs],
                cwd=ROOT,
            )
            deadline = time.monotonic() + DEADLINE_S
            while not ready.exists():
                if time.monotonic() > deadline or driver.poll() is not None:
                    raise RuntimeError("the kiosks did not get ready")
                time.sleep(0.05)
            time.sleep(1.0)  # let their start-up CPU settle before the clock starts
            roles = {"store": server.pid}
            before = cpu_seconds(roles)
            released = time.time()
            go.touch()
            sent = Path(f"{report}.sent")
            while not sent.exists() and driver.poll() is None:
                time.sleep(0.01)  # the kiosks' last answer: the store's work is done
            used = {role: seconds - before[role] for role, seconds in cpu_seconds(roles).items()}
            driver.wait(timeout=max(1.0, deadline - time.monotonic()))
            outcome = json.loads(report.read_text())
            elapsed = outcome["finished"] - released
            used["kiosks"] = outcome["cpu_seconds"]
        results = outcome["kiosks"]
        with admin.connect() as connection:
            rows, distinct = connection.execute(
                text(f"SELECT count(*), count(DISTINCT id) FROM {schema}.signatures")
            ).one()
    finally:
        if driver is not None and driver.poll() is None:
            driver.kill()
            driver.wait()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
    latencies = sorted(s for result in results for s in result["batches"])
    return {
        **{f"cpu_{role}": seconds / elapsed for role, seconds in used.items()},
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
        f"scale-out: {KIOSKS} kiosks x {EACH:,} signatures at once into PostgreSQL "
        f"(batches of {BATCH}, prepared before the start, sent from one process), "
        f"on {os.cpu_count()} cores shared with the kiosks"
    )
    for workers, r in runs.items():
        others = r["cpu_machine"] - r["cpu_store"] - r["cpu_database"] - r["cpu_kiosks"]
        print(
            f"  serve --workers {workers}: {r['seconds']:6.2f} s  {r['rate']:6.0f} signatures/s  "
            f"batch p50 {r['p50']:.0f} ms, p99 {r['p99']:.0f} ms ({r['batches']} batches)  "
            f"5xx: {r['errors']}  rows {r['rows']:,} ({r['distinct']:,} distinct)  "
            f"{'all sent' if r['done'] else 'NOT ALL SENT'}"
        )
        print(
            f"    CPU in cores while it ran: store {r['cpu_store']:.2f}, PostgreSQL "
            f"{r['cpu_database']:.2f}, the kiosks' process {r['cpu_kiosks']:.2f}, "
            f"everything else on the machine {others:.2f} (of {os.cpu_count()})"
        )
    ratio = runs[2]["rate"] / runs[1]["rate"]
    # What one worker's run used per signature (store, PostgreSQL, kiosks), against the
    # cores the two-worker run had left after everything else: no second worker can
    # go faster than that lets it, however well the store scales.
    one, two = runs[1], runs[2]
    used = one["cpu_store"] + one["cpu_database"] + one["cpu_kiosks"]
    free = os.cpu_count() or 1
    free -= two["cpu_machine"] - two["cpu_store"] - two["cpu_database"] - two["cpu_kiosks"]
    print(
        f"  this machine's ceiling for 2 workers: {free / used:.2f}x (one worker's run used "
        f"{used:.2f} cores for store, PostgreSQL and kiosks; the other run had {free:.2f} "
        "cores free of everything else)"
    )
    exact = all(r["rows"] == r["distinct"] == KIOSKS * EACH for r in runs.values())
    print(
        f"  2 workers / 1 worker: {ratio:.2f}x throughput (goal >= 1.6x): "
        f"{'OK' if ratio >= 1.6 else 'MISSED'}; none twice, none lost: "
        f"{'OK' if exact else 'MISSED'}; no 5xx: "
        f"{'OK' if not any(r['errors'] for r in runs.values()) else 'MISSED'}"
    )


if __name__ == "__main__":
    run()
