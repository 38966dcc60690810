"""`restore FILE --database-url URL`: put a backup (`backup --out FILE`) back as a store.

The backup is checked first (a SQLite file that passes `integrity_check` and
holds a central store); a target store that already holds anything is left
alone unless `--force`, so a restore never overwrites live signatures by a
slip of the keyboard. The copy uses SQLite's backup API (the target is
replaced as one transaction), then the store's migrations bring a backup
from an older version up to this one. Stop `serve` on the target first.
"""

from __future__ import annotations

import argparse
import sqlite3
from contextlib import closing
from pathlib import Path

from sync.server.cli import UserError
from sync.server.commands.backup import copy_database, integrity_problem, parsed_url, sqlite_path

# Tables whose rows are bookkeeping, not the store's content.
# Tables every store has from its first migration on, whatever it holds.
_BOOKKEEPING = ("alembic_version", "privacy_sequence")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "restore",
        help="central store: restore a backup FILE into the store at --database-url",
        description="Restore a backup made with `klimatavtal-store backup`. Refuses a target "
        "store that holds anything unless --force. Stop the server on that store first. For "
        "PostgreSQL, it prints the pg_restore command to use instead.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the backup file")
    parser.add_argument(
        "--database-url",
        metavar="URL",
        required=True,
        help="the store to restore into: sqlite:///FILE (said explicitly, never a default)",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace a store that already holds data"
    )
    parser.set_defaults(func=run)


def rows_held(path: Path) -> int:
    """How many rows the store's tables hold (0 for a missing or new, empty file)."""
    if not path.is_file() or path.stat().st_size == 0:
        return 0
    with closing(sqlite3.connect(f"file:{path}?mode=rw", uri=True)) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            if name not in _BOOKKEEPING
        ]
        return sum(
            connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables
        )


def run(args: argparse.Namespace) -> int:
    from sync.server.db import CentralStoreError, open_central_store  # noqa: PLC0415

    url = parsed_url(args.database_url)
    target = sqlite_path(url, purpose="restore")
    backup: Path = args.file
    if not backup.is_file():
        raise UserError(f"There is no backup at {backup}; nothing restored.")
    problem = integrity_problem(backup)
    if problem is not None:
        raise UserError(f"{backup} is not a usable backup: {problem}; nothing restored.")
    if target.exists() and target.resolve() == backup.resolve():
        raise UserError("The backup and the target are the same file; nothing restored.")
    try:
        held = rows_held(target)
    except sqlite3.DatabaseError as exc:
        if not args.force:
            raise UserError(
                f"{target} is not a readable store ({exc}); use --force to replace it."
            ) from exc
        held = -1
    if held and not args.force:
        raise UserError(
            f"The store at {target} already holds {held} row(s); nothing restored. "
            "Restore into a new file, or add --force to replace it."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    if held < 0:  # not a database at all: replaced, as --force said
        for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
    try:
        copy_database(backup, target, source_mode="ro")
    except sqlite3.Error as exc:
        raise UserError(f"The restore failed: {exc}") from exc
    try:
        open_central_store(args.database_url).close()  # migrations: an older backup is upgraded
    except CentralStoreError as exc:
        raise UserError(str(exc)) from exc
    print(f"Restored {backup} into {target}.")
    return 0
