"""A login session in which only the kiosk runs, under cage, restarted if it crashes.

The kiosk's own lockdown covers its window, but the Super key, Alt+Tab and
switching users belong to the desktop. cage (a Wayland kiosk compositor)
shows exactly one application fullscreen and nothing else: there is no
other window to switch to, no panel, and without its `-s` option no
switching to another virtual terminal. A display manager offers the
session from its `wayland-sessions` file; automatic login picks it
(README, "A kiosk session").

The session runs `supervise`: it starts the kiosk and starts it again
when it crashes (any exit but 0), waiting longer each time it fails fast,
so a kiosk that cannot start does not spin. Exit 0 is the volunteer's
*Stäng av kiosken*: the session ends.

Plain Python, no Qt: `klimatavtal session install` writes the files.
"""

from __future__ import annotations

import logging
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from kiosk.paths import APP_ID

LAUNCHER_NAME = "klimatavtal-kiosk-session"
DEFAULT_BIN_DIR = Path("/usr/local/bin")
# Where GDM, LightDM and SDDM all look (LightDM and SDDM not in /usr/local).
DEFAULT_SESSIONS_DIR = Path("/usr/share/wayland-sessions")
FAST_FAILURE_SECONDS = 30.0  # a kiosk that dies sooner than this after starting failed fast
MAX_DELAY_SECONDS = 60.0
log = logging.getLogger(__name__)


def kiosk_command() -> list[str]:
    """The command line that runs this installation's `klimatavtal`."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle: its executable is the CLI
        return [sys.executable]
    return [os.path.abspath(sys.executable), "-m", "kiosk"]


def launcher_script(command: Sequence[str], *, cage: str = "cage") -> str:
    """The session's program: cage with only the supervised kiosk inside."""
    supervised = shlex.join([*command, "session", "supervise"])
    return f"""#!/bin/sh
# The Klimatavtalet kiosk session, written by `klimatavtal session install`.
# cage shows this one application fullscreen: no Alt+Tab, no Super key, no
# other window, and (without cage's -s) no switching to another terminal or user.
# Wayland; KLIMATAVTAL_QT_PLATFORM=xcb runs the kiosk through Xwayland instead.
export QT_QPA_PLATFORM="${{KLIMATAVTAL_QT_PLATFORM:-wayland}}"
export QT_WAYLAND_DISABLE_WINDOWDECORATION=1
export XDG_CURRENT_DESKTOP=cage
exec {shlex.quote(cage)} -d -- {supervised} -- "$@"
"""


def session_entry(launcher: Path) -> str:
    """The display manager's entry for the session (Desktop Entry spec)."""
    return f"""[Desktop Entry]
Type=Application
Name=Klimatavtalet kiosk
Name[sv]=Klimatavtalet (kiosk)
Comment=Only the Klimatavtalet kiosk, fullscreen, restarted if it stops
Comment[sv]=Bara kiosken för Klimatavtalet, i helskärm, startas om om den stannar
Exec={launcher}
TryExec={launcher}
"""


def install(
    *,
    bin_dir: Path = DEFAULT_BIN_DIR,
    sessions_dir: Path = DEFAULT_SESSIONS_DIR,
    command: Sequence[str] | None = None,
) -> list[Path]:
    """Write the launcher and the session entry; return what was written."""
    launcher = bin_dir / LAUNCHER_NAME
    entry = sessions_dir / f"{APP_ID}.desktop"
    bin_dir.mkdir(parents=True, exist_ok=True)
    launcher.write_text(launcher_script(command or kiosk_command()), encoding="utf-8")
    launcher.chmod(0o755)
    sessions_dir.mkdir(parents=True, exist_ok=True)
    entry.write_text(session_entry(launcher), encoding="utf-8")
    return [launcher, entry]


def uninstall(
    *, bin_dir: Path = DEFAULT_BIN_DIR, sessions_dir: Path = DEFAULT_SESSIONS_DIR
) -> list[Path]:
    removed = []
    for path in (bin_dir / LAUNCHER_NAME, sessions_dir / f"{APP_ID}.desktop"):
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed


def restart_delay(fast_failures: int) -> float:
    """1, 2, 4 … seconds after consecutive fast failures, at most a minute."""
    return 0.0 if fast_failures == 0 else min(MAX_DELAY_SECONDS, 2.0 ** (fast_failures - 1))


def supervise(
    command: Sequence[str],
    *,
    run: Callable[[Sequence[str]], int] = subprocess.call,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Run the kiosk until it exits 0; start it again after a crash."""
    fast_failures = 0
    while True:
        started = clock()
        code = run(list(command))
        if code == 0:
            return 0
        ran_for = clock() - started
        fast_failures = fast_failures + 1 if ran_for < FAST_FAILURE_SECONDS else 0
        delay = restart_delay(fast_failures)
        message = f"kiosk-session: the kiosk stopped (exit {code}); starting it again"
        print(f"{message} in {delay:.0f} s", file=sys.stderr, flush=True)
        log.warning("the kiosk stopped (exit %s) after %.0f s; restarting", code, ran_for)
        sleep(delay)
