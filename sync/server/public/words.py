"""The public pages' words: key msgids in gettext .po files, one per language.

Read once with Babel (`babel.messages.pofile.read_po`), so translators use
the same tools as for every other surface. A key missing from a language is
an error at start-up, never an empty text on a page.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def language(value: str | None) -> str:
    """The page language asked for (`?lang=en`), Swedish for anything else."""
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


@cache
def catalogue(lang: str) -> dict[str, str]:
    with (LOCALE_DIR / f"{lang}.po").open("rb") as handle:
        messages = read_po(handle, locale=lang)
    words = {str(m.id): str(m.string) for m in messages if m.id and m.string}
    if lang != DEFAULT_LANGUAGE:
        missing = sorted(set(catalogue(DEFAULT_LANGUAGE)) - set(words))
        if missing:
            raise RuntimeError(f"{lang}.po lacks {', '.join(missing)}")
    return words


def words_for(lang: str) -> dict[str, str]:
    return catalogue(language(lang))


class Words:
    """`_("key", name=value)` in templates and code."""

    def __init__(self, lang: str):
        self.lang = language(lang)
        self._words = words_for(self.lang)

    def __call__(self, key: str, **values: object) -> str:
        return self._words[key].format(**values)

    def raw(self, key: str) -> str:
        """The text with its {placeholders}, for a page that styles a value apart."""
        return self._words[key]
