"""The content file and the strings file: what volunteers edit without code."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import pledge
from kiosk.content import (
    DEFAULT_CONTENT_FILE,
    LANGUAGES,
    ContentError,
    load_consent,
    load_content,
    untranslated_texts,
)
from kiosk.i18n import Translator
from kiosk.store.repository import _SQLITE_KIND

ORIGINAL = DEFAULT_CONTENT_FILE.read_text(encoding="utf-8")


def edited(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    """The shipped content file with one edit, as a volunteer might make it."""
    assert old in ORIGINAL, old
    path = tmp_path / "pledge.toml"
    path.write_text(ORIGINAL.replace(old, new, count), encoding="utf-8")
    return path


def test_shipped_content_is_complete(content):
    assert [theme.id for theme in content.themes] == [
        "transport",
        "food",
        "energy-home",
        "consumption",
        "engagement",
    ]
    for commitment in content.commitments:
        for language in LANGUAGES:
            assert commitment.text(language).strip()
    assert [step.step for step in content.staircase] == [1, 2, 3, 4]
    assert content.campaign.community_url.startswith("https://")
    assert content.commitment_text("bike-short-trips", "en").startswith("I cycle")
    assert content.commitment_text("removed-long-ago", "sv") == "removed-long-ago"


def test_edited_text_shows_up(tmp_path):
    path = edited(tmp_path, "Jag slänger mindre mat.", "Jag slänger nästan ingen mat.")
    assert load_content(path).commitment_text("less-food-waste", "sv") == (
        "Jag slänger nästan ingen mat."
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'sv = "Jag slänger mindre mat.", ',
            "",
            r"themes #2 commitment #2 text: missing text for sv",
        ),
        (
            'en = "I throw away less food."',
            'English = "I throw away less food."',
            r"themes #2 commitment #2 text: 'English' is not a language code",
        ),
        ('id = "less-food-waste"', 'id = "bike-short-trips"', r"'bike-short-trips' is used twice"),
        ('id = "less-food-waste"', 'id = "Less Food Waste"', r"lower-case letters, digits and -"),
        ('id = "less-food-waste"', "", r"themes #2 commitment #2: id None"),
        (
            'community_url = "https://klimatavtalet.se/community"',
            'community_url = "klimatavtalet.se/community"',
            r"campaign.community_url: expected a web address",
        ),
        ('goal_short = { sv = "Netto noll år 2030"', 'goal_short = { sv = " "', r"goal_short"),
        ("[campaign]", "[kampanj]", r"the \[campaign\] table is missing"),
        ("step = 2", 'step = "två"', r"staircase #2: step must be a whole number"),
    ],
    ids=[
        "missing-swedish",
        "not-a-language-code",
        "duplicate-id",
        "bad-id",
        "no-id",
        "bad-url",
        "blank-text",
        "no-campaign",
        "step-not-a-number",
    ],
)
def test_a_broken_content_file_names_the_problem(tmp_path, old, new, message):
    path = edited(tmp_path, old, new)
    with pytest.raises(ContentError, match=message):
        load_content(path)


def test_a_theme_without_commitments_is_named(tmp_path):
    path = tmp_path / "pledge.toml"
    path.write_text(
        ORIGINAL + '\n[[themes]]\nid = "empty"\ntitle = { sv = "Tomt", en = "Empty" }\n',
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=r"themes #6 \(empty\): has no commitments"):
        load_content(path)


def test_a_toml_typo_names_the_line(tmp_path):
    path = edited(tmp_path, 'id = "food"', 'id = "food')
    with pytest.raises(ContentError, match=r"pledge.toml: .*line \d+"):
        load_content(path)


def test_a_missing_content_file_is_named(tmp_path):
    with pytest.raises(ContentError, match="nothing.toml: file not found"):
        load_content(tmp_path / "nothing.toml")


def test_no_themes_is_named(tmp_path):
    path = tmp_path / "pledge.toml"
    path.write_text(ORIGINAL[: ORIGINAL.index("\n[[themes]]")], encoding="utf-8")
    with pytest.raises(ContentError, match=r"no \[\[themes\]\] with commitments"):
        load_content(path)


def test_a_language_the_file_lacks_falls_back_to_swedish_and_the_check_names_it(tmp_path):
    path = edited(
        tmp_path,
        'en = "I throw away less food."',
        'en = "I throw away less food.", ar = "أرمي طعامًا أقل."',
    )
    content = load_content(path)
    assert content.commitment_text("less-food-waste", "ar") == "أرمي طعامًا أقل."
    assert content.commitment_text("bike-short-trips", "ar") == (
        content.commitment_text("bike-short-trips", "sv")
    )
    missing = untranslated_texts(content, "ar")
    assert "themes #1 commitment #1 text" in missing
    assert "themes #2 commitment #2 text" not in missing
    assert untranslated_texts(load_content(), "en") == []


def test_wrongly_shaped_blocks_are_named(tmp_path):
    path = tmp_path / "pledge.toml"
    path.write_text('staircase = "x"\n' + ORIGINAL.replace("[[staircase]]", "[[old_staircase]]"))
    with pytest.raises(ContentError, match=r"staircase must be \[\[staircase\]\] blocks"):
        load_content(path)


def test_consent_texts_exist_in_swedish_and_english_and_arabic_falls_back_to_swedish():
    texts = {language: load_consent(language) for language in ("sv", "en")}
    assert load_consent("ar") == texts["sv"]
    assert all(text.text.strip() for text in texts.values())
    assert texts["sv"].sha256 != texts["en"].sha256
    assert len(texts["sv"].sha256) == 64


def test_every_message_the_checks_return_has_words():
    keys = {
        pledge.check_commitments([]),
        pledge.check_strokes(()),
        pledge.check_strokes((((1, 1),),)),  # a dot
    }
    failing = pledge.check_details(name="", email="x", postcode="1", consent=False)
    keys |= {key for key, _ in failing.errors.values()}
    keys.add(pledge.check_details(name="x" * 500, email="a@" + "b" * 300).errors["name"][0])
    keys.add(pledge.check_details(name="A", email="a@" + "b" * 300 + ".se").errors["email"][0])
    keys |= {f"save_error.{kind}" for kind in {*_SQLITE_KIND.values(), "other"}}
    translate = Translator()
    for language in LANGUAGES:
        translate.language = language
        for key in keys:
            assert translate(key, max=100, detail="x")
