"""`serve --workers 2`: several processes, one database, exactly once; each worker on a
socket of its own, a dead one replaced.

Kiosks sync at the same moment through small batches, so requests land on both
workers; every record is stored once, none refused, no 5xx, and the privacy
cursor numbers stay gap-free (each number handed out once, in commit order).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from kiosk.privacy.local import kiosk_outbox
from kiosk.store import open_store
from sync.client import Uploader
from sync.enrolment import enroll
from sync.server.db import open_central_store
from sync.server.devices import add_device
from sync.server.models import PrivacyChange, StoredSignature
from sync.server.workers import spreads_connections
from tests.sync.fill import fill_pending
from tests.sync.serve_process import ROOT, ServeProcess

KIOSKS = 4
PER_KIOSK = 100


@pytest.mark.postgres
def test_two_workers_store_every_record_once(fresh_postgres_url, tmp_path: Path):
    central = open_central_store(fresh_postgres_url)  # migrated before the workers start
    stores = []
    with central.session() as session:
        tokens = [add_device(session, name=f"kiosk-{index}")[1] for index in range(KIOSKS)]
        session.commit()
    for index in range(KIOSKS):
        store = open_store(tmp_path / f"kiosk-{index}")
        # Every kiosk has the same 50 emails: their new HMACs race across the workers.
        fill_pending(store, count=PER_KIOSK, seed=index)
        stores.append(store)
    outcomes: list[object] = []
    with ServeProcess(fresh_postgres_url, workers=2) as server:
        for store, token in zip(stores, tokens, strict=True):
            enroll(kiosk_outbox(store), server_url=server.url, token=token)
        go = threading.Barrier(KIOSKS)

        def sync(store) -> None:  # type: ignore[no-untyped-def]
            with Uploader(kiosk_outbox(store), batch_size=10) as uploader:
                go.wait()
                outcomes.append(uploader.sync_once())

        threads = [threading.Thread(target=sync, args=(store,)) for store in stores]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert len(outcomes) == KIOSKS
    assert all(outcome.done and outcome.refused == 0 for outcome in outcomes), outcomes
    with central.session() as session:
        rows = session.scalar(select(func.count()).select_from(StoredSignature))
        distinct = session.scalar(select(func.count(func.distinct(StoredSignature.id))))
        numbers = list(session.scalars(select(PrivacyChange.seq).order_by(PrivacyChange.seq)))
        hmacs = session.scalar(select(func.count(func.distinct(StoredSignature.email_hmac))))
    central.close()
    assert rows == distinct == KIOSKS * PER_KIOSK
    assert numbers == list(range(1, len(numbers) + 1))  # gap-free, each once
    assert len(numbers) >= hmacs  # every HMAC the store holds was numbered
    for store in stores:
        store.close()


def listening_sockets(port: int) -> int:
    """How many sockets listen on 127.0.0.1:`port` (the kernel's own table)."""
    wanted = f"0100007F:{port:04X}"
    lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for line in lines if line.split()[1] == wanted and line.split()[3] == "0A")


def workers(pid: int) -> set[int]:
    """The worker processes uvicorn's supervisor `pid` started (not its resource tracker)."""
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
            except FileNotFoundError:
                continue  # gone meanwhile
            if b"spawn_main" in command:
                found.add(int(child))
    return found


def wait_for(check, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the store's workers did not get there in time"
        time.sleep(0.05)


@pytest.mark.skipif(not spreads_connections(), reason="SO_REUSEPORT spreading is Linux's")
def test_each_worker_has_its_own_socket_and_a_killed_one_is_replaced(tmp_path: Path):
    """The kernel spreads new kiosk connections over the workers' own sockets (one
    shared socket let the first worker awake take a whole burst of kiosks)."""
    url = f"sqlite:///{tmp_path / 'central-store.sqlite3'}"
    with ServeProcess(url, workers=2) as server:
        wait_for(lambda: len(workers(server.pid)) == 2 and listening_sockets(server.port) == 2)
        first, _second = sorted(workers(server.pid))
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: first not in workers(server.pid) and len(workers(server.pid)) == 2)
        wait_for(lambda: listening_sockets(server.port) == 2)  # the dead one's socket is gone
        for _ in range(20):  # new connections, each answered whichever worker takes it
            with httpx.Client() as client:
                assert client.get(f"{server.url}/api/v1/stats").status_code == 200


def test_a_port_another_program_holds_is_said_plainly_with_several_workers(tmp_path: Path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = subprocess.run(
            [
                sys.executable,
                "main.py",
                "serve",
                "--database-url",
                f"sqlite:///{tmp_path / 'central-store.sqlite3'}",
                "--port",
                str(port),
                "--workers",
                "2",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode != 0
    assert "address already in use" in done.stderr.lower()
