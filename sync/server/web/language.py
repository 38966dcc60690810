"""Which language a page speaks, its words, and the "English / Svenska" link.

The words come from the store's gettext catalogue (`sync/server/web/locale`,
domain `store`), loaded by the shared Qt-free loader `sync.i18n`: key msgids
(`console.login.title`, `public.withdraw.title`), Swedish as the source a
missing translation falls back to, numbers and dates from CLDR. A key missing
from Swedish too raises (tests/test_catalogues.py keeps that from shipping).

A page's language is `?lang=` when the address gives one (the public
widgets and links from the kiosk's QR codes do), else the `lang` cookie the
`/language/{code}` link sets, else Swedish.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from babel.dates import format_datetime
from babel.numbers import format_percent
from fastapi import APIRouter, HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from sync import i18n

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "store"
CATALOGUES = i18n.Catalogues(LOCALE_DIR, domain=DOMAIN)
LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = i18n.SOURCE_LANGUAGE
LANGUAGE_COOKIE = "lang"
# CLDR's British English for dates ("13 Jun 2026"): the campaign writes day before month.
CLDR_LOCALES = {"sv": "sv_SE", "en": "en_GB"}

router = APIRouter(include_in_schema=False)


def language(value: str | None) -> str:
    """`value` when the store speaks it, else Swedish."""
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def page_language(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return language(asked)


def other_language(lang: str) -> str:
    return next(code for code in LANGUAGES if code != lang)


class Words:
    """`_("key", name=value)` in templates and code, and CLDR formats, for one language."""

    def __init__(self, lang: str) -> None:
        self.language = language(lang)
        self._locale = CLDR_LOCALES[self.language]

    def __call__(self, key: str, **values: object) -> str:
        """The text; without values its {placeholders} stay (a page script fills them)."""
        if not values:
            return self.raw(key)
        return CATALOGUES.text(self.language, key, **values)

    def raw(self, key: str) -> str:
        """The text with its {placeholders}, for a page that styles a value apart."""
        found = CATALOGUES.translation(self.language).gettext(key)
        if found == key:  # a msgid is a key, never a text: nothing had it
            raise KeyError(f"no message {key!r} in the store's catalogue")
        return found

    def number(self, value: float) -> str:
        return i18n.format_number(value, self._locale)

    def percent(self, value: float) -> str:
        return str(format_percent(value, locale=self._locale))

    def date(self, value: date | None) -> str:
        return "" if value is None else i18n.format_date(value, self._locale, "medium")

    def datetime(self, value: datetime | None) -> str:
        """Sortable in every language (tables and the audit log): 2026-06-13 10:00."""
        if value is None:
            return ""
        return str(format_datetime(value, "yyyy-MM-dd HH:mm", tzinfo=None, locale=self._locale))


def safe_next(path: str) -> str:
    """A local path to go back to; anything else (another site) becomes the console."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/console/"
    return path


@router.get("/language/{code}")
def choose_language(code: str, next: str = "/console/") -> RedirectResponse:
    if code not in LANGUAGES:
        raise HTTPException(404, "no such language")
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", httponly=True
    )
    return response
