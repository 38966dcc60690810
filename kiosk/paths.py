"""Where the kiosk keeps its data and finds its shipped resources.

The data dir is chosen once, in this order: an explicit `--data-dir`, the
`KLIMATAVTAL_DATA_DIR` environment variable, then the platform's user data
dir (platformdirs), so a volunteer never has to know where it lives.

The shipped files live in the top-level `resources/` folder of the
checkout, which is also a package: the wheel and the PyInstaller bundle
carry it, and the import system finds it (the package's `__file__`, as
`importlib.resources` would) in a checkout, in a venv's site-packages or
inside a bundle alike. Every file is reached through
`resource()`, so no code guesses the folder from its own location (that
guess is what broke the installed wheel).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

APP_NAME = "klimatavtal"
# The reverse-DNS application id: the desktop file's name, Qt's desktop file
# name (the Wayland app_id docks and cage match windows by) and AppStream's id.
APP_ID = "se.klimatavtalet.Kiosk"
DATA_DIR_ENV = "KLIMATAVTAL_DATA_DIR"
RESOURCES_PACKAGE = "resources"


class MissingResource(FileNotFoundError):
    """A shipped file is not there: the installation is incomplete."""


def _resources_dir() -> Path:
    # The package's own folder, as importlib.resources.files() gives for a package
    # on disk, without loading importlib.resources (~30 ms at start-up, PySide's
    # import hook reading each of its modules). Installed as files on disk
    # (wheel, editable, bundle), never zipped: Qt and reportlab open fonts by path.
    package = importlib.import_module(RESOURCES_PACKAGE)
    path = Path(package.__file__ or "").parent
    if not path.is_dir():
        raise MissingResource(f"the kiosk's resources folder is missing ({path})")
    return path


RESOURCES_DIR = _resources_dir()


def resource(*parts: str) -> Path:
    """The path of one shipped file, e.g. `resource("texts", "strings.toml")`.

    Raises MissingResource (naming the file) when it is not installed, so
    a broken installation says what is missing instead of failing later.
    """
    path = RESOURCES_DIR.joinpath(*parts)
    if not path.exists():
        raise MissingResource(f"the kiosk's file {'/'.join(parts)} is missing ({path})")
    return path


# Noto Sans, regular and bold: the screens and every PDF use it.
FONT_FILES = (
    resource("fonts", "NotoSans-Regular.ttf"),
    resource("fonts", "NotoSans-Bold.ttf"),
)
DATABASE_FILENAME = "klimatavtal.sqlite3"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data dir to use, without creating it."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser().resolve()
    import platformdirs  # noqa: PLC0415 - only without --data-dir or the variable

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_FILENAME
