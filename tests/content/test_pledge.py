"""What a signer types and draws, cleaned and checked before anything is stored."""

from __future__ import annotations

import pytest

from kiosk.pledge import (
    EMAIL_MAX,
    NAME_MAX,
    PAD_SCALE,
    check_commitments,
    check_details,
    check_strokes,
    clean_text,
    normalise_strokes,
    postcode_area,
)
from kiosk.store.models import Signature
from tests.conftest import make_pledge, save
from tests.sealed import unseal


def name_of(raw: str) -> str:
    check = check_details(name=raw, consent=True)
    assert check.ok, check.errors
    return check.details.name


@pytest.mark.parametrize(
    "name",
    [
        "Åsa Öberg",
        "Märta Wästberg",
        "Zoë Chloé René",
        "Siobhán O'Brien",
        "Per-Olof Lindqvist-Ek",
        "Jiří Hadžić",
        "Ayşe Yılmaz",
        "فاطمة الزهراء",
        "محمد علي",
        "Nguyễn Thị Minh Khai",
        "李小龙",
    ],
)
def test_real_names_are_kept_exactly(name):
    assert name_of(name) == name


def test_persian_zero_width_non_joiner_is_kept():
    name = "می\u200cخواهم نیک\u200cنام"
    assert name_of(name) == name
    assert "\u200c" in name_of(name)


def test_decomposed_letters_are_stored_composed():
    assert name_of("A\u030asa O\u0308berg") == "Åsa Öberg"


@pytest.mark.parametrize(
    "invisible",
    [
        "\u202a",  # LEFT-TO-RIGHT EMBEDDING
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",  # RIGHT-TO-LEFT OVERRIDE: would show "Anna" reversed
        "\u2066",  # LEFT-TO-RIGHT ISOLATE
        "\u2067",
        "\u2068",
        "\u2069",
        "\u200b",  # ZERO WIDTH SPACE
        "\ufeff",
        "\x00",
        "\x07",
        "\x1b",
        "\x7f",
    ],
)
def test_control_and_bidi_characters_are_stripped(invisible):
    assert name_of(f"An{invisible}na Sv{invisible}ensson") == "Anna Svensson"


def test_white_space_is_collapsed():
    assert name_of("  Anna \n\t Svensson\u2028 ") == "Anna Svensson"


def test_a_name_of_only_invisible_characters_is_missing():
    check = check_details(name="\u202e\u200b \x00", consent=True)
    assert check.errors["name"] == ("details.error_name_required", {})


def test_name_length_is_bounded():
    assert name_of("Å" * NAME_MAX) == "Å" * NAME_MAX
    check = check_details(name="Å" * (NAME_MAX + 1), consent=True)
    assert check.errors["name"] == ("details.error_name_too_long", {"max": NAME_MAX})
    assert len(check.details.name) == NAME_MAX
    assert len(clean_text("x" * 100_000, NAME_MAX)) == NAME_MAX + 1  # enough to say "too long"


def test_cleaned_name_is_what_the_store_keeps(store, market_day):
    pledge = make_pledge("\u202eZoë\u2066 O'Brien-\u200bÅkesson")
    with store.session() as session:
        row = session.get(Signature, save(store, pledge, now=market_day))
        assert unseal(row.sealed)["name"] == "Zoë O'Brien-Åkesson"


@pytest.mark.parametrize(
    "email",
    ["anna@example.se", "anna.b+klimat@sub.example.co.uk", "åsa@exempel.se", " anna@example.se "],
)
def test_valid_emails_pass(email):
    check = check_details(name="Anna", email=email, consent=True)
    assert check.ok
    assert check.details.email == email.strip()


@pytest.mark.parametrize(
    "email",
    [
        "anna",
        "anna@example",
        "anna@@example.se",
        "@example.se",
        "anna@.se",
        "anna@example.s",
        "anna svensson@example.se",
        "x" * 65 + "@example.se",
    ],
)
def test_invalid_emails_are_refused(email):
    check = check_details(name="Anna", email=email, consent=True)
    assert check.errors == {"email": ("details.error_email_invalid", {})}


def test_email_length_is_bounded():
    email = "a@" + "b" * EMAIL_MAX + ".se"
    check = check_details(name="Anna", email=email, consent=True)
    assert check.errors["email"] == ("details.error_email_too_long", {})


def test_email_is_optional():
    check = check_details(name="Anna", email="  ", consent=True)
    assert check.ok
    assert check.details.email is None


@pytest.mark.parametrize(
    ("raw", "stored"), [("25221", "252 21"), ("252 21", "252 21"), (" 11122 ", "111 22")]
)
def test_swedish_postcodes_are_normalised(raw, stored):
    check = check_details(name="Anna", postcode=raw, consent=True)
    assert check.ok
    assert check.details.postcode == stored
    assert postcode_area(check.details.postcode) == stored[:3]


@pytest.mark.parametrize("raw", ["05221", "2522", "252211", "abcde", "252-21", "DK-3000"])
def test_other_postcodes_are_refused(raw):
    check = check_details(name="Anna", postcode=raw, consent=True)
    assert check.errors == {"postcode": ("details.error_postcode_invalid", {})}


def test_consent_and_name_are_required_and_all_errors_come_at_once():
    check = check_details(name="", email="nope", postcode="1", consent=False)
    assert set(check.errors) == {"name", "email", "postcode", "consent"}
    assert check.errors["consent"] == ("details.error_consent_required", {})


def test_opt_ins_are_off_unless_ticked():
    details = check_details(name="Anna", consent=True).details
    assert not (
        details.lives_or_works_in_helsingborg or details.community_opt_in or details.helper_opt_in
    )


def test_at_least_one_commitment():
    assert check_commitments([]) == "commitments.error_none"
    assert check_commitments(["bike-short-trips"]) is None


# --- the signature pad ------------------------------------------------------

PAD_W, PAD_H = 800.0, 400.0
TWO_TICKS = [[(100.0, 200.0), (115.0, 200.0)], [(300.0, 200.0), (310.0, 202.0)]]


def signature_strokes() -> list[list[tuple[float, float]]]:
    """A real-looking two-stroke signature in pad pixels."""
    first = [(60 + 8 * i, 200 + 60 * ((i % 6) - 3) / 3) for i in range(50)]
    second = [(300 + 5 * i, 260 - 2 * i) for i in range(40)]
    return [first, second]


def test_a_real_signature_is_accepted():
    strokes = normalise_strokes(signature_strokes(), PAD_W, PAD_H)
    assert check_strokes(strokes) is None


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ([], "sign.error_empty"),
        ([[]], "sign.error_empty"),
        ([[(400.0, 200.0)]], "sign.error_too_small"),  # a tap: a dot
        ([[(400.0, 200.0), (400.4, 200.3)]], "sign.error_too_small"),  # a dot, wobbling
        ([[(400 + (i % 3) * 4.0, 200 + (i % 2) * 4.0) for i in range(60)]], "sign.error_too_small"),
        (TWO_TICKS, "sign.error_too_small"),
    ],
    ids=["empty", "empty-stroke", "dot", "wobbly-dot", "tiny-scribble", "two-ticks"],
)
def test_empty_pad_dots_and_scribbles_are_refused(raw, error):
    assert check_strokes(normalise_strokes(raw, PAD_W, PAD_H)) == error


def test_strokes_keep_only_points_in_the_pad_square():
    raw = signature_strokes() + [[(-50.0, -10.0), (2000.0, 5000.0)]]
    strokes = normalise_strokes(raw, PAD_W, PAD_H)
    points = [point for stroke in strokes for point in stroke]
    assert all(len(point) == 2 for point in points)
    assert all(isinstance(c, int) and 0 <= c <= PAD_SCALE for point in points for c in point)
    assert strokes[0][0] == (75, 175)  # 800 px wide -> 1000 units: scaled by 1.25


def test_stored_signature_holds_points_and_nothing_else(store, market_day):
    pledge = make_pledge()
    with store.session() as session:
        row = session.get(Signature, save(store, pledge, now=market_day))
        stored = unseal(row.sealed)["strokes"]
    assert stored == [[list(point) for point in stroke] for stroke in pledge.strokes]
    assert {len(point) for stroke in stored for point in stroke} == {2}
