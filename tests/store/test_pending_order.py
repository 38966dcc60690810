"""Each sync batch is the oldest pending records, read from an index in that order.

Sorting every pending record for each batch cost a kiosk that had been offline
all day 11 ms a batch at 10,000 waiting (issue 17); the index
ix_signatures_pending hands them over already in order. Marking a batch sent
(or refused) finds its rows by their UUIDs, not by testing every pending row.
"""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, select

from kiosk.paths import database_path
from kiosk.privacy.local import kiosk_outbox
from kiosk.store import open_store
from kiosk.store.engine import alembic_config, make_engine
from kiosk.store.models import Signature, SyncState
from kiosk.store.outbox import _MARK_REFUSED_SQL, _MARK_SENT_SQL, _PENDING_SQL, _REQUEUE_SQL
from sync.driver_cursor import driver_cursor
from sync.outbox import Verdicts
from tests.sync.fill import fill_pending

BEFORE = "b4e7a1c9d352"  # known_email_hmacs: pending records were sorted per batch
FILLED = 40


def _index_names(engine) -> set[str]:  # type: ignore[no-untyped-def]
    return {index["name"] for index in inspect(engine).get_indexes("signatures")}


def test_a_migrated_kiosk_sends_its_oldest_first_without_sorting_them(data_dir):
    data_dir.mkdir(parents=True)
    engine = make_engine(database_path(data_dir))
    command.upgrade(alembic_config(engine), BEFORE)
    engine.dispose()

    store = open_store(data_dir)  # migrates to head
    try:
        uuids = fill_pending(store, count=FILLED, seed=7)
        # tests/sync/fill.py stamps record n at second n % 60, microsecond n.
        stamps = [(n % 60, n) for n in range(FILLED)]
        oldest_first = [uuid for _, uuid in sorted(zip(stamps, uuids, strict=True))]
        on_their_way = set(oldest_first[:3])

        batch = kiosk_outbox(store).pending_batch(limit=10, skip=on_their_way)

        assert [str(record.id) for record in batch.records] == oldest_first[3:13]
        with store.session() as session:
            cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            plan = " / ".join(
                row[3]
                for row in cursor.execute(
                    "EXPLAIN QUERY PLAN " + _PENDING_SQL.format(skip=""), [10]
                ).fetchall()
            )
        assert "ix_signatures_pending" in plan
        assert "TEMP B-TREE" not in plan, plan
    finally:
        store.close()


def test_the_migration_goes_back_to_the_old_index(data_dir):
    store = open_store(data_dir)
    store.close()
    engine = make_engine(database_path(data_dir))
    try:
        assert "ix_signatures_pending" in _index_names(engine)
        assert "ix_signatures_sync_state" not in _index_names(engine)
        command.downgrade(alembic_config(engine), BEFORE)
        assert "ix_signatures_sync_state" in _index_names(engine)
        assert "ix_signatures_pending" not in _index_names(engine)
    finally:
        engine.dispose()


def test_a_batch_is_marked_sent_or_refused_by_its_uuids_whatever_the_backlog(store):
    uuids = fill_pending(store, count=FILLED, seed=8)
    answered, refused = uuids[5:15], uuids[20:26]

    kiosk_outbox(store).apply_verdicts(
        Verdicts(answered, dict.fromkeys(refused, "no"), [], store_total=FILLED)
    )

    with store.read_session() as session:
        states = dict(session.execute(select(Signature.id, Signature.sync_state)).all())
        with driver_cursor(session.connection()) as cursor:
            plans = [
                " / ".join(
                    row[3]
                    for row in cursor.execute(
                        "EXPLAIN QUERY PLAN " + sql.format(marks=", ".join("?" * 6)),
                        [*values, "pending", *answered[:6]],
                    )
                )
                for sql, values in (
                    (_MARK_SENT_SQL, ["sent", "2026-12-01 10:00:00"]),
                    (_MARK_REFUSED_SQL, ["refused"]),
                    (_REQUEUE_SQL, ["pending"]),
                )
            ]
    assert {key for key, state in states.items() if state == SyncState.SENT} == set(answered)
    assert {key for key, state in states.items() if state == SyncState.REFUSED} == set(refused)
    assert sum(state == SyncState.PENDING for state in states.values()) == FILLED - 16
    for plan in plans:
        assert "sqlite_autoindex_signatures_1 (id=?)" in plan, plan
