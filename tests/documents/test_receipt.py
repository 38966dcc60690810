"""The signer's receipt read back: their name, the date, their commitments, a QR code."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.content import Content
from kiosk.documents import make_receipt
from tests.pdfcheck import decode_qr, fonts, page_sizes_mm, text_of

CHOSEN = ("bike-short-trips", "less-food-waste", "green-electricity")


@pytest.mark.parametrize("size", ["a6", "80mm"])
def test_receipt_has_name_date_commitments_and_community_qr(content: Content, size: str) -> None:
    pdf = make_receipt(
        content,
        name="Åsa Öberg-Ström",
        signed_on=date(2026, 6, 13),
        commitments=CHOSEN,
        size=size,
    )
    text = text_of(pdf)

    assert "Tack, Åsa Öberg-Ström!" in text
    assert "13 juni 2026" in text
    for commitment_id in CHOSEN:
        assert content.commitment_text(commitment_id, "sv") in text
    assert decode_qr(pdf, dpi=300) == [content.campaign.community_url]
    assert all(fonts(pdf).values())
    width, height = page_sizes_mm(pdf)[0]
    if size == "a6":
        assert (width, height) == (105, 148)
    else:
        assert width == 80 and 80 < height < 200


def test_receipt_in_english_with_event_tracking(content: Content) -> None:
    pdf = make_receipt(
        content,
        name="Siobhán O'Brien",
        signed_on=date(2026, 6, 13),
        commitments=CHOSEN[:1],
        language="en",
        size="80mm",
        event="Stortorget",
    )

    assert "Thank you, Siobhán O'Brien!" in text_of(pdf)
    assert "13 June 2026" in text_of(pdf)  # CLDR, British English conventions
    assert decode_qr(pdf, dpi=300) == [
        content.campaign.community_url
        + "?utm_source=kiosk&utm_medium=receipt&utm_campaign=stortorget"
    ]


def test_a_long_roll_receipt_grows_to_fit_every_commitment(content: Content) -> None:
    every = [c.id for c in content.commitments]
    short = make_receipt(
        content, name="A", signed_on=date(2026, 6, 13), commitments=every[:1], size="80mm"
    )
    long = make_receipt(
        content, name="A", signed_on=date(2026, 6, 13), commitments=every, size="80mm"
    )

    assert page_sizes_mm(long)[0][1] > page_sizes_mm(short)[0][1]
    assert all(c.text("sv") in text_of(long) for c in content.commitments)


def test_an_a6_receipt_with_every_commitment_still_fits_one_page(content: Content) -> None:
    every = [c.id for c in content.commitments]

    pdf = make_receipt(
        content,
        name="Per-Olof Lindqvist-Ek",
        signed_on=date(2026, 6, 13),
        commitments=every,
        size="a6",
    )

    assert page_sizes_mm(pdf) == [(105, 148)]
    assert all(c.text("sv") in text_of(pdf) for c in content.commitments)
    assert decode_qr(pdf, dpi=300) == [content.campaign.community_url]


def test_receipt_tells_how_to_withdraw_with_the_code(content: Content) -> None:
    pdf = make_receipt(
        content,
        name="Åsa Öberg",
        signed_on=date(2026, 6, 13),
        commitments=["bike-short-trips"],
        withdrawal_code="WTZPPKFGXF",
    )
    text = " ".join(text_of(pdf).split())
    assert "WTZPP-KFGXF" in text and "klimatavtalet.se/aterkalla" in text
    without = make_receipt(
        content, name="Åsa Öberg", signed_on=date(2026, 6, 13), commitments=["bike-short-trips"]
    )
    assert "WTZPP" not in text_of(without)
