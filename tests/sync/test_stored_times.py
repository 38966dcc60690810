"""A signature's times are stored as the store's own code stores times: an organiser's
query, retention and the choice of a repeat signer's first compare them in SQL."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects import sqlite

from sync.server.devices import utc_now
from sync.server.models import StoredSignature
from tests.sync.records import event_json, record_json

UPLOAD = "/api/v1/signatures"
# (as the kiosk sent it, the UTC time it means)
TIMES = [
    ("2026-06-13T09:15:00", datetime(2026, 6, 13, 9, 15)),
    ("2026-06-13T11:15:00.000120+02:00", datetime(2026, 6, 13, 9, 15, 0, 120)),
    ("2026-06-13T09:15:07.5Z", datetime(2026, 6, 13, 9, 15, 7, 500_000)),
]


def _upload_times(live) -> list[str]:  # type: ignore[no-untyped-def]
    event = event_json()
    records = [
        record_json(event["id"], created_at_utc=sent, consent_given_at_utc=sent)
        for sent, _ in TIMES
    ]
    token = live.add_device()
    with live.client(token) as http:
        answer = http.post(
            UPLOAD,
            json={"protocol": 1, "kiosk_uuid": event["id"], "events": [event], "records": records},
        )
    assert [result["status"] for result in answer.json()["results"]] == ["accepted"] * 3
    return [record["id"] for record in records]


def test_times_read_back_as_the_utc_times_the_kiosk_sent(live_store):
    before = utc_now()
    ids = _upload_times(live_store)
    with live_store.central.session() as session:
        stored = {row.id: row for row in session.scalars(select(StoredSignature))}
    for key, (_, meant) in zip(ids, TIMES, strict=True):
        assert stored[key].created_at_utc == meant
        assert stored[key].consent_given_at_utc == meant
        assert stored[key].local_date == date(2026, 6, 13)
        assert before <= stored[key].received_at_utc <= utc_now()


def test_on_sqlite_the_text_is_what_sqlalchemy_stores_a_time_as(sqlite_live_store):
    """Fixed width, six digits of fraction: sqlite3's own adapter, which the raw insert
    had left the times to, wrote `09:15:00` for a zero fraction."""
    ids = _upload_times(sqlite_live_store)
    dialect = sqlite.dialect()
    spell_time = StoredSignature.created_at_utc.type.dialect_impl(dialect).bind_processor(dialect)
    spell_day = StoredSignature.local_date.type.dialect_impl(dialect).bind_processor(dialect)
    assert spell_time is not None and spell_day is not None
    path = sqlite_live_store.database_url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as db:
        rows = {
            key: rest
            for key, *rest in db.execute(
                "SELECT id, created_at_utc, consent_given_at_utc, local_date, received_at_utc "
                "FROM signatures"
            )
        }
    for key, (_, meant) in zip(ids, TIMES, strict=True):
        created, consented, day, received = rows[key]
        assert created == consented == spell_time(meant)
        assert day == spell_day(date(2026, 6, 13)) == "2026-06-13"
        assert received == spell_time(datetime.fromisoformat(received))
    assert rows[ids[0]][0] == "2026-06-13 09:15:00.000000"
