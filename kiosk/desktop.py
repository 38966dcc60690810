"""`make install`: a desktop entry (and an opt-in autostart) for the kiosk.

Volunteers start the kiosk from the applications menu, or it starts at
login, so nobody needs a terminal at the stall. The entry runs this
checkout's `.venv/bin/python main.py`; files go where the XDG base
directory spec says (`$XDG_DATA_HOME`, `$XDG_CONFIG_HOME`), so tests point
them at a temporary folder.

    python -m kiosk.desktop [--autostart]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from kiosk.paths import RESOURCES_DIR

APP_ID = "klimatavtal"
TEMPLATE = RESOURCES_DIR / f"{APP_ID}.desktop"
ICON = RESOURCES_DIR / "images" / f"{APP_ID}.svg"
REPO_ROOT = RESOURCES_DIR.parent


def xdg_dir(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "")
    return Path(value) if os.path.isabs(value) else Path.home() / fallback


def quote_exec_argument(argument: str) -> str:
    """Quote one Exec argument as the Desktop Entry spec asks."""
    escaped = argument.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped}"'


def desktop_entry(*, python: Path, repo: Path, icon: Path) -> str:
    command = " ".join(quote_exec_argument(str(part)) for part in (python, repo / "main.py"))
    command = command.replace("%", "%%")
    text = TEMPLATE.read_text(encoding="utf-8")
    return text.replace("@EXEC@", command).replace("@PATH@", str(repo)).replace("@ICON@", str(icon))


def install(*, python: Path, autostart: bool) -> list[Path]:
    """Install the icon and the entry (and the autostart copy); return what was written."""
    data_home = xdg_dir("XDG_DATA_HOME", ".local/share")
    icon = data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    entry = data_home / "applications" / f"{APP_ID}.desktop"
    written = [icon, entry]
    icon.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ICON, icon)
    entry.parent.mkdir(parents=True, exist_ok=True)
    text = desktop_entry(python=python, repo=REPO_ROOT, icon=icon)
    entry.write_text(text, encoding="utf-8")
    autostart_entry = xdg_dir("XDG_CONFIG_HOME", ".config") / "autostart" / f"{APP_ID}.desktop"
    if autostart:
        autostart_entry.parent.mkdir(parents=True, exist_ok=True)
        autostart_entry.write_text(text, encoding="utf-8")
        written.append(autostart_entry)
    elif autostart_entry.exists():
        autostart_entry.unlink()  # `make install` without AUTOSTART=1 turns it off again
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.desktop", description=__doc__)
    parser.add_argument("--autostart", action="store_true", help="also start at login")
    args = parser.parse_args(argv)
    python = Path(os.path.abspath(sys.executable))  # not resolved: keep the venv's python
    for path in install(python=python, autostart=args.autostart):
        print(f"Installed {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
