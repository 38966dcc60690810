"""`run` (the default): start the kiosk."""

from __future__ import annotations

import argparse
import sys

from kiosk.cli import add_data_dir


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("run", help="start the kiosk (the default command)")
    add_data_dir(parser)
    parser.add_argument(
        "--windowed",
        action="store_true",
        help="a normal window instead of fullscreen, to try it out",
    )
    parser.add_argument(
        "--quit-after-start",
        action="store_true",
        help="quit (exit 0) once the attract screen is shown and the database is open: "
        "proves an installation works",
    )
    parser.set_defaults(func=run)


def check_system() -> int:
    """Refuse to start Qt without the libraries it needs, naming the apt-get line.

    Without this Qt aborts with a platform error that often names a package
    that is installed; missing optional parts are left for the kiosk to skip.
    """
    from kiosk import system_check  # noqa: PLC0415

    platform = system_check.screen_platform()
    blocking = system_check.blocking(system_check.check_parts(system_check.parts_for(platform)))
    for problem in blocking:
        print(f"klimatavtal: {problem.message()}", file=sys.stderr)
    return 1 if blocking else 0


def run(args: argparse.Namespace) -> int:
    if check_system():
        return 1
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415 - Qt is loaded only for the GUI

    from kiosk import pyside_scan  # noqa: PLC0415

    pyside_scan.install()  # before kiosk.app's modules are imported
    from kiosk.app import run_kiosk  # noqa: PLC0415
    from kiosk.commands.common import data_dir_of  # noqa: PLC0415
    from kiosk.logging_setup import setup_logging  # noqa: PLC0415
    from kiosk.paths import APP_ID  # noqa: PLC0415

    try:
        setup_logging(data_dir_of(args))
    except OSError as exc:  # a read-only data folder: the kiosk still runs and says so
        print(f"klimatavtal: no log file ({exc.strerror})")

    # Before the application exists: Wayland gets it as the window's app_id,
    # so docks, software centres and cage match the kiosk to its desktop file.
    QGuiApplication.setDesktopFileName(APP_ID)
    return run_kiosk(args)
