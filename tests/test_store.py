"""The local store on real SQLite files."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

from sqlalchemy import select

from kiosk.store import open_store, repository
from kiosk.store.models import Signature, SyncState
from tests.conftest import make_pledge, save


def test_every_connection_is_crash_safe(store):
    with store.engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 5000,
    }


def test_saved_pledge_reads_back_whole(store, market_day):
    pledge = make_pledge("Zoë O'Brien-Åkesson", email="zoe@example.se", postcode="25221")
    signature_id = save(store, pledge, now=market_day)
    with store.session() as session:
        row = session.get(Signature, signature_id)
        assert row is not None
        assert row.name == "Zoë O'Brien-Åkesson"
        assert (row.postcode, row.postcode_area) == ("252 21", "252")
        assert [c.commitment_id for c in row.commitments] == ["bike-short-trips", "less-food-waste"]
        assert row.utc_offset_minutes == 120
        assert row.created_at_utc == market_day.replace(tzinfo=None) - timedelta(hours=2)
        assert row.sync_state == SyncState.PENDING
        assert json.loads(row.strokes)[0][0] == [100, 300]


def test_counts_exclude_practice(store, market_day):
    save(store, now=market_day)
    save(store, now=market_day, practice=True)
    with store.session() as session:
        assert repository.count_signatures(session) == 1
        assert repository.count_signatures(session, local_date=market_day.date()) == 1
        assert repository.pending_count(session) == 1
        (event,) = repository.counts_per_event(session)
        assert (event.signatures, event.pending) == (1, 1)


def test_reopening_keeps_everything(data_dir, market_day):
    first = open_store(data_dir)
    ids = {save(first, now=market_day) for _ in range(3)}
    first.close()
    again = open_store(data_dir)
    with again.session() as session:
        assert set(session.scalars(select(Signature.id))) == ids
    again.close()
    check = sqlite3.connect(data_dir / "klimatavtal.sqlite3")
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()
