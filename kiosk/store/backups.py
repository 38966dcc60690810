"""Backups before a migration, sealed like the signatures they hold.

A backup is a copy of the whole database, and a database from before
sealing (or an unsynced one) holds names, emails and drawn signatures.
So the copy is made in memory with SQLite's backup API and written only
as a sealed box (libsodium, the campaign public key the kiosk seals
with): a stolen laptop gives nothing away, and only the organisers,
whose private key never comes near a kiosk, can open it. No plaintext
copy ever touches the disk.

Restoring (organisers, on their own machine):
    python -m kiosk.store.backups FILE.sqlite3.sealed --private-key campaign.private.json \
        --out klimatavtal.sqlite3
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

import nacl.exceptions
from nacl.public import PublicKey, SealedBox

from kiosk.dbfile import read_only
from kiosk.store.keys import KEYS_SETTING
from sync.privacy.keys import CampaignKeys, CampaignPrivateKey, development_keys

SUFFIX = ".sqlite3.sealed"


def _sealing_keys(copy: sqlite3.Connection) -> CampaignKeys:
    """The keys the kiosk seals with, read from the copy (development keys when none)."""
    try:
        row = copy.execute("SELECT value FROM settings WHERE key = ?", (KEYS_SETTING,)).fetchone()
    except sqlite3.OperationalError:  # a database from before settings existed
        row = None
    return development_keys() if row is None else CampaignKeys.from_json(json.loads(row[0]))


def write_sealed_backup(path: Path, backup_dir: Path, label: str) -> Path:
    """Seal a consistent copy of the database at `path` into `backup_dir`."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_dir / f"{path.stem}-before-{label}-{stamp}{SUFFIX}"
    copy = sqlite3.connect(":memory:")
    try:
        with read_only(path) as source:
            source.backup(copy)
        keys = _sealing_keys(copy)
        sealed = SealedBox(PublicKey(keys.public_key)).encrypt(copy.serialize())
    finally:
        copy.close()
    partial = target.with_name(target.name + ".partial")
    with partial.open("wb") as handle:
        handle.write(sealed)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(target)
    return target


def open_sealed_backup(sealed: Path, private_key: CampaignPrivateKey, out: Path) -> None:
    """Write the database a sealed backup holds to `out` (which must not exist yet)."""
    try:
        plain = SealedBox(private_key.private_key).decrypt(sealed.read_bytes())
    except nacl.exceptions.CryptoError as exc:
        raise ValueError(
            f"{sealed} cannot be opened with this private key (another campaign key, or damaged)"
        ) from exc
    # Header bytes 18-19 say "WAL mode"; an image in memory has no log, so it
    # is read in rollback mode (the kiosk switches the restored file back to WAL).
    image = plain[:18] + b"\x01\x01" + plain[20:]
    copy = sqlite3.connect(":memory:")
    try:
        copy.deserialize(image)
        destination = sqlite3.connect(out)
        try:
            copy.backup(destination)
        finally:
            destination.close()
    finally:
        copy.close()


def main(argv: list[str] | None = None) -> int:
    from sync.privacy.passphrase import ask_passphrase  # noqa: PLC0415

    parser = argparse.ArgumentParser(description="open a kiosk's sealed backup")
    parser.add_argument("backup", type=Path)
    parser.add_argument("--private-key", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.out.exists():
        print(f"{args.out} exists already; choose a new file", file=sys.stderr)
        return 1
    try:
        key = CampaignPrivateKey.load(args.private_key, ask_passphrase("Private key passphrase: "))
        open_sealed_backup(args.backup, key, args.out)
    except (OSError, ValueError, sqlite3.Error) as exc:
        print(f"klimatavtal: {exc}; nothing was written", file=sys.stderr)
        return 1
    print(f"Restored to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
