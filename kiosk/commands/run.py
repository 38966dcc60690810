"""`run` (the default): start the kiosk."""

from __future__ import annotations

import argparse

from kiosk.cli import add_data_dir


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="start the kiosk (the default command)")
    add_data_dir(parser)
    parser.add_argument(
        "--windowed",
        action="store_true",
        help="a normal window instead of fullscreen, to try it out",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.app import run_kiosk  # noqa: PLC0415 - Qt is loaded only for the GUI
    from kiosk.commands.common import data_dir_of  # noqa: PLC0415
    from kiosk.logging_setup import setup_logging  # noqa: PLC0415

    try:
        setup_logging(data_dir_of(args))
    except OSError as exc:  # a read-only data folder: the kiosk still runs and says so
        print(f"klimatavtal: no log file ({exc.strerror})")

    return run_kiosk(args)
