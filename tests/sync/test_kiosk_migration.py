"""A kiosk database from before sync gets the sync table, after a backup."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from kiosk.paths import database_path
from kiosk.store import open_store, repository
from kiosk.store.engine import Store, alembic_config, make_engine
from tests.conftest import make_pledge
from tests.legacy import save_plaintext

INITIAL = "83b396c6a312"


def test_database_from_before_sync_is_migrated_and_keeps_its_signatures(data_dir, market_day):
    data_dir.mkdir(parents=True)
    path = database_path(data_dir)
    engine = make_engine(path)
    command.upgrade(alembic_config(engine), INITIAL)
    old = Store(engine, path)
    save_plaintext(old, make_pledge(), now=market_day)
    old.close()

    store = open_store(data_dir)
    try:
        assert "sync_refusals" in inspect(store.engine).get_table_names()
        with store.session() as session:
            assert repository.pending_count(session) == 1
    finally:
        store.close()
    assert list((data_dir / "backups").glob("*.sqlite3.sealed"))
