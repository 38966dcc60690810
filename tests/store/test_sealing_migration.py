"""A kiosk database from before sealing: its plaintext rows are sealed, the columns gone."""

from __future__ import annotations

import sqlite3

from alembic import command
from sqlalchemy import inspect, select

from kiosk.paths import database_path
from kiosk.store import open_store
from kiosk.store.backups import open_sealed_backup
from kiosk.store.engine import Store, alembic_config, make_engine
from kiosk.store.models import Signature
from tests.conftest import make_pledge
from tests.legacy import save_plaintext
from tests.sealed import dev_private_key, unseal

BEFORE_SEALING = "5e1f0c2a9b7d"


def test_plaintext_rows_are_sealed_and_the_plaintext_is_gone_from_the_file(data_dir, market_day):
    data_dir.mkdir(parents=True)
    path = database_path(data_dir)
    engine = make_engine(path)
    command.upgrade(alembic_config(engine), BEFORE_SEALING)
    old = Store(engine, path)
    pledge = make_pledge("Ingrid Marklund", email="ingrid.marklund@example.se", postcode="25221")
    signature_id = save_plaintext(old, pledge, now=market_day)
    old.close()

    store = open_store(data_dir)
    try:
        columns = {c["name"] for c in inspect(store.engine).get_columns("signatures")}
        with store.session() as session:
            row = session.get(Signature, signature_id)
            assert row is not None
            sealed, code, area = row.sealed, row.withdrawal_code, row.postcode_area
            hmac_count = session.scalar(
                select(Signature.email_hmac).where(Signature.id == signature_id)
            )
    finally:
        store.close()
    assert not {"name", "email", "postcode", "strokes"} & columns
    assert area == "252" and len(code) == 10 and hmac_count
    opened = unseal(sealed)
    assert opened["name"] == "Ingrid Marklund"
    assert opened["email"] == "ingrid.marklund@example.se"
    assert opened["postcode"] == "252 21"
    assert len(opened["strokes"][0]) == 30
    for name in (path, path.with_name(path.name + "-wal")):
        if name.exists():
            assert b"Marklund" not in name.read_bytes()


def test_no_file_in_the_data_folder_holds_a_name_after_the_migration(
    tmp_path, data_dir, market_day
):
    """The backup written before sealing is sealed too; organisers can still restore it."""
    data_dir.mkdir(parents=True)
    path = database_path(data_dir)
    engine = make_engine(path)
    command.upgrade(alembic_config(engine), BEFORE_SEALING)
    old = Store(engine, path)
    signers = [
        ("Ingrid Marklund", "ingrid.marklund@example.se"),
        ("Per Wästberg", "per.wastberg@example.se"),
    ]
    for name, email in signers:
        save_plaintext(old, make_pledge(name, email=email, postcode="25221"), now=market_day)
    old.close()

    open_store(data_dir).close()

    files = [file for file in data_dir.rglob("*") if file.is_file()]
    assert any(file.parent.name == "backups" for file in files)
    for file in files:
        content = file.read_bytes()
        for name, email in signers:
            for text in (name, name.split()[-1], email):
                assert text.encode() not in content, f"{text} readable in {file}"
                assert text.encode("utf-16-le") not in content
    (sealed,) = (data_dir / "backups").glob("*")
    restored = tmp_path / "restored.sqlite3"
    open_sealed_backup(sealed, dev_private_key(), restored)
    connection = sqlite3.connect(restored)
    names = {row[0] for row in connection.execute("SELECT name FROM signatures")}
    connection.close()
    assert names == {name for name, _ in signers}
