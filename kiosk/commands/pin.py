"""`pin reset`: forget the volunteer PIN, for when no one remembers it.

Anyone at a terminal on the laptop could read the data folder anyway, so
this needs nothing more than access to the laptop's account. The next
start of the kiosk asks a volunteer to choose a new PIN.
"""

from __future__ import annotations

import argparse

from kiosk.cli import add_data_dir
from kiosk.commands.common import data_dir_of, open_store_or_exit


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("pin", help="the volunteer panel's PIN (reset a forgotten one)")
    actions = parser.add_subparsers(dest="pin_action", metavar="ACTION", required=True)
    reset = actions.add_parser(
        "reset",
        help="forget the PIN and any lockout; the next start asks for a new PIN",
    )
    add_data_dir(reset)
    reset.set_defaults(func=run_reset)


def run_reset(args: argparse.Namespace) -> int:
    from kiosk.volunteer.pin import reset_pin  # noqa: PLC0415 - keeps `--help` fast

    store = open_store_or_exit(args)
    try:
        reset_pin(store)
    finally:
        store.close()
    print(f"The volunteer PIN in {data_dir_of(args)} is reset; the kiosk asks for a new one.")
    return 0
