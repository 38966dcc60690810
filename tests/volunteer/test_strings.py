"""The volunteer panel's words exist in both languages with the same placeholders."""

from __future__ import annotations

import string

from kiosk.i18n import STRINGS_FILE, VOLUNTEER_STRINGS_FILE, Translator, load_strings


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_volunteer_string_has_both_languages_and_the_same_placeholders():
    strings = load_strings(VOLUNTEER_STRINGS_FILE)
    assert strings
    for key, texts in strings.items():
        assert set(texts) == {"sv", "en"}, key
        assert texts["sv"].strip() and texts["en"].strip(), key
        assert placeholders(texts["sv"]) == placeholders(texts["en"]), key


def test_volunteer_strings_do_not_redefine_the_signer_screens_words():
    assert not set(load_strings(VOLUNTEER_STRINGS_FILE)) & set(load_strings(STRINGS_FILE))
    assert Translator()("volunteer.title") == "Volontärläge"
