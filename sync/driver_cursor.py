"""The database driver's own cursor, inside SQLAlchemy's transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.engine.interfaces import DBAPICursor


@contextmanager
def driver_cursor(connection: Connection) -> Iterator[DBAPICursor]:
    """The DBAPI cursor (sqlite3's or psycopg's) of `connection`, closed after use.

    For the hot paths where SQLAlchemy's per-row parameters cost more than the
    statement itself (bulk inserts, IN lists of 500 UUIDs; the profiles are in
    README's Benchmarks). What runs on it is in the connection's transaction and
    commits or rolls back with it.
    """
    dbapi_connection = connection.connection.dbapi_connection
    assert dbapi_connection is not None, "a connection in use has its driver's connection"
    cursor = dbapi_connection.cursor()
    try:
        yield cursor
    finally:
        cursor.close()
