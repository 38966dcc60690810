"""Known email HMACs live in a table of their own: moved over from the old settings
list, changed row by row by incremental privacy updates, repeat signers recognised."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import func, select, text

from kiosk.paths import database_path
from kiosk.privacy.local import has_signed_before, update_email_hmacs
from kiosk.store import open_store
from kiosk.store.engine import alembic_config, make_engine
from kiosk.store.models import KnownEmailHmac, Setting
from sync.privacy.keys import development_keys

BEFORE = "9d4b6e1a2c37"  # clock_unreliable: the list was still a setting
OLD_KEY = "privacy.known_email_hmacs"


def test_the_old_list_is_moved_into_the_table_and_still_recognised(data_dir):
    keys = development_keys()
    known = [keys.email_hmac(f"signer{n}@exempel.se") for n in range(3)]
    data_dir.mkdir(parents=True)
    engine = make_engine(database_path(data_dir))
    command.upgrade(alembic_config(engine), BEFORE)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO settings (key, value) VALUES (:key, :value)"),
            {"key": OLD_KEY, "value": json.dumps(known)},
        )
    engine.dispose()

    store = open_store(data_dir)
    try:
        with store.session() as session:
            assert session.get(Setting, OLD_KEY) is None
            assert has_signed_before(session, keys, "Signer1@Exempel.se ")
            assert not has_signed_before(session, keys, "someone@exempel.se")
            assert session.scalar(select(func.count()).select_from(KnownEmailHmac)) == 3
    finally:
        store.close()


def test_an_incremental_update_adds_and_forgets_rows(store):
    keys = development_keys()
    first, second = keys.email_hmac("asa@exempel.se"), keys.email_hmac("nils@exempel.se")
    with store.session() as session:
        update_email_hmacs(session, added=[first, second], removed=[])
        update_email_hmacs(session, added=[first], removed=[])  # told twice: harmless
        session.commit()
    with store.session() as session:
        update_email_hmacs(session, added=[], removed=[first])
        session.commit()
    with store.read_session() as session:
        assert not has_signed_before(session, keys, "asa@exempel.se")
        assert has_signed_before(session, keys, "nils@exempel.se")
