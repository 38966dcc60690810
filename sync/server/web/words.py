"""Page words from gettext catalogues with KEY msgids (`console.login.title`).

Swedish first: a key missing from another language falls back to Swedish,
and a key missing from Swedish shows as itself (a test catches that). This
small loader stands in until the shared Qt-free one in `sync/i18n.py`
exists; only `Words` and `LANGUAGES` are used elsewhere, so it swaps easily.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
_BABEL_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


@cache
def catalogue(language: str) -> dict[str, str]:
    """msgid -> msgstr of one language's .po file (read once per process)."""
    with (LOCALE_DIR / f"{language}.po").open("rb") as handle:
        messages = read_po(handle, locale=language)
    return {str(m.id): str(m.string) for m in messages if m.id and m.string}


class Words:
    """The words and number/date formats of one page in one language."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._locale = _BABEL_LOCALES[self.language]

    def __call__(self, key: str, **values: object) -> str:
        text = catalogue(self.language).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
        return text.format(**values) if values else text

    def number(self, value: int | float) -> str:
        return format_decimal(value, locale=self._locale)

    def percent(self, value: float) -> str:
        return format_percent(value, locale=self._locale)

    def date(self, value: date | None) -> str:
        return "" if value is None else format_date(value, "medium", locale=self._locale)

    def datetime(self, value: datetime | None) -> str:
        if value is None:
            return ""
        return format_datetime(value, "yyyy-MM-dd HH:mm", tzinfo=None, locale=self._locale)
