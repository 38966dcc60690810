"""`serve --workers 2` on PostgreSQL: several processes, one database, exactly once.

Kiosks sync at the same moment through small batches, so requests land on both
workers; every record is stored once, none refused, no 5xx, and the privacy
cursor numbers stay gap-free (each number handed out once, in commit order).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.privacy.local import kiosk_outbox
from kiosk.store import open_store
from sync.client import Uploader
from sync.enrolment import enroll
from sync.server.db import open_central_store
from sync.server.devices import add_device
from sync.server.models import PrivacyChange, StoredSignature
from tests.sync.fill import fill_pending
from tests.sync.serve_process import ServeProcess

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
