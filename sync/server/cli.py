"""`klimatavtal-store COMMAND`: the central store's command line; no Qt, no kiosk.

Each command lives in sync/server/commands/<name>.py with a `register`
function (a dash in a command's name is an underscore in its module's);
`COMMANDS` lists them in the order `--help` shows. Modules import
their heavy libraries (FastAPI, uvicorn) only when run, so listing the
commands is cheap and works where only the kiosk is installed.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = (
    "serve",
    "devices",
    "tally",
    "export",
    "erase",
    "users",
    "carry-in",
    "backup",
    "restore",
)
COMMANDS_PACKAGE = "sync.server.commands"


class UserError(Exception):
    """A problem the person at the terminal can fix; printed without a traceback."""


def register_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add every store command to a parser (this one's, or the kiosk's)."""
    for name in COMMANDS:
        module = name.replace("-", "_")
        importlib.import_module(f"{COMMANDS_PACKAGE}.{module}").register(subparsers)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="klimatavtal-store",
        description="Helsingborgarnas Klimatavtal: the central store that kiosks sync to, "
        "and the organisers' tools.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    register_commands(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"klimatavtal-store: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
