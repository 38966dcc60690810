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

    return run_kiosk(args)
