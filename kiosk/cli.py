"""Command line: `python main.py [command]`; with no command it starts the kiosk.

Each command lives in kiosk/commands/<name>.py with a `register` function;
the central store's commands (`serve`, `devices`, ...) live in
sync/server/commands/ and are registered here too, so `python main.py serve`
works as it always did (`klimatavtal-store serve` is the same command).
Nothing here imports Qt, so store, print and sync commands run on a
machine without a display; only `run` loads the GUI.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from kiosk import __version__
from sync.server import cli as store_cli

# The kiosk's command modules in the order `--help` lists them; the store's follow.
KIOSK_COMMANDS = (
    "run",
    "demo",
    "status",
    "pin",
    "flyer",
    "summary",
    "print",
    "enroll",
    "sync",
    "carry",
    "keys",
    "session",
)
COMMANDS = KIOSK_COMMANDS + store_cli.COMMANDS
# One error type for both command lines: a store command run from here is caught alike.
UserError = store_cli.UserError


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where the kiosk's data lives (default: $KLIMATAVTAL_DATA_DIR, "
        "else the platform's user data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="klimatavtal",
        description="Helsingborgarnas Klimatavtal: the market-stall kiosk and its tools. "
        "With no command, the kiosk starts.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_data_dir(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in KIOSK_COMMANDS:
        importlib.import_module(f"kiosk.commands.{name}").register(subparsers)
    store_cli.register_commands(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args_list = list(sys.argv[1:] if argv is None else argv)
    asks_for_help = any(arg in ("-h", "--help", "--version") for arg in args_list)
    if not asks_for_help and not any(arg in COMMANDS for arg in args_list):
        args_list.insert(0, "run")  # no command: start the kiosk, with any options given
    args = parser.parse_args(args_list)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"klimatavtal: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
