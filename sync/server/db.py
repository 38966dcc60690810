"""Opening the central store's database (SQLite file or PostgreSQL) and migrating it.

SQLite gets the same treatment as the kiosk's file (WAL, synchronous=FULL,
BEGIN IMMEDIATE, a busy timeout), so concurrent uploads queue instead of
failing. Nothing here runs at import time: `open_central_store` is called
by the app factory and by the organisers' commands.

The default database is chosen in this order: an explicit `--database-url`,
the `KLIMATAVTAL_STORE_DATABASE_URL` environment variable, then a SQLite
file `central-store.sqlite3` in the platform's user data folder for
"klimatavtal-store" (`~/.local/share/klimatavtal-store/` on Linux) — apart
from any kiosk's data folder, so a laptop that is both never mixes them.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
DATABASE_URL_ENV = "KLIMATAVTAL_STORE_DATABASE_URL"
STORE_APP_NAME = "klimatavtal-store"
STORE_FILENAME = "central-store.sqlite3"
# Per server process; `serve --workers N` opens up to N times as many.
POSTGRESQL_POOL_SIZE = 20
POSTGRESQL_POOL_OVERFLOW = 20


def default_database_url() -> str:
    """$KLIMATAVTAL_STORE_DATABASE_URL, else the SQLite file in the store's own data folder."""
    from_env = os.environ.get(DATABASE_URL_ENV)
    if from_env:
        return from_env
    folder = Path(platformdirs.user_data_dir(STORE_APP_NAME, appauthor=False))
    return f"sqlite:///{folder / STORE_FILENAME}"


class CentralStoreError(RuntimeError):
    """The store's database cannot be used; the message is for an organiser."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")  # erased records are zeroed on disk
    finally:
        cursor.close()


def _begin_immediate(connection) -> None:  # type: ignore[no-untyped-def]
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(database_url: str) -> Engine:
    try:
        url = make_url(database_url)
    except ArgumentError as exc:
        raise CentralStoreError(f"Not a database URL: {database_url!r}") from exc
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_immediate)
        return engine
    if url.get_backend_name() == "postgresql":
        # Pages of 100 rows: psycopg rewrites every statement's placeholders in
        # Python, and one 500-row statement cost twice as much as five small ones.
        # The pool keeps as many connections as a burst uses: an overflow connection
        # is closed when it comes back, and the next request pays PostgreSQL for a
        # new backend (fork, catalogue caches, planning cold). With 10 kept, 20
        # kiosks at once made one worker open ~50 backends in a 10 s run
        # (bench_sync_scaleout). 40 in all is anyio's thread limit, which runs
        # every request that touches the database: none waits for a connection.
        return create_engine(
            url,
            pool_size=POSTGRESQL_POOL_SIZE,
            max_overflow=POSTGRESQL_POOL_OVERFLOW,
            pool_pre_ping=True,
            insertmanyvalues_page_size=100,
        )
    raise CentralStoreError(
        f"Unsupported database {url.get_backend_name()!r}: use sqlite:///FILE "
        "or postgresql+psycopg://USER@HOST/DB"
    )


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


class CentralStore:
    """The open store database: an engine and a session factory."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.dialect = engine.dialect.name
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        self.engine.dispose()


def open_central_store(database_url: str) -> CentralStore:
    """Open the store's database, creating or migrating its tables as needed."""
    engine = make_engine(database_url)
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        if current != head:
            command.upgrade(alembic_config(engine), "head")
    except Exception as exc:
        engine.dispose()
        raise CentralStoreError(
            f"The store's database {engine.url.render_as_string(hide_password=True)} "
            f"could not be opened: {exc}"
        ) from exc
    return CentralStore(engine)
