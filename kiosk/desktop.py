"""`make install` / `python -m kiosk.desktop`: the kiosk in the desktop's menu.

Volunteers start the kiosk from the applications menu, or it starts at
login, so nobody needs a terminal at the stall. The entry runs this
installation's kiosk (a checkout's venv, a pipx venv or the bundle) and is
named by the application id, as is the AppStream metainfo, so docks and
software centres match the running window to it. Files go where the XDG
base directory spec says (`$XDG_DATA_HOME`, `$XDG_CONFIG_HOME`), so tests
point them at a temporary folder.

    python -m kiosk.desktop [--autostart]
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
from pathlib import Path

from kiosk.paths import APP_ID, resource
from kiosk.session import kiosk_command

OLD_ID = "klimatavtal"  # entries written before the reverse-DNS id; removed on install


def xdg_dir(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "")
    return Path(value) if os.path.isabs(value) else Path.home() / fallback


def quote_exec_argument(argument: str) -> str:
    """Quote one Exec argument as the Desktop Entry spec asks."""
    escaped = argument.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped}"'


def desktop_entry(*, command: list[str], icon: Path) -> str:
    line = " ".join(quote_exec_argument(part) for part in command).replace("%", "%%")
    text = resource(f"{APP_ID}.desktop").read_text(encoding="utf-8")
    return text.replace("@EXEC@", line).replace("@ICON@", str(icon))


def install(*, command: list[str], autostart: bool) -> list[Path]:
    """Install icon, entry and metainfo (and the autostart copy); return what was written."""
    data_home = xdg_dir("XDG_DATA_HOME", ".local/share")
    autostart_dir = xdg_dir("XDG_CONFIG_HOME", ".config") / "autostart"
    icon = data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    entry = data_home / "applications" / f"{APP_ID}.desktop"
    metainfo = data_home / "metainfo" / f"{APP_ID}.metainfo.xml"
    for old in (
        data_home / "applications" / f"{OLD_ID}.desktop",
        data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{OLD_ID}.svg",
        autostart_dir / f"{OLD_ID}.desktop",
    ):
        old.unlink(missing_ok=True)
    for target in (icon, entry, metainfo):
        target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(resource("images", "klimatavtal.svg"), icon)
    shutil.copyfile(resource(f"{APP_ID}.metainfo.xml"), metainfo)
    text = desktop_entry(command=command, icon=icon)
    entry.write_text(text, encoding="utf-8")
    written = [icon, entry, metainfo]
    autostart_entry = autostart_dir / f"{APP_ID}.desktop"
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
    command = kiosk_command()
    for path in install(command=command, autostart=args.autostart):
        print(f"Installed {path}")
    print(f"It runs: {shlex.join(command)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
