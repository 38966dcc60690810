"""`carry-in FILE`: import a kiosk's carry file (its signatures brought on a USB stick).

The file is checked whole before anything is stored (sync.carry: complete,
unchanged, signed by an unrevoked kiosk of this store); then every batch goes
through `repository.store_batch`, the upload's own exactly-once path, in one
transaction. So a file imported twice adds nothing (duplicates acknowledged),
withdrawn signatures are not stored again (answered erased), and records the
kiosk later uploads anyway are acknowledged, not doubled.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sync.server.cli import UserError
from sync.server.commands.common import add_database_url, open_central_store_or_exit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from sync.carry import CarryFile
    from sync.server.models import Device


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "carry-in",
        help="central store: import a kiosk's carry file (signatures brought on a USB stick)",
        description="Import the signatures a kiosk saved to a carry file (`klimatavtal carry`, "
        "or Spara till USB in the volunteer panel). A damaged or changed file is refused "
        "whole; importing a file twice adds nothing. Exit status 0 when imported, 2 when "
        "refused.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the klimatavtal-carry-….json")
    parser.add_argument(
        "--trust-unsigned",
        metavar="DEVICE",
        default=None,
        help="import an unsigned file (written by a kiosk that was never enrolled) as if "
        "DEVICE had uploaded it; only for a file you took from the kiosk yourself",
    )
    add_database_url(parser)
    parser.set_defaults(func=run)


@dataclass(frozen=True)
class CarryImport:
    device: str
    accepted: int
    duplicates: int
    erased: int
    conflicts: int
    total: int


def _device_for(session: Session, carried: CarryFile, trust_unsigned: str | None) -> Device:
    """The device that wrote the file: the one whose key checks its MAC, or the one
    an organiser names for an unsigned file. UserError when there is none."""
    from sqlalchemy import select  # noqa: PLC0415

    from sync.server.models import Device  # noqa: PLC0415

    if carried.signed:
        for device in session.scalars(select(Device).order_by(Device.id)):
            if carried.signed_with(device.token_sha256):
                if device.revoked_at_utc is not None:
                    raise UserError(
                        f"The carry file was written by {device.name}, whose token was revoked "
                        f"on {device.revoked_at_utc:%Y-%m-%d}; nothing imported."
                    )
                return device
        raise UserError(
            "The carry file's signature matches no kiosk of this store: it was changed after "
            "the kiosk wrote it, or it belongs to another store; nothing imported."
        )
    if trust_unsigned is None:
        raise UserError(
            "The carry file is not signed: the kiosk that wrote it "
            f"({carried.kiosk_uuid}) was not enrolled, so nothing proves where it comes "
            "from. If you took it from that kiosk yourself, import it with "
            "--trust-unsigned DEVICE (a device of `klimatavtal-store devices list`); "
            "nothing imported."
        )
    unsigned_device = session.scalar(select(Device).where(Device.name == trust_unsigned))
    if unsigned_device is None or unsigned_device.revoked_at_utc is not None:
        raise UserError(
            f"No device named {trust_unsigned!r} that may upload: add one with "
            f"`klimatavtal-store devices add {trust_unsigned}`; nothing imported."
        )
    return unsigned_device


def import_carry(
    session: Session, *, carried: CarryFile, trust_unsigned: str | None = None
) -> CarryImport:
    """Store a checked carry file's batches; the caller commits once (or not at all)."""
    from sync.server import repository  # noqa: PLC0415

    device = _device_for(session, carried, trust_unsigned)
    accepted = duplicates = erased = conflicts = total = 0
    for batch in carried.batches:
        result = repository.store_batch(session, batch=batch, device=device)
        accepted += result.accepted
        duplicates += result.duplicates
        erased += result.erased
        conflicts += result.refused
        total = result.total
    return CarryImport(device.name, accepted, duplicates, erased, conflicts, total)


def run(args: argparse.Namespace) -> int:
    from sync.carry import CarryFileError, read_carry_file  # noqa: PLC0415

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise UserError(f"Cannot read {args.file}: {exc.strerror or exc}") from exc
    try:
        carried = read_carry_file(data)
    except CarryFileError as exc:
        raise UserError(f"{args.file}: {exc}") from exc
    store = open_central_store_or_exit(args)
    try:
        with store.session() as session:
            outcome = import_carry(session, carried=carried, trust_unsigned=args.trust_unsigned)
            session.commit()
    finally:
        store.close()
    print(
        f"Imported {args.file.name} from {outcome.device} ({carried.count} signature(s), "
        f"written {carried.written_at_utc} UTC):"
    )
    print(f"  added {outcome.accepted}, already here {outcome.duplicates}")
    if outcome.erased:
        print(f"  withdrawn by their signers, not stored: {outcome.erased}")
    if outcome.conflicts:
        print(
            f"  conflicts kept aside for an organiser: {outcome.conflicts} "
            "(the store holds other content under the same UUID)"
        )
    print(f"Campaign total: {outcome.total}")
    return 0
