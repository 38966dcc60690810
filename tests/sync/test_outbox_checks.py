"""The kiosk checks each record against the protocol before it sends it: a sealed
box of the wrong size stays pending, named, and the rest of the batch still goes.

The box's size is read from its base64 text's length (its alphabet and padding
checked by a pattern), on the kiosk as in the store; the store's refusal of text
that is not base64 is tested in tests/sync/test_server.py."""

from __future__ import annotations

import sqlite3

from sqlalchemy import update

from kiosk.paths import database_path
from kiosk.privacy.local import kiosk_outbox
from kiosk.store.models import Signature
from sync.protocol import MAX_SEALED_BYTES
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
    saving = sqlite3.connect(database_path(data_dir), timeout=0)
    try:
        saving.execute("BEGIN IMMEDIATE")  # as a save's session begins

        batch = kiosk_outbox(store).pending_batch(limit=10, skip=())

        assert {str(record.id) for record in batch.records} == set(uuids)
        saving.execute("ROLLBACK")
    finally:
        saving.close()
