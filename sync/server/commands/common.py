"""Helpers for the central store's commands (serve, devices, tally, export, erase); no Qt."""

from __future__ import annotations

import argparse

from sync.server.cli import UserError
from sync.server.db import CentralStore, CentralStoreError, default_database_url, open_central_store


def add_database_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        metavar="URL",
        default=None,
        help="the central store's database: sqlite:///FILE or "
        "postgresql+psycopg://USER@HOST/DB (default: $KLIMATAVTAL_STORE_DATABASE_URL, else "
        "central-store.sqlite3 in the user data folder for klimatavtal-store)",
    )


def database_url_of(args: argparse.Namespace) -> str:
    url: str = args.database_url or default_database_url()
    return url


def open_central_store_or_exit(args: argparse.Namespace) -> CentralStore:
    try:
        return open_central_store(database_url_of(args))
    except CentralStoreError as exc:
        raise UserError(str(exc)) from exc
