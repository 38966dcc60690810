"""The kiosk's words in Swedish and English, from resources/texts/strings.toml.

Plain Python so that documents and the CLI share the same words as the
screens. A missing key is a bug, so it raises instead of showing the key.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from kiosk.content import LANGUAGES
from kiosk.paths import RESOURCES_DIR

STRINGS_FILE = RESOURCES_DIR / "texts" / "strings.toml"
VOLUNTEER_STRINGS_FILE = RESOURCES_DIR / "texts" / "volunteer.toml"  # the volunteer panel


def load_strings(path: Path = STRINGS_FILE) -> dict[str, dict[str, str]]:
    """Flatten the TOML tables to {"section.key": {"sv": …, "en": …}}."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    flat: dict[str, dict[str, str]] = {}
    for section, entries in data.items():
        for key, texts in entries.items():
            flat[f"{section}.{key}"] = texts
    return flat


class Translator:
    """Looks up words for the current language; the language can change live."""

    def __init__(self, strings: dict[str, dict[str, str]] | None = None, language: str = "sv"):
        if strings is None:
            strings = {**load_strings(), **load_strings(VOLUNTEER_STRINGS_FILE)}
        self._strings = strings
        self.language = language

    @property
    def language(self) -> str:
        return self._language

    @language.setter
    def language(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        self._language = language

    def __call__(self, key: str, **values: object) -> str:
        return self._strings[key][self._language].format(**values)

    def other_language(self) -> str:
        return "en" if self._language == "sv" else "sv"
