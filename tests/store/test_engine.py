"""Opening the database: pragmas, transactions, backups, refusing bad files.

Everything here runs on real SQLite files; a failure means a stall could
lose signatures or have its file damaged by the app.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import random
import re
import shutil
import sqlite3
import textwrap
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import event, func, select

from kiosk.content import load_consent, load_content
from kiosk.demo import fill_demo
from kiosk.store import StoreError, open_store, repository
from kiosk.store.backups import open_sealed_backup
from kiosk.store.engine import (
    MIGRATIONS_DIR,
    SCHEMA_HEAD,
    StoreCorruptError,
    StorePragmaError,
    StoreTooNewError,
    alembic_config,
    make_engine,
)
from kiosk.store.models import Event, Signature, SignatureCommitment
from tests.conftest import make_pledge, save
from tests.fresh_python import run_python
from tests.sealed import dev_private_key

PRAGMAS = ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under folder (side files and backups included) with its hash."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def db_file(data_dir: Path) -> Path:
    return data_dir / "klimatavtal.sqlite3"


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def read_pragmas(connection) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Read on the driver connection: SQLAlchemy would BEGIN IMMEDIATE first."""
    return {name: connection.execute(f"PRAGMA {name}").fetchone()[0] for name in PRAGMAS}


# --- pragmas ------------------------------------------------------------------


def test_every_pooled_connection_reads_back_the_pragmas(data_dir):
    store = open_store(data_dir, busy_timeout_ms=1234)
    expected = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 1234}
    try:
        # Three connections checked out at once are three separate sqlite3 connections.
        pooled = [store.engine.raw_connection() for _ in range(3)]
        assert [read_pragmas(conn.driver_connection) for conn in pooled] == [expected] * 3
        for conn in pooled:
            conn.close()
        store.engine.dispose()
        fresh = store.engine.raw_connection()
        assert read_pragmas(fresh.driver_connection) == expected
        fresh.close()
    finally:
        store.close()


def test_refuses_to_open_when_wal_cannot_be_switched_on(data_dir):
    """A file in rollback-journal mode that another program is reading.

    Switching it to WAL needs the other program to let go; the kiosk must
    refuse rather than run in a mode it did not ask for.
    """
    open_store(data_dir).close()
    legacy = sqlite3.connect(db_file(data_dir))
    assert legacy.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
    legacy.close()
    reader = sqlite3.connect(db_file(data_dir), isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM signatures").fetchone()
    before = snapshot(data_dir)
    try:
        with pytest.raises(StorePragmaError, match="crash-safe"):
            open_store(data_dir, busy_timeout_ms=50)
    finally:
        reader.close()
    assert snapshot(data_dir) == before


def test_refuses_a_connection_whose_pragmas_read_back_wrong():
    """An in-memory database silently stays in 'memory' journal mode."""
    engine = make_engine(Path(":memory:"))
    with pytest.raises(StorePragmaError) as raised:
        engine.connect()
    assert "'journal_mode': 'memory'" in str(raised.value)
    engine.dispose()


# --- transactions -------------------------------------------------------------


def test_rolled_back_savepoint_really_rolls_back(store, market_day):
    kept = save(store, now=market_day)
    with store.session() as session:
        with session.begin_nested():
            repository.create_event(session, name="Kept", event_date=market_day.date())
        nested = session.begin_nested()
        repository.create_event(session, name="Rolled back", event_date=market_day.date())
        session.get(Signature, kept).community_opt_in = True
        session.flush()
        nested.rollback()
        session.commit()
    with store.session() as session:
        names = set(session.scalars(select(Event.name)))
        assert "Kept" in names
        assert "Rolled back" not in names
        assert session.get(Signature, kept).community_opt_in is False


def test_outer_rollback_undoes_a_released_savepoint(store, market_day):
    """With the driver's legacy handling, SAVEPOINT opened its own transaction
    and RELEASE committed it, so the outer rollback could not undo it."""
    with store.session() as session:
        with session.begin_nested():
            repository.create_event(session, name="Inside", event_date=market_day.date())
        session.rollback()
    with store.read_session() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 0


def test_a_transaction_is_open_before_the_first_statement(store):
    """BEGIN IMMEDIATE is sent by SQLAlchemy, so even a SAVEPOINT starts inside one."""
    with store.engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw.in_transaction is False
        connection.begin()
        assert raw.in_transaction is True
        connection.rollback()


def test_failed_multi_statement_save_leaves_nothing(store, market_day):
    """The signature row is written, then its commitments fail: both must go."""
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TRIGGER refuse_commitment BEFORE INSERT ON signature_commitments "
            "WHEN NEW.commitment_id = 'no-such-commitment' "
            "BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END"
        )
    pledge = make_pledge()
    broken = dataclasses.replace(pledge, commitments=("bike-short-trips", "no-such-commitment"))
    with store.session() as session:
        event = repository.ensure_current_event(session, default_name="Torget", now=market_day)
        session.commit()
    with pytest.raises(repository.SaveError):
        repository.save_signature(
            store, broken, event_id=event.id, consent=load_consent("sv"), now=market_day
        )
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Signature)) == 0
        assert session.scalar(select(func.count()).select_from(SignatureCommitment)) == 0
    assert save(store, pledge, now=market_day)


# --- backups and migrations ---------------------------------------------------

SECOND_MIGRATION = '''
"""A test-only second revision: it fails unless a backup already exists."""
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "test00000002"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade():
    database = Path(op.get_bind().engine.url.database)
    if not list((database.parent / "backups").glob("*.sqlite3.sealed")):
        raise RuntimeError("the migration ran before a backup was taken")
    op.create_table("test_extra", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("DELETE FROM signature_commitments")
    {tail}


def downgrade():
    op.drop_table("test_extra")
'''


def migrations_with_second(tmp_path: Path, *, fail: bool) -> Path:
    """A copy of the app's migrations plus one more revision."""
    target = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    tail = 'raise RuntimeError("test migration fails half-way")' if fail else "pass"
    (target / "versions" / "test_second.py").write_text(
        textwrap.dedent(SECOND_MIGRATION).format(down=head_revision(), tail=tail)
    )
    return target


def read_db(path: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_backup_is_taken_before_a_migration(tmp_path, data_dir, market_day):
    store = open_store(data_dir)
    ids = {save(store, now=market_day) for _ in range(3)}
    store.close()
    assert not (data_dir / "backups").exists()

    migrated = open_store(data_dir, migrations_dir=migrations_with_second(tmp_path, fail=False))
    migrated.close()

    (sealed,) = (data_dir / "backups").glob("*.sqlite3.sealed")
    backup = tmp_path / "restored.sqlite3"
    open_sealed_backup(sealed, dev_private_key(), backup)
    assert read_db(backup, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    assert {row[0] for row in read_db(backup, "SELECT id FROM signatures")} == ids
    assert read_db(backup, "SELECT count(*) FROM signature_commitments") == [(6,)]
    assert read_db(backup, "PRAGMA integrity_check") == [("ok",)]
    live = db_file(data_dir)
    assert read_db(live, "SELECT version_num FROM alembic_version") == [("test00000002",)]
    assert read_db(live, "SELECT count(*) FROM test_extra") == [(0,)]


def test_failed_migration_rolls_back_whole_and_keeps_the_backup(tmp_path, data_dir, market_day):
    store = open_store(data_dir)
    ids = {save(store, now=market_day) for _ in range(2)}
    store.close()

    with pytest.raises(StoreError, match="could not be prepared"):
        open_store(data_dir, migrations_dir=migrations_with_second(tmp_path, fail=True))

    live = db_file(data_dir)
    assert read_db(live, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    assert read_db(live, "SELECT name FROM sqlite_master WHERE name = 'test_extra'") == []
    assert read_db(live, "SELECT count(*) FROM signature_commitments") == [(4,)]
    assert len(list((data_dir / "backups").glob("*.sqlite3.sealed"))) == 1
    again = open_store(data_dir)  # the app as it is still opens the file
    with again.session() as session:
        assert set(session.scalars(select(Signature.id))) == ids
    again.close()


def test_no_backup_when_nothing_is_migrated(data_dir, market_day):
    store = open_store(data_dir)
    save(store, now=market_day)
    store.close()
    open_store(data_dir).close()
    assert not (data_dir / "backups").exists()


def test_schema_head_is_the_newest_migration():
    """A new migration must move SCHEMA_HEAD along, or a file at the old head
    would be taken as up to date and never migrated."""
    assert head_revision() == SCHEMA_HEAD


OPEN_AT_HEAD = """
import sys
from pathlib import Path
from kiosk.store import open_store
open_store(Path(sys.argv[1])).close()
print(sorted(name for name in sys.modules if name.partition(".")[0] in {"alembic", "mako"}))
"""


def test_a_database_already_at_head_opens_without_alembic(data_dir):
    """Every start of a set-up kiosk: Alembic and its scripts are only loaded to migrate."""
    open_store(data_dir).close()
    printed = run_python(OPEN_AT_HEAD, str(data_dir), timeout=60)
    assert printed == ["[]"]


# --- files the app must refuse ------------------------------------------------


def _filled(data_dir: Path) -> Path:
    store = open_store(data_dir)
    fill_demo(store, load_content(), count=300)
    store.close()
    return db_file(data_dir)


def _random_bytes(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    db_file(data_dir).write_bytes(random.Random(7).randbytes(64 * 1024))


def _truncated(data_dir: Path) -> None:
    path = _filled(data_dir)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size // 2)


def _newer_version(data_dir: Path) -> None:
    path = _filled(data_dir)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    connection.commit()
    connection.close()


def _someone_elses_database(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    connection = sqlite3.connect(db_file(data_dir))
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.commit()
    connection.close()


@pytest.mark.parametrize(
    ("damage", "error", "words"),
    [
        (_random_bytes, StoreCorruptError, "not a database"),
        (_truncated, StoreCorruptError, "damaged"),
        (_newer_version, StoreTooNewError, "newer version of the kiosk app"),
        (_someone_elses_database, StoreCorruptError, "not a Klimatavtalet kiosk database"),
    ],
    ids=["random-bytes", "truncated", "newer-version", "foreign-database"],
)
def test_refused_file_is_left_exactly_as_it_was(data_dir, damage, error, words):
    damage(data_dir)
    before = snapshot(data_dir)
    assert list(before) == ["klimatavtal.sqlite3"]
    with pytest.raises(error, match=words) as raised:
        open_store(data_dir)
    assert str(db_file(data_dir)) in str(raised.value)
    assert re.search(r"has not been (changed|touched)", str(raised.value))
    assert snapshot(data_dir) == before  # same bytes, no -wal/-shm, no backup


def test_inspection_leaves_no_side_files_on_a_good_database(data_dir):
    open_store(data_dir).close()
    assert sorted(os.listdir(data_dir)) == ["klimatavtal.sqlite3"]
    store = open_store(data_dir)
    store.close()
    assert sorted(os.listdir(data_dir)) == ["klimatavtal.sqlite3"]


def test_a_database_with_a_crash_left_wal_is_read_with_it(data_dir, market_day):
    """Committed data that only exists in the -wal file is neither lost nor refused."""
    store = open_store(data_dir)
    event.listen(  # keep the WAL from being folded in, as after a crash
        store.engine, "connect", lambda conn, _: conn.execute("PRAGMA wal_autocheckpoint=0")
    )
    store.engine.dispose()
    signature_id = save(store, now=market_day)
    leftover = {
        name: (data_dir / name).read_bytes()
        for name in ("klimatavtal.sqlite3", "klimatavtal.sqlite3-wal")
    }
    store.close()
    for name, content in leftover.items():  # the files as a SIGKILL would leave them
        (data_dir / name).write_bytes(content)
    assert read_db(db_file(data_dir), "SELECT count(*) FROM signatures") == [(1,)]
    immutable = sqlite3.connect(f"file:{db_file(data_dir)}?immutable=1", uri=True)
    assert immutable.execute("SELECT count(*) FROM signatures").fetchone() == (0,)  # only in WAL
    immutable.close()
    reopened = open_store(data_dir)
    with reopened.session() as session:
        assert session.get(Signature, signature_id) is not None
    reopened.close()
