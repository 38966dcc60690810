"""`session install|uninstall|supervise`: a login session with only the kiosk (kiosk.session)."""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

from kiosk.cli import UserError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "session", help="a login session in which only the kiosk runs (cage, Linux)"
    )
    actions = parser.add_subparsers(dest="session_action", metavar="ACTION", required=True)
    for name, text in (
        ("install", "write the session (as root): the display manager then offers it"),
        ("uninstall", "remove the session's files"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("--bin-dir", type=Path, default=None, metavar="DIR")
        action.add_argument("--sessions-dir", type=Path, default=None, metavar="DIR")
        action.set_defaults(func=run_install if name == "install" else run_uninstall)
    supervise = actions.add_parser(
        "supervise", help="run the kiosk, starting it again if it crashes (the session does this)"
    )
    supervise.add_argument("kiosk_args", nargs=argparse.REMAINDER, help="-- then options for `run`")
    supervise.set_defaults(func=run_supervise)


def _dirs(args: argparse.Namespace) -> dict[str, Path]:
    from kiosk import session  # noqa: PLC0415

    chosen = {
        "bin_dir": args.bin_dir or session.DEFAULT_BIN_DIR,
        "sessions_dir": args.sessions_dir or session.DEFAULT_SESSIONS_DIR,
    }
    if os.geteuid() != 0 and not (args.bin_dir and args.sessions_dir):
        raise UserError(
            "installing the kiosk session needs root: sudo "
            + " ".join([*session.kiosk_command(), "session", args.session_action])
        )
    return chosen


def run_install(args: argparse.Namespace) -> int:
    from kiosk import session  # noqa: PLC0415

    dirs = _dirs(args)
    for path in session.install(bin_dir=dirs["bin_dir"], sessions_dir=dirs["sessions_dir"]):
        print(f"Installed {path}")
    if shutil.which("cage") is None:
        print("The session needs cage: sudo apt-get install cage xwayland")
    print("Choose 'Klimatavtalet kiosk' at login, or log in automatically (see the README).")
    return 0


def run_uninstall(args: argparse.Namespace) -> int:
    from kiosk import session  # noqa: PLC0415

    for path in session.uninstall(**_dirs(args)):
        print(f"Removed {path}")
    return 0


def run_supervise(args: argparse.Namespace) -> int:
    from kiosk import session  # noqa: PLC0415

    kiosk_args = args.kiosk_args[1:] if args.kiosk_args[:1] == ["--"] else args.kiosk_args
    return session.supervise([*session.kiosk_command(), "run", *kiosk_args])
