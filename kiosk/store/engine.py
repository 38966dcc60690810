"""Opening the local SQLite database safely.

Order matters here, because a stall's signatures may exist nowhere else:

1. look at an existing file read-only first: a corrupt file, or one that a
   newer version of the app migrated, stops the app before anything writes;
2. copy the file with SQLite's backup API before any migration runs;
3. apply Alembic migrations;
4. every connection sets WAL, synchronous=FULL, foreign keys and a busy
   timeout, reads them back, and refuses to work otherwise.

Python's sqlite3 driver opens transactions lazily and not for every
statement ("legacy transaction control"). As the SQLAlchemy SQLite dialect
docs advise, the driver's own handling is switched off and SQLAlchemy's
`begin` event emits the BEGIN itself. It is BEGIN IMMEDIATE: the kiosk's
writers (the GUI saving a pledge, the sync worker marking records sent)
then queue on the busy timeout instead of failing on a lock upgrade.
"""

from __future__ import annotations

import sqlite3
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from kiosk.paths import database_path

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000
REQUIRED_PRAGMAS: dict[str, object] = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
}


class StoreError(RuntimeError):
    """The database cannot be used. The message is meant for a volunteer."""


class StoreCorruptError(StoreError):
    pass


class StoreTooNewError(StoreError):
    pass


class StorePragmaError(StoreError):
    pass


def _configure_connection(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see module doc)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        actual = {name: cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in REQUIRED_PRAGMAS}
    finally:
        cursor.close()
    wrong = {k: v for k, v in actual.items() if v != REQUIRED_PRAGMAS[k]}
    if wrong:
        raise StorePragmaError(
            "The database could not be made crash-safe "
            f"(expected {REQUIRED_PRAGMAS}, got {actual}); refusing to store signatures."
        )


def _begin_immediate(connection) -> None:  # type: ignore[no-untyped-def]
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(path: Path) -> Engine:
    """An engine whose every connection is checked for the durability pragmas."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def _known_revisions() -> tuple[set[str], str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}, script.get_current_head() or ""


def inspect_existing(path: Path) -> str | None:
    """Read an existing database without writing to it; return its revision.

    Raises StoreCorruptError or StoreTooNewError with a volunteer-readable
    message. Nothing on disk is changed (the connection is read-only).
    """
    uri = "file:" + urllib.parse.quote(str(path)) + "?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise StoreCorruptError(f"The database {path} cannot be opened: {exc}.") from exc
    try:
        check = connection.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise StoreCorruptError(f"The database {path} is damaged ({check}).")
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise StoreCorruptError(f"{path} is not a Klimatavtalet kiosk database.")
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreCorruptError(
            f"The database {path} is damaged or not a database: {exc}."
        ) from exc
    finally:
        connection.close()
    revision = row[0] if row else None
    known, _head = _known_revisions()
    if revision is not None and revision not in known:
        raise StoreTooNewError(
            f"The database {path} was written by a newer version of the kiosk app "
            f"(schema {revision}). Update the app; the database has not been touched."
        )
    return revision


def backup_database(path: Path, backup_dir: Path, label: str) -> Path:
    """Copy a live database consistently with SQLite's online backup API."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_dir / f"{path.stem}-before-{label}-{stamp}.sqlite3"
    source = sqlite3.connect(f"file:{urllib.parse.quote(str(path))}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


class Store:
    """The open local database: an engine and a session factory."""

    def __init__(self, engine: Engine, path: Path):
        self.engine = engine
        self.path = path
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        self.engine.dispose()


def open_store(data_dir: Path) -> Store:
    """Open (creating or migrating as needed) the database in data_dir."""
    path = database_path(data_dir)
    revision = inspect_existing(path) if path.exists() else None
    _known, head = _known_revisions()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"The data folder {data_dir} cannot be created: {exc}.") from exc
    if revision is not None and revision != head:
        backup_database(path, data_dir / "backups", head)
    engine = make_engine(path)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        if current != head:
            command.upgrade(alembic_config(engine), "head")
    except StoreError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise StoreError(f"The database {path} could not be prepared: {exc}.") from exc
    return Store(engine, path)
