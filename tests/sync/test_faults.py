"""Exactly once through a network that drops, resets, stalls and loses answers."""

from __future__ import annotations

import random
import time

import httpx
import pytest
from sqlalchemy import func, select

from kiosk.privacy.local import kiosk_outbox
from kiosk.store.models import Signature, SyncState
from kiosk.store.outbox import SERVER_URL_KEY
from kiosk.store.repository import set_setting
from sync.client import Backoff, Uploader
from sync.enrolment import enroll
from sync.server.models import StoredSignature
from tests.sync.faulty_proxy import FAULTS, LOSE, FaultyProxy
from tests.sync.fill import fill_pending

SIGNATURES = 10_000


@pytest.mark.slow
def test_ten_thousand_signatures_arrive_exactly_once(store, sqlite_live_store):
    fill_pending(store, count=SIGNATURES, seed=7)
    enroll(
        kiosk_outbox(store), server_url=sqlite_live_store.url, token=sqlite_live_store.add_device()
    )
    upstream_port = int(sqlite_live_store.url.rsplit(":", 1)[1])
    with FaultyProxy(upstream_port, seed=11, stall_seconds=1.5, script=(LOSE, *FAULTS)) as proxy:
        with store.session() as session:  # enrolled directly, then sent through the proxy
            set_setting(session, SERVER_URL_KEY, proxy.url)
            session.commit()
        backoff = Backoff(base=0.01, cap=0.1, rng=random.Random(3))
        passes = duplicates = 0
        started = time.monotonic()
        with Uploader(kiosk_outbox(store), timeout=httpx.Timeout(1.0, connect=1.0)) as uploader:
            while time.monotonic() - started < 50:
                passes += 1
                outcome = uploader.sync_once()
                duplicates += outcome.duplicates
                if outcome.done:
                    break
                time.sleep(backoff.next_delay())
    assert outcome.done, outcome
    with sqlite_live_store.central.session() as session:
        rows = session.scalar(select(func.count()).select_from(StoredSignature))
        distinct = session.scalar(select(func.count(func.distinct(StoredSignature.id))))
    assert rows == distinct == SIGNATURES
    with store.session() as session:
        sent = session.scalar(
            select(func.count())
            .select_from(Signature)
            .where(Signature.sync_state == SyncState.SENT)
        )
    assert sent == SIGNATURES
    # the network really was bad, and answers lost after a commit were acknowledged again
    assert set(proxy.faults) == set(FAULTS), proxy.faults
    assert duplicates > 0
    print(f"{passes} passes, faults: {dict(proxy.faults)}, acknowledged again: {duplicates}")
