"""The settings volunteers change in the panel, kept in the Setting table.

One dataclass with defaults, read and written as one JSON value per field
(`setting.<field>`), so a new field needs no migration. `check_settings`
says what is wrong in words from strings.toml and changes nothing; the
content file is only accepted when `load_content` can read it.

The store (SQLAlchemy) is imported inside the functions that need it: the
kiosk reads its settings before Qt starts and paints before the store opens.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.content import (
    DEFAULT_CONTENT_FILE,
    LANGUAGES,
    OFFERED_BY_DEFAULT,
    Content,
    ContentError,
    load_content,
)
from kiosk.dbfile import check_wal, read_only

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

KEY_PREFIX = "setting."
IDLE_RANGE = (20, 600)
THANKS_RANGE = (5, 120)


@dataclass(frozen=True)
class KioskSettings:
    languages: tuple[str, ...] = OFFERED_BY_DEFAULT
    default_language: str = "sv"
    idle_seconds: int = 60
    thanks_seconds: int = 15
    content_file: str = ""  # empty: the shipped resources/content/pledge.toml
    printer_name: str = ""  # used once printing exists
    central_store_url: str = ""  # used once sync exists
    large_text: bool = False
    high_contrast: bool = False
    onscreen_keyboard: bool = True

    def content_path(self) -> Path:
        return Path(self.content_file) if self.content_file else DEFAULT_CONTENT_FILE


def _from_values(values: dict[str, object]) -> KioskSettings:
    """Settings from stored values; unknown keys are ignored, missing ones default."""
    known = {field.name for field in fields(KioskSettings)}
    kept = {name: value for name, value in values.items() if name in known}
    if "languages" in kept:
        kept["languages"] = tuple(kept["languages"])  # type: ignore[arg-type]
    return KioskSettings(**kept)  # type: ignore[arg-type]


def load_settings(session: Session) -> KioskSettings:
    from sqlalchemy import select  # noqa: PLC0415 - see module doc

    from kiosk.store.models import Setting  # noqa: PLC0415

    rows = session.scalars(select(Setting).where(Setting.key.startswith(KEY_PREFIX)))
    return _from_values({row.key[len(KEY_PREFIX) :]: json.loads(row.value) for row in rows})


def peek_settings(database: Path) -> KioskSettings:
    """The stored settings, read before the app starts (the keyboard is chosen then).

    Plain sqlite3 that changes no byte on disk and leaves no side file
    (kiosk/dbfile.py), no SQLAlchemy or migrations: defaults when the
    file does not exist yet or cannot be read, since `open_store` reports
    any real problem with the file a moment later.
    """
    if not database.exists() or check_wal(database).damaged:
        return KioskSettings()
    try:
        with read_only(database) as connection:
            rows = connection.execute(
                "SELECT key, value FROM settings WHERE key LIKE ?", (KEY_PREFIX + "%",)
            ).fetchall()
        return _from_values({key[len(KEY_PREFIX) :]: json.loads(value) for key, value in rows})
    except (sqlite3.Error, OSError, ValueError, TypeError):
        return KioskSettings()


def load_chosen_content(settings: KioskSettings) -> Content:
    """The content file the volunteers chose, else the shipped one.

    A chosen file that has broken since it was accepted must not stop the
    stall: the shipped file is used and the reason printed. A broken
    shipped file raises ContentError (the app cannot start without it).
    """
    if settings.content_file:
        try:
            return load_content(settings.content_path())
        except ContentError as exc:
            print(f"klimatavtal: {exc}; using the shipped content file", file=sys.stderr)
    return load_content()


def save_settings(session: Session, settings: KioskSettings) -> None:
    from kiosk.store.repository import set_setting  # noqa: PLC0415 - see module doc

    for name, value in asdict(settings).items():
        set_setting(session, KEY_PREFIX + name, list(value) if name == "languages" else value)


@dataclass(frozen=True)
class SettingsProblem:
    field: str
    key: str  # strings.toml key
    detail: str = ""


def check_settings(settings: KioskSettings) -> tuple[KioskSettings, list[SettingsProblem]]:
    """The settings cleaned up, and what is wrong with them (nothing saved here)."""
    problems: list[SettingsProblem] = []
    languages = tuple(lang for lang in LANGUAGES if lang in settings.languages)
    if not languages:
        problems.append(SettingsProblem("languages", "volunteer.settings_no_language"))
    elif settings.default_language not in languages:
        problems.append(SettingsProblem("default_language", "volunteer.settings_default_offered"))
    if not IDLE_RANGE[0] <= settings.idle_seconds <= IDLE_RANGE[1]:
        problems.append(SettingsProblem("idle_seconds", "volunteer.settings_idle_range"))
    if not THANKS_RANGE[0] <= settings.thanks_seconds <= THANKS_RANGE[1]:
        problems.append(SettingsProblem("thanks_seconds", "volunteer.settings_thanks_range"))
    content_file = settings.content_file.strip()
    if content_file:
        try:
            load_content(Path(content_file).expanduser())
        except ContentError as exc:
            problems.append(SettingsProblem("content_file", "volunteer.settings_content", str(exc)))
        else:
            content_file = str(Path(content_file).expanduser().resolve())
    cleaned = replace(
        settings,
        languages=languages,
        content_file=content_file,
        printer_name=settings.printer_name.strip(),
        central_store_url=settings.central_store_url.strip(),
    )
    return cleaned, problems
