"""Words and numbers in the reader's language: gettext catalogues and CLDR formatting.

Shared by the kiosk (screens, PDFs, command line) and the central store's
pages, so it imports neither Qt nor `kiosk`. Catalogues are monolingual
gettext: the msgid is a stable key ("attract.count"), the msgstr the text,
so call sites never change when a wording does, and Weblate or Poedit edit
the .po files with the Swedish one as the base. Swedish is the source
language: a message missing in another catalogue falls back to it, and a
key missing in Swedish too is a bug that raises.

Numbers, dates and sizes come from CLDR (Babel), never hand-formatted:
"81,3 GB" and "1 december 2026" in Swedish, "81.3 GB" and "1 December
2026" in English. Babel is imported on first use, not at start-up, and
small counts need none of it: every locale writes 0-999 with the same Latin
digits (a test checks each shipped language against Babel), so a screen
that shows "0 signatures" loads no CLDR data (~50 ms a language).
"""

from __future__ import annotations

import gettext
import io
import re
import tokenize
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, time
from functools import cache
from numbers import Number
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from decimal import Decimal

SOURCE_LANGUAGE = "sv"
SAME_IN_EVERY_LOCALE = 1000  # whole numbers below it need no CLDR (see the module doc)
DOMAIN = "klimatavtal"
_KEY = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
# The store's pages group keys one level deeper: "console.login.title".
_NESTED_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){1,3}$")


class Catalogues:
    """The compiled catalogues (.mo) under `locale_dir`/<language>/LC_MESSAGES/.

    Languages are the folders that hold a compiled catalogue: adding a
    language is adding its .po and running `make translations`.
    """

    def __init__(self, locale_dir: Path, domain: str = DOMAIN, source: str = SOURCE_LANGUAGE):
        self.locale_dir = locale_dir
        self.domain = domain
        self.source = source
        self._translations: dict[str, gettext.GNUTranslations] = {}

    def languages(self) -> tuple[str, ...]:
        """The languages with a catalogue, the source language first."""
        found = sorted(
            path.parent.parent.name
            for path in self.locale_dir.glob(f"*/LC_MESSAGES/{self.domain}.mo")
        )
        return tuple(sorted(found, key=lambda lang: lang != self.source))

    def translation(self, language: str) -> gettext.GNUTranslations:
        """The catalogue for `language`, falling back to the source language's."""
        if language not in self._translations:
            path = self.locale_dir / language / "LC_MESSAGES" / f"{self.domain}.mo"
            with path.open("rb") as file:
                found = gettext.GNUTranslations(file)
            if language != self.source:
                found.add_fallback(self.translation(self.source))
            self._translations[language] = found
        return self._translations[language]

    def text(self, language: str, key: str, **values: object) -> str:
        """The message `key` in `language`, placeholders filled and formatted by CLDR."""
        found = self.translation(language).gettext(key)
        if found == key:  # a msgid is a key, never a text: nothing had it
            raise KeyError(f"no message {key!r} in any catalogue (a plural needs .plural())")
        return found.format(**format_values(values, language))

    def plural(self, language: str, key: str, n: int, **values: object) -> str:
        """The plural message `key` in the form `language` uses for `n`."""
        found = self.translation(language).ngettext(key, key, n)
        if found == key:
            raise KeyError(f"no plural message {key!r} in any catalogue")
        return found.format(**format_values(values, language))


def format_values(values: Mapping[str, object], language: str) -> dict[str, object]:
    """Numbers and dates in a message's placeholders, written the reader's way."""
    return {name: format_value(value, language) for name, value in values.items()}


def format_value(value: object, language: str) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, Number):  # int, float and Decimal (imported only with Babel)
        return format_number(value, language)  # type: ignore[arg-type]
    if isinstance(value, datetime):
        return format_datetime(value, language)
    if isinstance(value, date):
        return format_date(value, language)
    if isinstance(value, time):
        return format_time(value, language)
    return value


# The CLDR locale whose conventions a language's numbers and dates follow. Plain
# "en" is American (June 13, 2026; 2:05 PM); English at a Swedish stall reads
# as British English does (13 June 2026; 14:05).
CLDR_LOCALES = {"en": "en_GB"}


def cldr_locale(language: str) -> str:
    return CLDR_LOCALES.get(language, language)


def load_cldr(languages: Iterable[str]) -> None:
    """Load Babel and the CLDR data these languages' numbers and dates need, now.

    Babel reads a locale's data on first use (~50 ms each, more on a busy
    laptop); the kiosk calls this on its store's worker thread, so no panel
    page waits for it on the GUI thread. Babel's cache is thread-safe.
    """
    import babel.dates  # noqa: PLC0415 - loaded for the callers below
    import babel.numbers  # noqa: PLC0415
    import babel.units  # noqa: F401, PLC0415
    from babel import localedata  # noqa: PLC0415

    for language in languages:
        localedata.load(cldr_locale(language))


def format_number(value: float | Decimal, language: str) -> str:
    """'12 345' in Swedish, '12,345' in English; decimals as CLDR writes them."""
    if isinstance(value, int) and 0 <= value < SAME_IN_EVERY_LOCALE:
        return str(value)
    from babel.numbers import format_decimal  # noqa: PLC0415

    return str(format_decimal(value, locale=cldr_locale(language)))


def format_decimal(value: float | Decimal, language: str, digits: int = 1) -> str:
    """A number with at most `digits` decimals: '81,3' in Swedish."""
    from babel.numbers import format_decimal as babel_decimal  # noqa: PLC0415

    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return str(babel_decimal(value, format=pattern, locale=cldr_locale(language)))


def format_size(size_bytes: int, language: str) -> str:
    """A disk or file size in gigabytes or megabytes: '81,3 GB', '512 MB'."""
    from babel.units import format_unit  # noqa: PLC0415

    if size_bytes >= 10**9:
        value, unit = size_bytes / 10**9, "digital-gigabyte"
    else:
        value, unit = size_bytes / 10**6, "digital-megabyte"
    return str(
        format_unit(value, unit, length="short", format="#,##0.#", locale=cldr_locale(language))
    )


def format_date(day: date, language: str, style: str = "long") -> str:
    """'1 december 2026' / '1 December 2026' (style 'long'); 'short' for tables."""
    from babel.dates import format_date as babel_date  # noqa: PLC0415

    return str(babel_date(day, format=style, locale=cldr_locale(language)))


def format_time(moment: time | datetime, language: str) -> str:
    """'14:05' in Swedish, also in English (British conventions)."""
    from babel.dates import format_time as babel_time  # noqa: PLC0415

    return str(babel_time(moment, format="short", locale=cldr_locale(language)))


def format_datetime(moment: datetime, language: str) -> str:
    """Date and time together, short: '2026-12-01 14:05' in Swedish."""
    from babel.dates import format_datetime as babel_datetime  # noqa: PLC0415

    return str(babel_datetime(moment, format="short", locale=cldr_locale(language)))


def format_day_month(day: date, language: str) -> str:
    """Day and month only, for a list of coming events: '5 dec.' / '5 Dec'."""
    from babel.dates import format_skeleton  # noqa: PLC0415

    return str(format_skeleton("MMMd", day, locale=cldr_locale(language)))


@cache
def direction(language: str) -> str:
    """'rtl' for languages written right to left (Arabic, Persian), else 'ltr'."""
    from babel import Locale  # noqa: PLC0415

    return "rtl" if Locale.parse(language).text_direction == "rtl" else "ltr"


@cache
def language_name(language: str) -> str:
    """The language's own name for itself, capitalised: 'Svenska', 'English', 'العربية'."""
    from babel import Locale  # noqa: PLC0415

    name = str(Locale.parse(language).get_display_name(language))
    return name[:1].upper() + name[1:]


# --- extraction (pybabel extract -F resources/locale/babel.cfg) -------------


def extract_keys(
    fileobj: IO[bytes],
    _keywords: Mapping[str, Any],  # Babel's interface; keys are found by their shape
    comment_tags: list[str],
    options: Mapping[str, str],
) -> Iterator[tuple[int, str, str | tuple[str, str], list[str]]]:
    """A Babel extractor for key msgids: every key-shaped string literal in the code.

    Keys travel as data (returned from validators, kept in dicts), not only
    as arguments of `tr(...)`, so a keyword-only extraction would miss them.
    A literal is a key when it looks like "section.name" with a section from
    the `sections` option and is not in `ignore` (settings keys share the
    shape); with `nested = true` a key may have up to four parts
    ("console.login.title", the store's catalogue). A key right after
    `.plural(` is a plural entry. A comment that
    starts with a comment tag on the lines just above becomes the entry's
    translator note (`#.`).
    """
    sections = set(options.get("sections", "").replace(",", " ").split())
    ignore = set(options.get("ignore", "").replace(",", " ").split())
    shape = _NESTED_KEY if options.get("nested", "").lower() == "true" else _KEY
    source = fileobj.read().decode("utf-8")
    notes: list[str] = []
    notes_end = -1
    previous: list[str] = ["", ""]
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            text = token.string.lstrip("#").strip()
            if any(text.startswith(tag) for tag in comment_tags):
                notes, notes_end = [text], token.start[0]
            elif notes and token.start[0] == notes_end + 1:
                notes.append(text)
                notes_end = token.start[0]
            continue
        if token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            continue
        if token.type == tokenize.STRING and token.string[:1] in "\"'":
            value = token.string[1:-1]
            line = token.start[0]
            if shape.match(value) and value.split(".")[0] in sections and value not in ignore:
                comments = notes if notes and notes_end >= line - 3 else []
                notes = []  # a note belongs to the one key right below it
                if previous == ["plural", "("]:
                    yield line, "ngettext", (value, value), comments
                else:
                    yield line, "gettext", value, comments
        previous = [previous[1], token.string]
