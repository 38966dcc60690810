"""The kiosk checks each record against the protocol before it sends it: a sealed
box of the wrong size stays pending, named, and the rest of the batch still goes.

The box's size is read from its base64 text's length (its alphabet and padding
checked by a pattern), on the kiosk as in the store; the store's refusal of text
that is not base64 is tested in tests/sync/test_server.py."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime

from sqlalchemy import update

from kiosk.paths import database_path
from kiosk.privacy.local import kiosk_outbox
from kiosk.store import open_store
from kiosk.store.models import Signature
from kiosk.store.outbox import read_status
from sync.outbox import Verdicts
from sync.protocol import MAX_SEALED_BYTES
from tests.conftest import another_program_writing
from tests.sync.fill import fill_pending


def test_a_sealed_box_of_the_wrong_size_stays_pending_and_is_named(store):
    uuids = fill_pending(store, count=6, seed=11)
    too_big, too_small, largest = uuids[1], uuids[3], uuids[4]
    sizes = {too_big: MAX_SEALED_BYTES + 1, too_small: 48, largest: MAX_SEALED_BYTES}
    with store.session() as session:
        for key, size in sizes.items():
            session.execute(
                update(Signature).where(Signature.id == key).values(sealed=b"\x01" * size)
            )
        session.commit()

    batch = kiosk_outbox(store).pending_batch(limit=10, skip=())

    sent = {str(record.id) for record in batch.records}
    assert sent == set(uuids) - {too_big, too_small}
    assert set(batch.unsendable) == {too_big, too_small}
    assert all("sealed" in why for why in batch.unsendable.values())


def test_the_next_batch_is_read_while_a_save_holds_the_write_lock(store, data_dir):
    """A signer's save holds the write lock for its transaction; the sync reading
    its next batch beside it neither waits for that lock nor takes it."""
    uuids = fill_pending(store, count=3, seed=12)
    with another_program_writing(data_dir):
        batch = kiosk_outbox(store).pending_batch(limit=10, skip=())

        assert {str(record.id) for record in batch.records} == set(uuids)


def test_the_sync_status_is_read_while_a_save_holds_the_write_lock(data_dir):
    """The panel's sync page and the attract count read the status before and after
    every pass; a signer's save beside it must not make that wait, or fail."""
    store = open_store(data_dir, busy_timeout_ms=200)
    try:
        fill_pending(store, count=3, seed=14)
        with another_program_writing(data_dir):
            status = read_status(store)

            assert (status.pending, status.refused, status.attract_count) == (3, 0, 3)
    finally:
        store.close()


def test_the_event_check_reads_what_this_kiosk_holds_while_a_save_holds_the_write_lock(
    data_dir,
):
    store = open_store(data_dir, busy_timeout_ms=200)
    try:
        uuids = fill_pending(store, count=3, seed=15)
        with another_program_writing(data_dir):
            holdings = kiosk_outbox(store).holdings()

            assert {key for holding in holdings for key in holding.ids} == set(uuids)
    finally:
        store.close()


def test_a_record_marked_sent_keeps_its_sync_time_as_sqlalchemy_spells_it(
    store, data_dir, monkeypatch
):
    """The kiosk's retention compares synced_at_utc with times SQLAlchemy binds: the
    text must be the one fixed-width spelling, a zero fraction included."""
    (signature_id,) = fill_pending(store, count=1, seed=13)
    monkeypatch.setattr("kiosk.store.outbox._utc_now", lambda: datetime(2026, 6, 13, 9, 20))

    kiosk_outbox(store).apply_verdicts(Verdicts([signature_id], {}, [], 1))

    with closing(sqlite3.connect(database_path(data_dir))) as db:
        state, synced = db.execute(
            "SELECT sync_state, synced_at_utc FROM signatures WHERE id = ?", (signature_id,)
        ).fetchone()
    assert (state, synced) == ("sent", "2026-06-13 09:20:00.000000")
