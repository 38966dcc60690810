"""Killing the writer at random moments never loses a committed signature."""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kiosk.store import open_store, repository
from tests.sealed import dev_private_key
from tests.store.crash_writer import NAME_PREFIX, pledge_for

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 30
DEV_KEY = dev_private_key()
INDEX_STEP = 1_000_000  # round r writes indexes r * INDEX_STEP, r * INDEX_STEP + 1, …


def run_rounds(data_dir: Path, rng: random.Random) -> tuple[dict[int, str], int]:
    """Fork, kill at a random moment, repeat; return what was printed as committed.

    A quarter of the kills land while the writer opens the store (the very
    first may hit the schema being created); the rest land among saves.
    """
    printed: dict[int, str] = {}
    killed_while_opening = 0
    lines: queue.Queue[str] = queue.Queue()
    with subprocess.Popen(
        [sys.executable, "-m", "tests.store.crash_writer", str(data_dir)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as server:
        pump = threading.Thread(target=lambda: [lines.put(line) for line in server.stdout])
        pump.start()

        def take(pid: str) -> bool:
            """Record the next line; False once the writer is reported dead."""
            line = lines.get(timeout=30).rstrip("\n")
            if line == f"dead {pid} {signal.SIGKILL}":
                return False
            assert not line.startswith(("error", "dead")), line
            if line != "ready":
                index, signature_id = line.split()
                printed[int(index)] = signature_id
            return True

        for round_number in range(ROUNDS):
            server.stdin.write(f"fork {round_number * INDEX_STEP}\n")
            server.stdin.flush()
            kind, pid = lines.get(timeout=30).split()
            assert kind == "child"
            if rng.random() < 0.25:
                time.sleep(rng.uniform(0.0, 0.1))
                killed_while_opening += 1
            else:
                while (line := lines.get(timeout=30)) != "ready\n":
                    assert not line.startswith("error"), line
                time.sleep(rng.uniform(0.0, 0.25))
            os.kill(int(pid), signal.SIGKILL)
            while take(pid):
                pass
        server.stdin.close()
        server.wait(timeout=30)
        pump.join(timeout=30)
    return printed, killed_while_opening


def check_row(connection: sqlite3.Connection, signature_id: str, index: int) -> None:
    """The row is exactly signature `index` as the writer built it (sealed part opened here)."""
    expected = pledge_for(index)
    row = connection.execute(
        "SELECT community_opt_in, language, postcode_area, sealed FROM signatures WHERE id = ?",
        (signature_id,),
    ).fetchone()
    assert row is not None, f"signature {index} ({signature_id}) was printed but is gone"
    details = expected.details
    assert row[:3] == (
        int(details.community_opt_in),
        expected.language,
        details.postcode[:3],
    )
    assert DEV_KEY.open(row[3]) == {
        "name": details.name,
        "email": details.email,
        "postcode": details.postcode,
        "strokes": [[list(point) for point in stroke] for stroke in expected.strokes],
    }
    commitments = connection.execute(
        "SELECT commitment_id FROM signature_commitments WHERE signature_id = ? ORDER BY position",
        (signature_id,),
    ).fetchall()
    assert tuple(c for (c,) in commitments) == expected.commitments


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_committed_signature(data_dir):
    seed = int(os.environ.get("KLIMATAVTAL_CRASH_SEED", random.randrange(1 << 30)))
    print(f"crash test seed {seed} (KLIMATAVTAL_CRASH_SEED to repeat)")
    printed, killed_while_opening = run_rounds(data_dir, random.Random(seed))
    print(f"{len(printed)} saves printed, {killed_while_opening} kills while opening")
    assert len(printed) >= 2 * ROUNDS

    # Read the files exactly as the kills left them (-wal included).
    connection = sqlite3.connect(data_dir / "klimatavtal.sqlite3")
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        for index, signature_id in printed.items():
            check_row(connection, signature_id, index)
        # Rows committed just before a kill, not yet printed, are whole too.
        rows = connection.execute("SELECT id, sealed FROM signatures").fetchall()
        for signature_id, sealed in rows:
            name = str(DEV_KEY.open(sealed)["name"])
            check_row(connection, signature_id, int(name.removeprefix(NAME_PREFIX)))
        assert len(rows) >= len(printed)
    finally:
        connection.close()

    store = open_store(data_dir)  # and the app opens it as usual
    with store.read_session() as session:
        assert repository.count_signatures(session) == len(rows)
    store.close()
