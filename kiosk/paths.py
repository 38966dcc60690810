"""Where the kiosk keeps its data and finds its shipped resources.

The data dir is chosen once, in this order: an explicit `--data-dir`, the
`KLIMATAVTAL_DATA_DIR` environment variable, then the platform's user data
dir (platformdirs), so a volunteer never has to know where it lives.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "klimatavtal"
DATA_DIR_ENV = "KLIMATAVTAL_DATA_DIR"
RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"
# Noto Sans, regular and bold: the screens and every PDF use it.
FONT_FILES = (
    RESOURCES_DIR / "fonts" / "NotoSans-Regular.ttf",
    RESOURCES_DIR / "fonts" / "NotoSans-Bold.ttf",
)
DATABASE_FILENAME = "klimatavtal.sqlite3"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data dir to use, without creating it."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_FILENAME
