"""The database driver's own cursor, inside SQLAlchemy's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Dialect
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.types import TypeEngine


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


def bind_processor(column_type: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """How SQLAlchemy turns a value of `column_type` into what `dialect`'s driver
    binds, for values put on the driver's cursor; None: as it is.

    Asked of the dialect's own type (`dialect_impl`): the generic DateTime has no
    processor, and a datetime handed to sqlite3 as it is gets sqlite3's adapter's
    spelling (`09:15:00` for a zero fraction), not SQLAlchemy's `09:15:00.000000`."""
    return column_type.dialect_impl(dialect).bind_processor(dialect)
