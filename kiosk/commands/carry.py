"""`carry --out DIR`: save the pending signatures to a carry file (a USB stick) for a
stall that never gets online; the organiser imports it with `klimatavtal-store carry-in`."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli import UserError, add_data_dir
from kiosk.commands.common import open_store_or_exit

_PROBLEMS = {
    "disk_full": "the drive is full",
    "read_only": "the folder cannot be written to (write-protected stick, or no permission)",
    "no_folder": "there is no such folder (is the stick mounted?)",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "carry",
        help="save pending signatures to a file on a USB stick, for the central store",
        description="Write every pending signature (still sealed) to one carry file in DIR, "
        "for an organiser to import with `klimatavtal-store carry-in FILE`. Nothing is "
        "marked sent: the signatures stay pending until a sync confirms them. An enrolled "
        "kiosk signs the file; an unenrolled one writes it unsigned.",
    )
    add_data_dir(parser)
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="the folder (a USB stick)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.carry import CarryProblem, write_carry_file  # noqa: PLC0415

    store = open_store_or_exit(args)
    try:
        outcome = write_carry_file(store, args.out)
    finally:
        store.close()
    if isinstance(outcome, CarryProblem):
        if outcome.kind == "nothing_pending":
            print("Nothing waits to be sent; no file written.")
            return 0
        why = _PROBLEMS.get(outcome.kind, outcome.detail)
        raise UserError(f"No carry file written to {args.out}: {why}.")
    print(f"Saved {outcome.count} signature(s) to {outcome.path}.")
    if not outcome.signed:
        print(
            "The file is unsigned: this kiosk is not enrolled. The organiser imports it with "
            "`klimatavtal-store carry-in FILE --trust-unsigned DEVICE`."
        )
    if outcome.left_out:
        print(
            f"{outcome.left_out} signature(s) do not fit the protocol and wait here (see status)."
        )
    print("They stay pending here until a sync confirms the store has them.")
    return 0
