"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli import UserError
from kiosk.paths import resolve_data_dir
from kiosk.store import Store, StoreError, open_store


def data_dir_of(args: argparse.Namespace) -> Path:
    return resolve_data_dir(getattr(args, "data_dir", None))


def open_store_or_exit(args: argparse.Namespace) -> Store:
    try:
        return open_store(data_dir_of(args))
    except StoreError as exc:
        raise UserError(str(exc)) from exc
