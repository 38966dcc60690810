"""The kiosk's words in the signer's or volunteer's language (gettext catalogues).

A thin wrapper over sync.i18n (which the central store shares): the
catalogues live in resources/locale/<language>/LC_MESSAGES/klimatavtal.po,
compiled to .mo by `make translations` (the .mo files are committed so a
fresh clone runs). Plain Python so that documents and the CLI share the same
words as the screens. A missing key is a bug, so it raises instead of
showing the key; a message missing in one language falls back to Swedish.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cache
from typing import TYPE_CHECKING

from kiosk.paths import RESOURCES_DIR
from sync import i18n

if TYPE_CHECKING:
    from decimal import Decimal

LOCALE_DIR = RESOURCES_DIR / "locale"
SOURCE_LANGUAGE = i18n.SOURCE_LANGUAGE
# The CLDR facts the attract screen needs in its first frame, for the shipped
# languages: each one's name in itself (the language button) and whether it
# is written right to left. Asking Babel loads a language's whole locale data
# (~50 ms each) before anything is painted; tests/content/test_i18n_start.py checks
# these against Babel for every catalogue, so a new language must be added.
NATIVE_NAMES = {"sv": "Svenska", "en": "English", "ar": "العربية"}
RIGHT_TO_LEFT = frozenset({"ar"})

# Offered to signers until a volunteer chooses otherwise (three: the language
# button opens the picker). Arabic's screens mirror, its keyboard layout, content
# and consent text exist; its words await a native speaker's review (README).
OFFERED_BY_DEFAULT: tuple[str, ...] = ("sv", "en", "ar")

# Keys the code builds at run time (f"volunteer.tab_{name}" …). Listed here so
# that extraction (sync.i18n.extract_keys) finds them; tests/content/test_catalogues.py
# fails when one is no longer built or a built one is missing here.
COMPOSED_KEYS = (
    "details.name",
    "details.name_placeholder",
    "details.email",
    "details.email_placeholder",
    # TRANSLATORS: a Swedish postcode, "252 21"; keep the example as it is.
    "details.postcode",
    "details.postcode_placeholder",
    "save_error.disk_full",
    "save_error.locked",
    "save_error.read_only",
    "save_error.no_event",
    "print.error_aborted",
    "print.error_cancelled",
    "print.error_choose_printer",
    "print.error_no_print_system",
    "print.error_out_of_paper",
    "print.error_printer_missing",
    "print.error_printer_rejecting",
    "print.error_printer_stopped",
    "print.page_document",
    "print.page_layout",
    "print.page_language",
    "print.page_tracking",
    "print.page_start",
    "print.page_end",
    "print.page_printer",
    # TRANSLATORS: how many copies to print (not a count of signatures).
    "print.page_copies",
    "sync.error_protocol",
    "sync.error_refused_request",
    "sync.error_bad_address",
    "sync.error_busy",
    "sync.error_update_kiosk",
    "sync.error_update_store",
    "sync.error_unsendable",
    "sync.error_local_error",
    "sync.error_server_error",
    "sync.error_timeout",
    "sync.error_unauthorized",
    "sync.error_unreachable",
    "sync.enrol_code",
    "sync.enrol_server",
    # TRANSLATORS: the secret access token an organiser hands out, not a door key.
    "sync.enrol_token",
    "volunteer.pin_enter_title",
    "volunteer.pin_choose_title",
    "volunteer.pin_confirm_title",
    "volunteer.settings_languages",
    "volunteer.settings_default_language",
    "volunteer.settings_idle_seconds",
    "volunteer.settings_thanks_seconds",
    "volunteer.settings_content_file",
    "volunteer.settings_printer",
    "volunteer.settings_central_store",
    "volunteer.settings_large_text",
    "volunteer.settings_high_contrast",
    "volunteer.settings_keyboard",
    "volunteer.event_name",
    "volunteer.event_place",
    "volunteer.event_date",
    "volunteer.event_volunteers",
    "volunteer.tab_dashboard",
    # TRANSLATORS: tab title; an event is the day's market stall where people sign.
    "volunteer.tab_event",
    "volunteer.tab_settings",
    "volunteer.tab_sync",
    "volunteer.tab_print",
)


@cache
def catalogues() -> i18n.Catalogues:
    """The shipped catalogues, read once per process."""
    return i18n.Catalogues(LOCALE_DIR)


def languages() -> tuple[str, ...]:
    """The languages the catalogues offer, Swedish first."""
    return catalogues().languages()


def direction(language: str) -> str:
    """'rtl' for Arabic and other right-to-left languages, else 'ltr'."""
    if language in NATIVE_NAMES:
        return "rtl" if language in RIGHT_TO_LEFT else "ltr"
    return i18n.direction(language)


def language_name(language: str) -> str:
    """The language's name in itself: 'Svenska', 'English', 'العربية'."""
    return NATIVE_NAMES.get(language) or i18n.language_name(language)


class Translator:
    """Looks up words for the current language; the language can change live."""

    def __init__(
        self,
        language: str = SOURCE_LANGUAGE,
        *,
        offered: tuple[str, ...] | None = None,
        source: i18n.Catalogues | None = None,
    ):
        self._catalogues = source or catalogues()
        self.offered = offered or OFFERED_BY_DEFAULT
        self.language = language

    @property
    def language(self) -> str:
        return self._language

    @language.setter
    def language(self, language: str) -> None:
        if language not in self._catalogues.languages():
            raise ValueError(f"unsupported language {language!r}")
        self._language = language

    @property
    def direction(self) -> str:
        return direction(self._language)

    def __call__(self, key: str, **values: object) -> str:
        return self._catalogues.text(self._language, key, **values)

    def plural(self, key: str, n: int, **values: object) -> str:
        """The form of `key` for `n` things (Arabic has six, Swedish two)."""
        return self._catalogues.plural(self._language, key, n, **values)

    def other_language(self) -> str:
        """The language the single language button switches to: the next one offered."""
        offered = [lang for lang in self.offered if lang != self._language]
        if not offered:
            return self._language
        if self._language not in self.offered:
            return offered[0]
        index = self.offered.index(self._language)
        return self.offered[(index + 1) % len(self.offered)]

    def number(self, value: float | Decimal) -> str:
        return i18n.format_number(value, self._language)

    def decimal(self, value: float | Decimal, digits: int = 1) -> str:
        return i18n.format_decimal(value, self._language, digits)

    def size(self, size_bytes: int) -> str:
        """'81,3 GB' in Swedish."""
        return i18n.format_size(size_bytes, self._language)

    def day_month(self, day: date) -> str:
        """'5 dec.' in Swedish: a coming event's day, where the year goes without saying."""
        return i18n.format_day_month(day, self._language)

    def date(self, day: date, style: str = "long") -> str:
        """'1 december 2026' in Swedish."""
        return i18n.format_date(day, self._language, style)

    def time(self, moment: time | datetime) -> str:
        return i18n.format_time(moment, self._language)

    def datetime(self, moment: datetime) -> str:
        return i18n.format_datetime(moment, self._language)
