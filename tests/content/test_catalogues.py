"""The gettext catalogues: complete, placeholders intact, no stale keys, real plurals.

A translator edits a .po file; these tests are what stops a broken one
(a lost {name}, a key the code no longer uses, a wrong plural rule) from
reaching a market stall.
"""

from __future__ import annotations

import gettext
import io
import re
import string
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk.i18n import LOCALE_DIR, Translator, languages

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = LOCALE_DIR / "klimatavtal.pot"
LANGUAGES = ("sv", "en", "ar")
REVIEW_NOTE = "needs review by a native speaker"


def po(language: str):
    with (LOCALE_DIR / language / "LC_MESSAGES" / "klimatavtal.po").open("rb") as file:
        return read_po(file, locale=language)


def template():
    with TEMPLATE.open("rb") as file:
        return read_po(file)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def plain(text: str) -> str:
    """White space as a reader sees it (CLDR uses no-break spaces)."""
    return " ".join(text.split())


def forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def extracted() -> dict[str, tuple[bool, tuple[str, ...]]]:
    """What `make translations` extracts from the code now: key -> (plural, notes)."""
    method_map = [
        ("kiosk/**.py", "sync.i18n:extract_keys"),
        ("sync/**.py", "sync.i18n:extract_keys"),
    ]
    cfg = (LOCALE_DIR / "babel.cfg").read_text()
    options = dict(re.findall(r"^(sections|ignore) = (.*)$", cfg, re.M))
    found: dict[str, tuple[bool, tuple[str, ...]]] = {}
    for _file, _line, message, comments, _context in extract_from_dir(
        str(ROOT),
        method_map,
        {"kiosk/**.py": options, "sync/**.py": options},
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=False,
    ):
        key = message[0] if isinstance(message, tuple) else message
        plural, notes = found.get(key, (False, ()))
        found[key] = (plural or isinstance(message, tuple), notes + tuple(comments))
    return found


def test_the_catalogues_offer_swedish_english_and_arabic():
    assert languages() == ("sv", "ar", "en")
    assert Translator("ar").direction == "rtl" and Translator("sv").direction == "ltr"


def test_the_template_is_what_the_code_uses():
    """A key in code but not in the template, or the other way round, fails here."""
    code = extracted()
    pot = {m.id[0] if m.pluralizable else m.id: m for m in template() if m.id}
    assert set(code) - set(pot) == set(), "used by the code, missing: run make translations"
    assert set(pot) - set(code) == set(), "stale keys no code uses: run make translations"
    for key, (plural, _notes) in code.items():
        assert pot[key].pluralizable == plural, f"{key}: plural in code and template differ"


def test_composed_keys_are_really_built_by_the_code():
    """Each COMPOSED_KEYS entry matches an f-string key in the code (else it is stale)."""
    from kiosk.i18n import COMPOSED_KEYS

    sources = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in ("kiosk", "sync")
        for path in (ROOT / folder).rglob("*.py")
    )
    patterns = [
        re.compile("^" + re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(prefix)) + "$")
        for prefix in re.findall(r"""f["']([a-z_]+\.[^"']*\{[^"']*)["']""", sources)
    ]
    patterns += [re.compile(r"^print\..+$")]  # kiosk/printing/cups.py: f"print.{self.key}"
    for key in COMPOSED_KEYS:
        assert any(p.match(key) for p in patterns), f"{key} is built nowhere"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_has_every_message_and_no_other(language):
    keys = {m.id for m in template() if m.id}
    catalogue = po(language)
    present = {m.id for m in catalogue if m.id}
    assert present == keys, f"{language}.po differs from the template: run make translations"
    for message in catalogue:
        if message.id:
            assert all(text.strip() for text in forms(message)), f"{language}: {message.id}"
            assert not message.fuzzy, f"{language}: {message.id} is fuzzy (msgfmt skips it)"


@pytest.mark.parametrize("language", ("en", "ar"))
def test_placeholders_match_the_swedish_source(language):
    source = {m.id: m for m in po("sv") if m.id}
    for message in po(language):
        if not message.id:
            continue
        wanted = placeholders(forms(source[message.id])[-1])
        found = forms(message)
        # A "one" or "two" form may spell the number out; the general form holds them all.
        assert placeholders(found[-1]) == wanted, f"{language}: {message.id}"
        for text in found:
            assert placeholders(text) <= wanted, f"{language}: {message.id}: {text}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_follow_cldr(language):
    """The catalogue's Plural-Forms pick the same form as CLDR for every count."""
    catalogue = po(language)
    rule = Locale.parse(language).plural_form
    order = [tag for tag in ("zero", "one", "two", "few", "many", "other") if tag in rule.tags]
    order.append("other") if "other" not in order else None
    assert catalogue.num_plurals == len(order)
    chooser = gettext.c2py(catalogue.plural_expr)
    for n in range(0, 1200):
        assert order[chooser(n)] == rule(n), f"{language}: n={n}"
    plural_keys = {m.id for m in template() if m.pluralizable}
    for message in catalogue:
        if message.id in plural_keys:
            assert len(forms(message)) == catalogue.num_plurals, f"{language}: {message.id}"


def test_arabic_written_here_is_marked_for_review():
    for message in po("ar"):
        if message.id:
            assert any(REVIEW_NOTE in note for note in message.user_comments), message.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_files_are_compiled_from_the_po_files(language):
    """`make run` uses the .mo files as committed; they must match the .po."""
    buffer = io.BytesIO()
    write_mo(buffer, po(language))
    buffer.seek(0)
    fresh = gettext.GNUTranslations(buffer)
    mo = LOCALE_DIR / language / "LC_MESSAGES" / "klimatavtal.mo"
    with mo.open("rb") as file:
        shipped = gettext.GNUTranslations(file)
    assert shipped._catalog == fresh._catalog, f"{mo} is stale: run make translations"


def test_words_numbers_and_dates_in_each_language():
    from datetime import date

    sv, en, ar = Translator("sv"), Translator("en"), Translator("ar")
    assert sv.plural("volunteer.practice_ended", 1, count=1).endswith(
        "1 övningsunderskrift raderades."
    )
    assert sv.plural("volunteer.practice_ended", 3, count=3).endswith(
        "3 övningsunderskrifter raderades."
    )
    assert en.plural("attract.count", 1, count=1) == "1 person in Helsingborg has signed"
    count = sv.plural("attract.count", 12345, count=12345)
    assert plain(count) == "12 345 helsingborgare har skrivit på"
    assert plain(sv.size(81_300_000_000)) == "81,3 GB"
    assert plain(en.size(81_300_000_000)) == "81.3 GB"
    assert sv.date(date(2026, 12, 1)) == "1 december 2026"
    assert sv("volunteer.event_current", name="Torget", date=date(2026, 12, 1)) == (
        "Pågående event: Torget (1 december 2026)"
    )
    # Arabic has six forms: one, two and eleven read differently.
    assert len({ar.plural("sync.pending", n, count=n) for n in (0, 1, 2, 3, 11, 100)}) == 6


def test_a_message_missing_in_one_language_falls_back_to_swedish(tmp_path):
    from sync.i18n import Catalogues

    for language, entries in {
        "sv": {"a.b": "Hej", "a.c": "Bara svenska"},
        "xx": {"a.b": "Hi"},
    }.items():
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        from babel.messages.catalog import Catalog

        catalog = Catalog(locale="sv" if language == "sv" else "en")
        for key, text in entries.items():
            catalog.add(key, text)
        with (folder / "klimatavtal.mo").open("wb") as file:
            write_mo(file, catalog)
    catalogues = Catalogues(tmp_path)
    assert catalogues.text("xx", "a.b") == "Hi"
    assert catalogues.text("xx", "a.c") == "Bara svenska"
    with pytest.raises(KeyError):
        catalogues.text("xx", "a.nowhere")
