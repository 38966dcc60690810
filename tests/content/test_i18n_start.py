"""The CLDR shortcuts that keep Babel out of start-up say what Babel says.

The attract screen's first frame names the other language, mirrors for
Arabic and counts signers without loading any CLDR data (kiosk.i18n,
sync.i18n); these tests fail when a shortcut would show a passer-by
something Babel would not, or when a new language is missing from them.
"""

from __future__ import annotations

import pytest
from babel import Locale
from babel.numbers import format_decimal

from kiosk import i18n
from sync.i18n import SAME_IN_EVERY_LOCALE, cldr_locale, format_number
from tests.fresh_python import run_python


@pytest.mark.parametrize("language", i18n.languages())
def test_each_shipped_language_is_named_and_directed_as_cldr_says(language):
    locale = Locale.parse(language)
    name = str(locale.get_display_name(language))
    assert language in i18n.NATIVE_NAMES, f"add {language!r} to kiosk.i18n.NATIVE_NAMES"
    assert i18n.language_name(language) == name[:1].upper() + name[1:]
    assert i18n.direction(language) == locale.text_direction


@pytest.mark.parametrize("language", i18n.languages())
def test_small_counts_are_written_as_cldr_writes_them(language):
    for count in (*range(0, 20), 99, 100, 101, 560, 999, SAME_IN_EVERY_LOCALE):
        assert format_number(count, language) == format_decimal(count, locale=cldr_locale(language))


FIRST_FRAME = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kiosk.app import start_kiosk
kiosk = start_kiosk(Path(sys.argv[1]), fullscreen=False)
kiosk.attract.repaint()
print(kiosk.attract.language_button.text(), kiosk.window.layoutDirection().name)
print(sorted(name for name in sys.modules if name.partition(".")[0] in {"babel", "decimal"}))
kiosk.window.hide()
"""


def test_the_attract_screen_is_named_and_painted_without_cldr_data(data_dir):
    printed = run_python(FIRST_FRAME, str(data_dir), timeout=120)
    shown, loaded = printed[-2:]
    # Swedish first; the button names the other offered languages, each in itself
    # (each isolated, so an Arabic name keeps its direction beside a Latin one).
    assert shown == "\u2068English\u2069  ·  \u2068العربية\u2069 LeftToRight"
    assert loaded == "[]"
