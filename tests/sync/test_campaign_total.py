"""The total an upload answers is exact: every stored kiosk signature once, plus the
tallies, after retries, erasures and (PostgreSQL) uploads racing across two workers,
where the count is kept by triggers in signature_counts rather than count(*)."""

from __future__ import annotations

import threading
import uuid

import httpx
import pytest
from sqlalchemy import func, select, text

from sync.server import repository
from sync.server.db import open_central_store
from sync.server.devices import add_device
from sync.server.models import StoredSignature
from tests.sync.records import event_json, record_json
from tests.sync.serve_process import ServeProcess

UPLOAD = "/api/v1/signatures"


def batch(event: dict, count: int) -> dict:
    return {
        "protocol": 1,
        "kiosk_uuid": str(uuid.uuid4()),
        "events": [event],
        "records": [
            record_json(event["id"], name=f"Signer {i}", email=f"signer{i}@example.se")
            for i in range(count)
        ],
    }


def test_the_total_counts_each_signature_once_through_retries_tallies_and_erasures(live_store):
    token = live_store.add_device()
    event = event_json()
    first, second = batch(event, 3), batch(event, 2)
    with live_store.client(token) as http:
        assert http.post(UPLOAD, json=first).json()["total"] == 3
        assert http.post(UPLOAD, json=first).json()["total"] == 3  # a retry adds nothing
        with live_store.central.session() as session:
            repository.add_tally(session, source="paper", count=10)
            session.commit()
        assert http.post(UPLOAD, json=second).json()["total"] == 15
        with live_store.central.session() as session:
            erased = repository.erase(
                session, withdrawal_code=first["records"][0]["withdrawal_code"]
            )
            session.commit()
        assert len(erased) == 1
        assert http.post(UPLOAD, json=second).json()["total"] == 14
    with live_store.central.session() as session:
        assert repository.stats(session).kiosk_signatures == 4


KIOSKS = 6
BATCHES = 8
PER_BATCH = 25


@pytest.mark.postgres
def test_two_workers_keep_the_count_exact_while_it_is_folded(fresh_postgres_url):
    central = open_central_store(fresh_postgres_url)
    with central.session() as session:
        tokens = [add_device(session, name=f"kiosk-{index}")[1] for index in range(KIOSKS)]
        # Count row number 256 (one in 256 folds) is the 31st upload's: the others run on,
        # and at most five of the 30 before it (one per other kiosk) are not committed.
        session.execute(text("SELECT setval('signature_counts_id_seq', 225)"))
        session.commit()
    event = event_json()
    answers: list[int] = []
    failures: list[object] = []
    with ServeProcess(fresh_postgres_url, workers=2) as server:
        go = threading.Barrier(KIOSKS)

        def kiosk(token: str) -> None:
            batches = [batch(event, PER_BATCH) for _ in range(BATCHES)]
            with httpx.Client(
                base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
            ) as http:
                go.wait()
                for body in batches:
                    answer = http.post(UPLOAD, json=body)
                    if answer.status_code != 200 or answer.json()["accepted"] != PER_BATCH:
                        failures.append(answer.text)
                    answers.append(answer.json()["total"])
                # Everything this kiosk sent is stored: a retry's total counts it all.
                answers.append(http.post(UPLOAD, json=batches[0]).json()["total"])

        threads = [threading.Thread(target=kiosk, args=(token,)) for token in tokens]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        with httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {tokens[0]}"}, timeout=60
        ) as http:
            last = http.post(UPLOAD, json=batch(event, 1)).json()["total"]
    with central.session() as session:
        rows = session.scalar(select(func.count()).select_from(StoredSignature))
        counted, kept = session.execute(
            text("SELECT sum(delta), count(*) FROM signature_counts")
        ).one()
    central.close()
    assert not failures
    assert rows == KIOSKS * BATCHES * PER_BATCH + 1
    assert last == counted == rows
    assert max(answers) <= rows - 1 and len(answers) == KIOSKS * (BATCHES + 1)
    assert kept <= KIOSKS * BATCHES + 1 - 24  # of the 49 rows added, 25 or more folded into one
