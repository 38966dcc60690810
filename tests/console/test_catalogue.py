"""The store's catalogue (console and public pages): every key the templates and code
use is in Swedish and English, placeholders match, no stale keys, .mo compiled."""

from __future__ import annotations

import gettext
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from sync.server.web.language import DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]


def _po(language: str):  # type: ignore[no-untyped-def]
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as file:
        return {m.id: m.string for m in read_po(file, locale=language) if m.id}


def _used() -> set[str]:
    """What `make translations` extracts now (sync/server/web/locale/babel.cfg)."""
    method_map = [
        ("sync/server/**.py", "sync.i18n:extract_keys"),
        ("sync/server/**/templates/**.html", "jinja2.ext:babel_extract"),
    ]
    options = {
        "sync/server/**.py": {"sections": "web console public", "nested": "true"},
        "sync/server/**/templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true"},
    }
    cfg = (LOCALE_DIR / "babel.cfg").read_text()
    assert "sections = web console public" in cfg and "nested = true" in cfg
    return {
        message if isinstance(message, str) else message[0]
        for _f, _l, message, _c, _x in extract_from_dir(str(ROOT), method_map, options)
    }


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_used_key_is_translated_and_no_other(language):
    used, catalogue = _used(), _po(language)
    assert used - set(catalogue) == set(), "used but missing: run make translations"
    assert set(catalogue) - used == set(), "stale keys no page uses: run make translations"
    assert all(text.strip() for text in catalogue.values())


def test_placeholders_match_the_swedish_source():
    source = _po("sv")
    for key, text in _po("en").items():
        assert _placeholders(text) == _placeholders(source[key]), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_po_file(language):
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    for key, text in _po(language).items():
        assert compiled.gettext(key) == text, f"{key}: run make translations"
