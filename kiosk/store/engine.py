"""Opening the local SQLite database safely.

Order matters here, because a stall's signatures may exist nowhere else:

1. look at an existing file read-only first: a corrupt file, a `-wal` log
   whose replay would drop committed signatures (kiosk/dbfile.py), or a
   file that a newer version of the app migrated, stops the app before
   anything writes;
2. copy the file with SQLite's backup API before any migration runs, sealed
   to the campaign key (kiosk/store/backups.py);
3. apply Alembic migrations (a file already at `SCHEMA_HEAD` opens without
   loading Alembic at all);
4. every connection sets WAL, synchronous=FULL, foreign keys and a busy
   timeout, reads them back, and refuses to work otherwise.

Python's sqlite3 driver opens transactions lazily and not for every
statement ("legacy transaction control"). As the SQLAlchemy SQLite dialect
docs advise, the driver's own handling is switched off and SQLAlchemy's
`begin` event emits the BEGIN itself. It is BEGIN IMMEDIATE: the kiosk's
writers (the GUI saving a pledge, the sync worker marking records sent)
then queue on the busy timeout instead of failing on a lock upgrade.
Sessions from `Store.read_session()` BEGIN DEFERRED instead, so reading
never waits for (or fails on) the write lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from kiosk.dbfile import check_wal, read_only, wal_path
from kiosk.paths import database_path
from kiosk.store.backups import write_sealed_backup

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest of MIGRATIONS_DIR's revisions (a test checks it against the scripts).
# A database already at it opens without Alembic: loading Alembic and its scripts
# took ~150 ms of the store's worker at every start, with the GIL, while the
# attract screen ran. Any other revision goes through Alembic as before.
SCHEMA_HEAD = "c8f2e5a7b913"
BUSY_TIMEOUT_MS = 5000
BEGIN_OPTION = "kiosk_begin"  # execution option: "IMMEDIATE" (default) or "DEFERRED"
REQUIRED_PRAGMAS: dict[str, object] = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    # Deleted or overwritten content (sealed personal data removed by
    # retention or erasure, plaintext of older versions) is zeroed on disk.
    "secure_delete": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
}


UNTOUCHED = (
    "The file has not been changed: keep it (do not delete it) and ask the organisers for help."
)


class StoreError(RuntimeError):
    """The database cannot be used. The message is meant for a volunteer."""


class StoreCorruptError(StoreError):
    """The file is damaged or is not the kiosk's database; it is left untouched."""

    def __init__(self, problem: str):
        super().__init__(f"{problem} {UNTOUCHED}")


class StoreTooNewError(StoreError):
    """A newer version of the app migrated the file; this one must not touch it."""


class StorePragmaError(StoreError):
    """A connection could not be made crash-safe, so nothing is stored through it."""


def _pragma_checker(busy_timeout_ms: int) -> Callable[[sqlite3.Connection, object], None]:
    """A `connect` listener that sets the durability pragmas and reads them back."""
    required = {**REQUIRED_PRAGMAS, "busy_timeout": busy_timeout_ms}

    def configure(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (module doc)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA secure_delete=ON")
            actual = {name: cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in required}
        except sqlite3.Error as exc:
            raise StorePragmaError(
                f"The database could not be made crash-safe ({exc}); refusing to store signatures."
            ) from exc
        finally:
            cursor.close()
        wrong = {name: value for name, value in actual.items() if value != required[name]}
        if wrong:
            raise StorePragmaError(
                "The database could not be made crash-safe "
                f"(expected {required}, got {actual}); refusing to store signatures."
            )

    return configure


def _begin(connection: Connection) -> None:
    """BEGIN IMMEDIATE, unless the connection was made for reading only."""
    mode = connection.get_execution_options().get(BEGIN_OPTION, "IMMEDIATE")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine whose every connection is checked for the durability pragmas."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": busy_timeout_ms / 1000})
    event.listen(engine, "connect", _pragma_checker(busy_timeout_ms))
    event.listen(engine, "begin", _begin)
    return engine


def alembic_config(engine: Engine | None = None, migrations_dir: Path = MIGRATIONS_DIR) -> Config:
    from alembic.config import Config  # noqa: PLC0415 - only to migrate (SCHEMA_HEAD)

    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def _known_revisions(migrations_dir: Path = MIGRATIONS_DIR) -> tuple[set[str], str]:
    from alembic.script import ScriptDirectory  # noqa: PLC0415 - only to migrate (SCHEMA_HEAD)

    script = ScriptDirectory.from_config(alembic_config(migrations_dir=migrations_dir))
    return {rev.revision for rev in script.walk_revisions()}, script.get_current_head() or ""


def _at_head(revision: str | None, migrations_dir: Path) -> bool:
    """Is the file at the newest shipped revision? Known without Alembic."""
    return migrations_dir == MIGRATIONS_DIR and revision == SCHEMA_HEAD


def inspect_existing(path: Path, migrations_dir: Path = MIGRATIONS_DIR) -> str | None:
    """Read an existing database without writing to it; return its revision.

    Raises StoreCorruptError or StoreTooNewError with a volunteer-readable
    message. Nothing on disk is changed, and no side file is left behind.
    """
    wal = check_wal(path)
    if wal.damaged:
        raise StoreCorruptError(
            f"The database {path} is damaged: its log {wal_path(path).name} holds "
            f"{wal.lost_commits} saved change(s) after a damaged part, which opening "
            "it would lose."
        )
    try:
        with read_only(path) as connection:
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
    except (sqlite3.DatabaseError, OSError) as exc:
        raise StoreCorruptError(
            f"The database {path} is damaged or not a database: {exc}."
        ) from exc
    revision: str | None = row[0] if row else None
    if revision is None or _at_head(revision, migrations_dir):
        return revision
    known, _head = _known_revisions(migrations_dir)
    if revision not in known:
        raise StoreTooNewError(
            f"The database {path} was written by a newer version of the kiosk app "
            f"(schema {revision}). Update the app; the database has not been touched."
        )
    return revision


class Store:
    """The open local database: an engine and a session factory."""

    def __init__(self, engine: Engine, path: Path):
        self.engine = engine
        self.path = path
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._readers = sessionmaker(
            engine.execution_options(**{BEGIN_OPTION: "DEFERRED"}), expire_on_commit=False
        )

    def session(self) -> Session:
        """A session for writing: its transactions take the write lock at BEGIN."""
        return self._sessions()

    def read_session(self) -> Session:
        """A session for reading (counts, lists): it never waits for the write lock.

        WAL lets readers run beside a writer, so the attract screen's count
        and `status` still work while another program holds the lock or
        the folder has turned read-only. Do not write through it.
        """
        return self._readers()

    def close(self) -> None:
        self.engine.dispose()


def open_store(
    data_dir: Path,
    *,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    migrations_dir: Path = MIGRATIONS_DIR,
) -> Store:
    """Open (creating or migrating as needed) the database in data_dir.

    `busy_timeout_ms` is how long a writer waits for another one before a
    save fails as "locked"; `migrations_dir` lets tests bring a migration
    of their own.
    """
    path = database_path(data_dir)
    revision = inspect_existing(path, migrations_dir) if path.exists() else None
    at_head = _at_head(revision, migrations_dir)
    head = SCHEMA_HEAD if at_head else _known_revisions(migrations_dir)[1]
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"The data folder {data_dir} cannot be created: {exc}.") from exc
    if revision is not None and revision != head:
        try:
            write_sealed_backup(path, data_dir / "backups", head)
        except (OSError, sqlite3.Error, ValueError) as exc:
            raise StoreError(
                f"No backup of {path} could be written before updating it ({exc}); "
                "the database has not been touched."
            ) from exc
    engine = make_engine(path, busy_timeout_ms=busy_timeout_ms)
    try:
        with engine.connect():  # the pragmas are checked on every connection
            pass
        if revision != head:
            from alembic import command  # noqa: PLC0415 - only to migrate (SCHEMA_HEAD)

            command.upgrade(alembic_config(engine, migrations_dir), "head")
    except StoreError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise StoreError(f"The database {path} could not be prepared: {exc}.") from exc
    return Store(engine, path)
