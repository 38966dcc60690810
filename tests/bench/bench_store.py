"""Saving one signature through the store against a raw sqlite3 INSERT+COMMIT.

Both write the same rows (a signature and its two commitments) in one
transaction to their own file in the same folder, with the same pragmas
(WAL, synchronous=FULL, so every commit waits for an fsync). The two are
interleaved save by save so that both meet the same disk. Goal from
issue 17: the store at most 2x the raw baseline at the median (issue 2 asked 3x).
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.content import load_consent
from kiosk.pledge import Pledge, check_details
from kiosk.store import open_store, repository
from kiosk.store.repository import build_signature
from sync.privacy.keys import development_keys
from tests.bench import percentile, ratio, report, timed

SAVES = 300
WARM_UP = 20
GOAL = 2.0
MOMENT = datetime(2026, 6, 13, 11, 15, tzinfo=ZoneInfo("Europe/Stockholm"))


def realistic_pledge() -> Pledge:
    """A signer's pledge with a signature of about 300 points in three strokes."""
    details = check_details(
        name="Åsa Öberg-Nilsson",
        email="asa.oberg@example.se",
        postcode="252 21",
        lives_or_works_in_helsingborg=True,
        community_opt_in=True,
        consent=True,
    ).details
    strokes = tuple(
        tuple((80 + s * 300 + i * 3, 300 + (i * 13 + s * 7) % 160) for i in range(100))
        for s in range(3)
    )
    return Pledge(("bike-short-trips", "less-food-waste"), details, strokes, "sv")


class RawBaseline:
    """The least a save can do: one INSERT per row and a COMMIT, same pragmas."""

    def __init__(self, path: Path, row: dict[str, object], commitments: list[str]):
        self.connection = sqlite3.connect(path, isolation_level=None)
        for pragma in (
            "journal_mode=WAL",
            "synchronous=FULL",
            "foreign_keys=ON",
            "secure_delete=ON",
        ):
            self.connection.execute(f"PRAGMA {pragma}")
        assert self.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        self.columns = list(row)
        self.row = row
        self.commitments = commitments
        names = ", ".join(self.columns)
        marks = ", ".join("?" * len(self.columns))
        self.insert = f"INSERT INTO signatures ({names}) VALUES ({marks})"

    def save(self) -> None:
        signature_id = str(uuid.uuid4())
        values = [signature_id if c == "id" else self.row[c] for c in self.columns]
        self.connection.execute("BEGIN IMMEDIATE")
        self.connection.execute(self.insert, values)
        self.connection.executemany(
            "INSERT INTO signature_commitments (signature_id, commitment_id, position) "
            "VALUES (?, ?, ?)",
            [(signature_id, cid, pos) for pos, cid in enumerate(self.commitments)],
        )
        self.connection.execute("COMMIT")

    def close(self) -> None:
        self.connection.close()


def run() -> None:
    pledge = realistic_pledge()
    consent = load_consent("sv")
    with tempfile.TemporaryDirectory(prefix="klimatavtal-bench-", dir=Path.cwd()) as folder:
        store = open_store(Path(folder) / "store")
        with store.session() as session:
            event = repository.ensure_current_event(session, default_name="Bänk", now=MOMENT)
            session.commit()

        raw_dir = Path(folder) / "raw"
        open_store(raw_dir).close()  # the same schema, made by the app
        template = build_signature(
            pledge, event_id=event.id, consent=consent, now=MOMENT, keys=development_keys()
        )
        row = {c.key: getattr(template, c.key) for c in template.__table__.columns}
        row["created_at_utc"] = row["consent_given_at_utc"] = "2026-06-13 09:15:00.000000"
        row["local_date"] = "2026-06-13"
        row["clock_unreliable"] = False  # the store computes it per save
        raw_connection = sqlite3.connect(raw_dir / "klimatavtal.sqlite3")
        raw_connection.execute(
            "INSERT INTO events (id, name, place, date, volunteers, "
            "created_at_utc) VALUES (?, 'Bänk', '', '2026-06-13', '', "
            "'2026-06-13 06:30:00')",
            (event.id,),
        )
        raw_connection.commit()
        raw_connection.close()
        raw = RawBaseline(raw_dir / "klimatavtal.sqlite3", row, list(pledge.commitments))

        def store_save() -> None:
            repository.save_signature(store, pledge, event_id=event.id, consent=consent, now=MOMENT)

        for _ in range(WARM_UP):
            store_save()
            raw.save()
        store_times, raw_times = [], []
        for _ in range(SAVES):
            store_times.append(timed(store_save))
            raw_times.append(timed(raw.save))
        raw.close()
        store.close()

    print(f"  one signature (~300 points, 2 commitments), {SAVES} saves each, interleaved")
    report("raw sqlite3 INSERT+COMMIT", raw_times)
    report("repository.save_signature", store_times)
    store_median, raw_median = statistics.median(store_times), statistics.median(raw_times)
    print(f"  {'store overhead at the median':<34} {(store_median - raw_median) * 1000:8.3f} ms")
    ratio("store / raw at the median", store_median, raw_median, GOAL)
    ratio(
        "store / raw at p95",
        percentile(store_times, 0.95),
        percentile(raw_times, 0.95),
        GOAL,
    )
