"""`backup --out FILE`: a consistent copy of a SQLite central store, taken while it serves.

SQLite's online backup API copies the database page by page under its own
locks, so uploads may go on meanwhile and the copy is still one consistent
moment (a plain `cp` of a WAL database can miss what sits in the -wal file).
The copy is switched to a rollback journal, so it is one self-contained file,
and checked (`PRAGMA integrity_check`) before the command says it is done.

PostgreSQL has its own tool for this: the command prints the `pg_dump` line.
"""

from __future__ import annotations

import argparse
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from sync.server.cli import UserError
from sync.server.commands.common import add_database_url, database_url_of

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "backup",
        help="central store: copy a SQLite store to FILE while it runs (PostgreSQL: pg_dump)",
        description="Copy the central store's SQLite database to FILE with SQLite's online "
        "backup, safe while the store serves. For PostgreSQL, it prints the pg_dump command "
        "to use instead. Restore with `klimatavtal-store restore FILE --database-url URL`.",
    )
    parser.add_argument("--out", type=Path, required=True, metavar="FILE")
    add_database_url(parser)
    parser.set_defaults(func=run)


def parsed_url(database_url: str) -> URL:
    from sqlalchemy.engine import make_url  # noqa: PLC0415 - when run, not when listed
    from sqlalchemy.exc import ArgumentError  # noqa: PLC0415

    try:
        return make_url(database_url)
    except ArgumentError as exc:
        raise UserError(f"Not a database URL: {database_url!r}") from exc


def libpq_url(url: URL) -> str:
    """The URL as pg_dump and pg_restore take it (no SQLAlchemy driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def sqlite_path(url: URL, *, purpose: str) -> Path:
    """The file of a sqlite:///FILE URL; UserError (with the PostgreSQL line) otherwise."""
    backend = url.get_backend_name()
    if backend == "postgresql":
        target = libpq_url(url)
        raise UserError(
            f"{purpose} is for a SQLite store. For PostgreSQL use its own tools:\n"
            f"  pg_dump --format=custom --file=store.dump '{target}'\n"
            f"  pg_restore --clean --if-exists --no-owner --dbname='{target}' store.dump"
        )
    if backend != "sqlite" or not url.database or url.database == ":memory:":
        raise UserError(f"{purpose} needs a store in a file: sqlite:///FILE")
    return Path(url.database).expanduser()


def integrity_problem(path: Path) -> str | None:
    """What `PRAGMA integrity_check` says is wrong with a SQLite file, or None."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
            connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        return f"not a central store database ({exc})"
    return None if verdict == "ok" else str(verdict)


def copy_database(source: Path, target: Path, *, source_mode: str = "rw") -> None:
    """Copy one SQLite database onto another with the online backup API, as one file.
    A live store is opened read-write ("rw": a WAL database needs its -shm file); a
    backup on a write-protected stick read-only ("ro")."""
    with closing(sqlite3.connect(f"file:{source}?mode={source_mode}", uri=True)) as src:
        with closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")


def run(args: argparse.Namespace) -> int:
    source = sqlite_path(parsed_url(database_url_of(args)), purpose="backup")
    out: Path = args.out
    if not source.is_file():
        raise UserError(f"There is no central store at {source}; nothing backed up.")
    if out.exists():
        raise UserError(f"{out} exists already; choose a new file (nothing was overwritten).")
    if out.resolve() == source.resolve():
        raise UserError("The backup cannot be the store's own file.")
    partial = out.with_name(out.name + ".partial")
    try:
        copy_database(source, partial)
        problem = integrity_problem(partial)
        if problem is not None:
            raise UserError(f"The copy did not check out ({problem}); no backup was written.")
        partial.replace(out)
    except sqlite3.Error as exc:
        raise UserError(f"The backup failed: {exc}; no backup was written.") from exc
    except OSError as exc:
        raise UserError(f"Cannot write {out}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    print(f"Backed up {source} to {out} ({out.stat().st_size} bytes, checked).")
    return 0
